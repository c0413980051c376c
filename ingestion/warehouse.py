"""Connections to the DuckDB warehouse and the raw layer's DDL."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.settings import SQL_DIR


def read_sql(name: str) -> str:
    """Text of a statement file under ingestion/sql."""
    return (SQL_DIR / name).read_text(encoding="utf-8")


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file; the folder is created for a writer."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), read_only=read_only)


def ensure_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema, ledger and quarantine when they are missing."""
    conn.execute(read_sql("raw_schema.sql"))
    conn.execute(read_sql("pseudonymise_macros.sql"))


def quote_identifier(name: str) -> str:
    """Quote a column name for DuckDB (doubling embedded quotes)."""
    return '"' + name.replace('"', '""') + '"'


def execute_sql_file(
    conn: duckdb.DuckDBPyConnection, name: str, params: dict[str, object]
) -> duckdb.DuckDBPyConnection:
    """Run a statement file with the named parameters it uses (DuckDB refuses extras)."""
    sql = read_sql(name)
    used = {key: value for key, value in params.items() if f"${key}" in sql}
    return conn.execute(sql, used)
