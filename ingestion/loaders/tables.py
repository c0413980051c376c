"""Flat files whose rows map one to one onto a staged shape (reviews, polls, commerce)."""

from __future__ import annotations

from ingestion.layouts import TableLayout
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.csv_stage import quarantine_invalid_keys, stage_csv, staged_count
from ingestion.loaders.mojibake import quarantine_mojibake
from ingestion.loaders.staging import add_missing_columns, insert_staged, promote_staged
from ingestion.sniff import read_head
from ingestion.warehouse import execute_sql_file, quote_identifier


class MissingColumnsError(ValueError):
    """The file lacks columns the layout requires; nothing of it is loaded."""


class DuplicatedColumnsError(ValueError):
    """Two columns of the file fill the same staged column; nothing of it is loaded."""


def staged_names_for(layout: TableLayout, headers: list[str]) -> list[str]:
    matched = layout.match_headers(headers)
    return [matched.get(position, f"_unused_{position}") for position in range(len(headers))]


def load_table_csv(ctx: LoadContext, layout: TableLayout) -> LoadCounts:
    headers = read_head(ctx.path, max_records=1).records[0]
    missing = layout.missing_required(headers)
    if missing:
        raise MissingColumnsError(f"{layout.name}: required columns missing: {', '.join(missing)}")
    duplicated = layout.duplicated(headers)
    if duplicated:
        raise DuplicatedColumnsError(f"{layout.name}: {duplicated}")
    rejected = stage_csv(
        ctx, staged_names_for(layout, headers), header_rows=1, target_table=layout.shape.raw_table
    )
    return finish_table_load(ctx, layout, rejected)


def finish_table_load(ctx: LoadContext, layout: TableLayout, rejected: int) -> LoadCounts:
    """Complete `staged`, quarantine bad rows, then insert the rest into the raw table."""
    shape = layout.shape
    add_missing_columns(ctx.conn, "staged", list(dict.fromkeys([*layout.columns, *shape.columns])))
    apply_layout_rules(ctx, layout)
    staged = staged_count(ctx)
    garbled = quarantine_mojibake(ctx, list(layout.columns), shape.raw_table)
    bad_keys = 0
    if layout.unique_key:
        bad_keys = quarantine_invalid_keys(ctx, layout.key_column, shape.raw_table)
    promote_staged(ctx.conn, shape)
    insert_staged(ctx.conn, shape, {**ctx.lineage(), "pseudonym_key": ctx.pseudonym_key})
    return LoadCounts(
        rows_in=staged + rejected,
        rows_loaded=staged - garbled - bad_keys,
        rows_quarantined=rejected + garbled + bad_keys,
        target_table=shape.raw_table,
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
    """Fill the layout's constants, put zone-less times in UTC, type whole numbers,
    derive missing values."""
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
    for column in layout.whole_number_columns:
        name = quote_identifier(column)
        conn.execute(
            f"update staged set {name} = regexp_extract(trim({name}), '^([0-9]+)\\.0+$', 1)"
            f" where regexp_full_match(trim({name}), '[0-9]+\\.0+')"
        )
    for statement in layout.derive_sql:
        execute_sql_file(conn, statement, {})
