"""Flat files whose rows map one to one onto a raw table (reviews, polls, commerce)."""

from __future__ import annotations

from ingestion.layouts import TableLayout
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.csv_stage import (
    add_missing_columns,
    quarantine_invalid_keys,
    stage_csv,
    staged_count,
)
from ingestion.sniff import read_head
from ingestion.warehouse import execute_sql_file


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
    """Quarantine bad keys, then insert what is left of `staged` into the raw table."""
    add_missing_columns(ctx, list(layout.columns))
    staged = staged_count(ctx)
    bad_keys = 0
    if layout.key_column != "poll_id":  # a poll repeats its id once per option
        bad_keys = quarantine_invalid_keys(ctx, layout.key_column, layout.target_table)
    execute_sql_file(
        ctx.conn, layout.insert_sql, {**ctx.lineage(), "pseudonym_key": ctx.pseudonym_key}
    )
    return LoadCounts(
        rows_in=staged + rejected,
        rows_loaded=staged - bad_keys,
        rows_quarantined=rejected + bad_keys,
        target_table=layout.target_table,
    )
