"""Staged rows: the temp tables a load fills before one insert per raw table writes them.

File readers stage into the temp table `staged` with DuckDB's own readers, check and
quarantine there, then hand it over under the shape's name (`promote_staged`). Rows that a
vendor module mapped in Python (API pages, JSON documents, EL-tool envelopes) are staged
straight under that name (`stage_rows`). Either way `insert_staged` runs the same
statement, so a review from a CSV export and one from an API page land alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb

from ingestion.records import Row, text_or_none
from ingestion.staged import StagedShape
from ingestion.warehouse import execute_sql_file, quote_identifier


def stage_rows(
    conn: duckdb.DuckDBPyConnection,
    shape: StagedShape,
    rows: Sequence[Row],
    row_numbers: Sequence[int],
    table: str | None = None,
) -> None:
    """Temp table `staged_<table>` (or `table`) of text columns plus `_row_number`.

    Each column goes in as one bound list unnested by DuckDB: a row at a time through
    executemany costs about a hundred times more.
    """
    name = quote_identifier(table or shape.staged_table)
    definitions = ", ".join(f"{quote_identifier(column)} varchar" for column in shape.columns)
    conn.execute(f"create or replace temp table {name} ({definitions}, _row_number bigint)")
    if not rows:
        return
    values = [[text_or_none(row.get(column)) for row in rows] for column in shape.columns]
    selects = ", ".join(f"unnest(${index + 1}::varchar[])" for index in range(len(values)))
    conn.execute(
        f"insert into {name} select {selects}, unnest(${len(values) + 1}::bigint[])",
        [*values, list(row_numbers)],
    )


def promote_staged(conn: duckdb.DuckDBPyConnection, shape: StagedShape) -> None:
    """Hand the checked temp table `staged` over under the shape's staged name."""
    conn.execute(f"drop table if exists {quote_identifier(shape.staged_table)}")
    conn.execute(f"alter table staged rename to {quote_identifier(shape.staged_table)}")


def insert_staged(
    conn: duckdb.DuckDBPyConnection, shape: StagedShape, params: Mapping[str, object]
) -> int:
    """Write the staged rows into the raw table; returns how many rows it wrote."""
    written = execute_sql_file(conn, shape.insert_sql, dict(params)).fetchone()
    return int(written[0]) if written else 0


def add_missing_columns(conn: duckdb.DuckDBPyConnection, table: str, wanted: Sequence[str]) -> None:
    """Give a staged table every column the insert statement reads, empty when missing."""
    present = {
        row[0]
        for row in conn.execute(
            "select column_name from duckdb_columns()"
            " where database_name = 'temp' and table_name = ?",
            [table],
        ).fetchall()
    }
    for column in wanted:
        if column not in present:
            conn.execute(
                f"alter table {quote_identifier(table)} add column {quote_identifier(column)}"
                " varchar"
            )
