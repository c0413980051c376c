"""JSON exports of flat records, read by DuckDB: JSON lines and JSON arrays of objects.

JSON lines: each line is parsed on its own, so a truncated or malformed line (a cut-off
last line, say) is quarantined with its line number and text while the rest of the file
loads. A JSON array is parsed whole: a broken array fails the file, nothing of it loads.
Object keys are matched to staged columns like CSV headers (the layout's spellings).
"""

from __future__ import annotations

from typing import Any

from ingestion.layouts import TableLayout
from ingestion.limits import MAX_LINE, LimitExceeded, loads_strict
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.csv_stage import readable_by_duckdb
from ingestion.loaders.quarantine import quarantine_records
from ingestion.loaders.tables import finish_table_load
from ingestion.warehouse import execute_sql_file, quote_identifier


def load_table_json_lines(ctx: LoadContext, layout: TableLayout) -> LoadCounts:
    return _load_objects(ctx, layout, "stage_json_lines.sql")


def load_table_json_array(ctx: LoadContext, layout: TableLayout) -> LoadCounts:
    return _load_objects(ctx, layout, "stage_json_array.sql")


def _load_objects(ctx: LoadContext, layout: TableLayout, staging_sql: str) -> LoadCounts:
    conn = ctx.conn
    conn.execute("drop table if exists staged_lines")
    conn.execute("drop table if exists staged")
    # read_json_objects reads UTF-8 only; read_csv (for lines) reads UTF-16 as well.
    utf8_only = staging_sql == "stage_json_array.sql"
    with readable_by_duckdb(ctx.path, ctx.encoding, utf8_only=utf8_only) as (readable, encoding):
        execute_sql_file(
            conn,
            staging_sql,
            {"path": str(readable), "encoding": encoding, "max_line_size": MAX_LINE.value()},
        )
    rejected = execute_sql_file(
        conn,
        "quarantine_invalid_json_lines.sql",
        {**ctx.lineage(), "target_table": layout.shape.raw_table},
    ).fetchone()
    # Each staged column reads the first of its accepted keys present in the object.
    # Column names and keys come from the layout definition, never from the file.
    selects = []
    params: list[str] = []
    for column, spellings in layout.columns.items():
        paths = ", ".join("json_extract_string(line, ?)" for _ in spellings)
        params.extend("$." + quote_identifier(spelling) for spelling in spellings)
        selects.append(f"coalesce({paths}, null) as {quote_identifier(column)}")
    conn.execute("drop table if exists staged_objects")
    conn.execute(
        "create temp table staged_objects as select line, line_number from staged_lines"
        " where is_object"
    )
    conn.execute(
        "create temp table staged as select "
        + ", ".join(selects)
        + ", line_number as _row_number from staged_objects order by line_number",
        params,
    )
    return finish_table_load(ctx, layout, int(rejected[0]) if rejected else 0)


def read_object_lines(ctx: LoadContext, target_table: str) -> tuple[list[tuple[int, Any]], int]:
    """Every JSON object line of the file, parsed, with its line number; lines that are
    not JSON objects (a truncated last line, say) are quarantined and counted."""
    conn = ctx.conn
    conn.execute("drop table if exists staged_lines")
    with readable_by_duckdb(ctx.path, ctx.encoding) as (readable, encoding):
        execute_sql_file(
            conn,
            "stage_json_lines.sql",
            {"path": str(readable), "encoding": encoding, "max_line_size": MAX_LINE.value()},
        )
    execute_sql_file(
        conn, "quarantine_invalid_json_lines.sql", {**ctx.lineage(), "target_table": target_table}
    )
    rejected = conn.execute("select count(*) from staged_lines where not is_object").fetchone()
    lines = conn.execute(
        "select line_number, line from staged_lines where is_object order by line_number"
    ).fetchall()
    objects: list[tuple[int, Any]] = []
    refused: list[tuple[int, object, str]] = []
    for number, line in lines:
        # Nested members are read here too: one named twice, or nesting beyond the
        # limit, makes the line ambiguous or unreadable, so it is quarantined.
        try:
            objects.append((int(number), loads_strict(line)))
        except LimitExceeded as error:
            refused.append((int(number), line, str(error)))
    quarantine_records(ctx, target_table, refused)
    return objects, (int(rejected[0]) if rejected else 0) + len(refused)
