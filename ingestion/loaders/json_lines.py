"""JSON lines exports (one object per line), read by DuckDB line by line.

Each line is parsed on its own, so a truncated or malformed line is quarantined with its
line number while the rest of the file loads.
"""

from __future__ import annotations

from ingestion.layouts import TableLayout
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.csv_stage import readable_by_duckdb
from ingestion.loaders.tables import finish_table_load
from ingestion.warehouse import execute_sql_file, quote_identifier


def load_table_json_lines(ctx: LoadContext, layout: TableLayout) -> LoadCounts:
    conn = ctx.conn
    conn.execute("drop table if exists staged_lines")
    conn.execute("drop table if exists staged")
    with readable_by_duckdb(ctx.path, ctx.encoding) as (readable, encoding):
        execute_sql_file(
            conn, "stage_json_lines.sql", {"path": str(readable), "encoding": encoding}
        )
    rejected = execute_sql_file(
        conn,
        "quarantine_invalid_json_lines.sql",
        {**ctx.lineage(), "target_table": layout.target_table},
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
