"""Flat files whose rows map one to one onto a raw table (reviews, polls, commerce)."""

from __future__ import annotations

from ingestion.layouts import INSERT_COLUMNS, TableLayout
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.csv_stage import (
    add_missing_columns,
    quarantine_invalid_keys,
    stage_csv,
    staged_count,
)
from ingestion.loaders.mojibake import quarantine_mojibake
from ingestion.sniff import read_head
from ingestion.warehouse import execute_sql_file, quote_identifier


class MissingColumnsError(ValueError):
    """The file lacks columns the layout requires; nothing of it is loaded."""


def staged_names_for(layout: TableLayout, headers: list[str]) -> list[str]:
    matched = layout.match_headers(headers)
    return [matched.get(position, f"_unused_{position}") for position in range(len(headers))]


def load_table_csv(ctx: LoadContext, layout: TableLayout) -> LoadCounts:
    headers = read_head(ctx.path, max_records=1).records[0]
    missing = layout.missing_required(headers)
    if missing:
        raise MissingColumnsError(f"{layout.name}: required columns missing: {', '.join(missing)}")
    rejected = stage_csv(
        ctx, staged_names_for(layout, headers), header_rows=1, target_table=layout.target_table
    )
    return finish_table_load(ctx, layout, rejected)


def finish_table_load(ctx: LoadContext, layout: TableLayout, rejected: int) -> LoadCounts:
    """Complete `staged`, quarantine bad rows, then insert the rest into the raw table."""
    add_missing_columns(
        ctx, list(dict.fromkeys([*layout.columns, *INSERT_COLUMNS[layout.target_table]]))
    )
    apply_layout_rules(ctx, layout)
    staged = staged_count(ctx)
    garbled = quarantine_mojibake(ctx, list(layout.columns), layout.target_table)
    bad_keys = 0
    if layout.key_column != "poll_id":  # a poll repeats its id once per option
        bad_keys = quarantine_invalid_keys(ctx, layout.key_column, layout.target_table)
    execute_sql_file(
        ctx.conn, layout.insert_sql, {**ctx.lineage(), "pseudonym_key": ctx.pseudonym_key}
    )
    return LoadCounts(
        rows_in=staged + rejected,
        rows_loaded=staged - garbled - bad_keys,
        rows_quarantined=rejected + garbled + bad_keys,
        target_table=layout.target_table,
    )


# Wall-clock layouts vendors write without a zone; text already carrying Z or an offset
# matches none of them and is kept as sent.
LOCAL_TIME_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d",
]


def apply_layout_rules(ctx: LoadContext, layout: TableLayout) -> None:
    """Fill the layout's constants, put zone-less times in UTC, derive missing values."""
    conn = ctx.conn
    # Column names come from the layout definition, never from the file.
    for column, value in layout.constants.items():
        name = quote_identifier(column)
        conn.execute(f"update staged set {name} = coalesce(nullif(trim({name}), ''), ?)", [value])
    for column in layout.local_time_columns:
        name = quote_identifier(column)
        parsed = f"try_strptime(trim({name}), $formats)"
        conn.execute(
            f"update staged set {name} = strftime(timezone('UTC', timezone($zone, {parsed})),"
            f" '%Y-%m-%dT%H:%M:%SZ') where {parsed} is not null",
            {"formats": LOCAL_TIME_FORMATS, "zone": layout.timezone or ctx.default_timezone},
        )
    for statement in layout.derive_sql:
        execute_sql_file(conn, statement, {})
