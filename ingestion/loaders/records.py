"""Vendor records mapped in Python (API items landed by an EL tool, say) written through
the same staged shapes and checks as a file's rows."""

from __future__ import annotations

from collections.abc import Sequence

from ingestion.layouts import shape_layout
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.staging import insert_staged, stage_rows
from ingestion.loaders.survey_records import load_survey_records
from ingestion.loaders.tables import finish_table_load
from ingestion.records import Record, Row
from ingestion.staged import SHAPES, SURVEY_RESPONSES, StagedShape


def load_records(
    ctx: LoadContext,
    target: StagedShape,
    numbered: Sequence[tuple[int, Record]],
    rejected: int = 0,
    *,
    layout_name: str,
) -> LoadCounts:
    """Write the records' rows; counts are of records (one target row each), `rejected`
    the records quarantined before mapping."""
    if target == SURVEY_RESPONSES:
        return load_survey_records(ctx, numbered, rejected)
    # Rows of other shapes a record carries (an order's customer) are written as they
    # come, the last record naming a key winning.
    for table in sorted({table for _, record in numbered for table in record.rows}):
        if table == target.table:
            continue
        shape = SHAPES[table]
        latest: dict[tuple[object, ...], tuple[int, Row]] = {}
        for number, record in numbered:
            for row in record.rows.get(table, ()):
                latest[tuple(row.get(column) for column in shape.key)] = (number, row)
        kept = list(latest.values())
        stage_rows(ctx.conn, shape, [row for _, row in kept], [number for number, _ in kept])
        insert_staged(ctx.conn, shape, {**ctx.lineage(), "pseudonym_key": ctx.pseudonym_key})
    rows: list[Row] = []
    numbers: list[int] = []
    for number, record in numbered:
        for row in record.rows.get(target.table, ()):
            rows.append(row)
            numbers.append(number)
    stage_rows(ctx.conn, target, rows, numbers, table="staged")
    unique_key = target.key == target.key[:1]
    return finish_table_load(
        ctx, shape_layout(layout_name, target, unique_key=unique_key), rejected
    )
