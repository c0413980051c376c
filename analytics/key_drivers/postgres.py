"""marts.metrics_key_drivers on PostgreSQL, computed there from its own fct_feedback_items.

The dbt project is rebuilt on PostgreSQL from a copy of the raw layer (see
ingestion/postgres_copy.py); this mart is not a dbt model, so after that `dbt build` it is
computed again from PostgreSQL's marts.fct_feedback_items. Its scored survey items are
streamed out with COPY into an in-memory DuckDB database, the same SQL and model as on
DuckDB run there, and the rows are written back to PostgreSQL in one transaction. A copy
of the DuckDB table would only show that copying works; computing it from PostgreSQL's
own feedback items shows both engines give the same mart (tests/postgres).

    PULSE_PG_HOST=... python -m analytics.key_drivers --postgres
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import duckdb
import psycopg
import pyarrow as pa
from psycopg import sql

from analytics.key_drivers.build import KeyDriverResult, model_rows, read_inputs, read_sql
from analytics.key_drivers.contract import contract, create_table_statement
from analytics.key_drivers.settings import ModelSettings, model_settings
from ingestion.postgres_copy import postgres_connection_settings


def export_feedback_items(conn: psycopg.Connection, target: Path) -> None:
    """PostgreSQL's scored survey items as headerless CSV, streamed with COPY."""
    query = sql.SQL(read_sql("postgres_feedback_items.sql").strip())
    copy = sql.SQL("copy ({}) to stdout (format csv)").format(query)
    with conn.cursor() as cursor, cursor.copy(copy) as stream, target.open("wb") as file:
        for chunk in stream:
            file.write(chunk)


def write_postgres(conn: psycopg.Connection, rows: pa.Table) -> None:
    """Replace the mart inside the caller's transaction."""
    table = contract()
    relation = sql.Identifier(table.schema, table.name)
    conn.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(table.schema)))
    conn.execute(sql.SQL("drop table if exists {}").format(relation))
    conn.execute(sql.SQL(create_table_statement(table)))
    columns = sql.SQL(", ").join(sql.Identifier(name) for name in table.column_names)
    copy = sql.SQL("copy {} ({}) from stdin").format(relation, columns)
    with conn.cursor() as cursor, cursor.copy(copy) as stream:
        for row in rows.to_pylist():
            stream.write_row([row[name] for name in table.column_names])


def build_key_drivers_on_postgres(
    connection_settings: Mapping[str, str] | None = None,
    settings: ModelSettings | None = None,
) -> KeyDriverResult:
    """Replace marts.metrics_key_drivers in PostgreSQL from its marts.fct_feedback_items."""
    started = time.perf_counter()
    settings = settings or model_settings()
    connection = dict(connection_settings or postgres_connection_settings())
    with (
        psycopg.connect(**connection) as target,  # type: ignore[arg-type]
        tempfile.TemporaryDirectory(prefix="pulse-key-drivers-") as scratch,
        duckdb.connect() as local,
    ):
        export = Path(scratch) / "feedback_items.csv"
        export_feedback_items(target, export)
        local.execute("create schema marts")
        local.execute(read_sql("load_feedback_items_copy.sql"), {"path": str(export)})
        patterns, drivers = read_inputs(local)
        rows, result = model_rows(patterns, drivers, settings)
        write_postgres(target, rows)
    return dataclasses.replace(result, seconds=time.perf_counter() - started)
