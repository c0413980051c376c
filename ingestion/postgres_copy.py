"""Copy the raw layer from the DuckDB warehouse into a PostgreSQL database.

The dbt project runs unchanged on Postgres (profiles.yml target `postgres`); this module
gives it the same raw tables to read, and the text scorer's tables (the `analytics`
source of the text marts), which the scorer writes into DuckDB. Each table is streamed in
bulk: DuckDB writes it as CSV with `COPY ... TO`, and psycopg feeds that file to Postgres
with `COPY ... FROM STDIN`.
The whole copy is one Postgres transaction that replaces the tables, so a rerun gives the
same result and a failed copy leaves the previous one in place. Views that read the raw
tables (the dbt staging layer) are dropped with them; the next `dbt build` recreates them.

    PULSE_WAREHOUSE=data/warehouse.duckdb PULSE_PG_HOST=... python -m ingestion.postgres_copy
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg
from psycopg import sql

RAW_SCHEMA = "raw"
COPY_CHUNK_BYTES = 1 << 20

# DuckDB column type -> Postgres column type, for the types the raw layer uses.
POSTGRES_TYPES: Mapping[str, str] = {
    "VARCHAR": "text",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "SMALLINT": "smallint",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "JSON": "jsonb",
    "VARCHAR[]": "text[]",
}

# The env variables tests/services/postgres.sh prints, with the same local defaults.
CONNECTION_ENV: Mapping[str, tuple[str, str]] = {
    "host": ("PULSE_PG_HOST", "127.0.0.1"),
    "port": ("PULSE_PG_PORT", "5432"),
    "user": ("PULSE_PG_USER", "pulse"),
    "password": ("PULSE_PG_PASSWORD", ""),
    "dbname": ("PULSE_PG_DATABASE", "pulse"),
}


class PostgresCopyError(RuntimeError):
    """The raw layer could not be copied; the message names the table and the reason."""


@dataclass(frozen=True)
class Column:
    name: str
    postgres_type: str


def postgres_connection_settings() -> dict[str, str]:
    """Connection keywords for psycopg from the PULSE_PG_* environment variables."""
    return {key: os.environ.get(name, default) for key, (name, default) in CONNECTION_ENV.items()}


def quote_identifier(name: str) -> str:
    """A DuckDB identifier, double-quoted (names come from the catalog, never from files)."""
    return '"' + name.replace('"', '""') + '"'


def raw_tables(
    source: duckdb.DuckDBPyConnection, schema: str, only: Sequence[str] | None = None
) -> dict[str, list[Column]]:
    """Every base table of `schema` in the DuckDB warehouse (or those named in `only`)
    with its Postgres column types."""
    rows = source.execute(
        """
        select table_name, column_name, data_type
        from information_schema.columns
        where table_schema = ?
            and table_name in (
                select table_name from information_schema.tables
                where table_schema = ? and table_type = 'BASE TABLE'
            )
            and (? is null or list_contains(?, table_name))
        order by table_name, ordinal_position
        """,
        [schema, schema, only, only],
    ).fetchall()
    tables: dict[str, list[Column]] = {}
    for table, column, data_type in rows:
        postgres_type = POSTGRES_TYPES.get(data_type)
        if postgres_type is None:
            raise PostgresCopyError(
                f"{schema}.{table}.{column}: DuckDB type {data_type} has no Postgres mapping"
            )
        tables.setdefault(table, []).append(Column(column, postgres_type))
    return tables


def postgres_array_literal(column: str) -> str:
    """DuckDB expression writing a text list as a Postgres array literal: every element
    double-quoted with backslashes and quotes escaped, a null element as NULL, so any text
    (commas, braces, quotes, the word NULL) comes back as it went."""
    element = r"""coalesce('"' || replace(replace(x, '\', '\\'), '"', '\"') || '"', 'NULL')"""
    return (
        f"case when {column} is null then null else"
        f" '{{' || coalesce(array_to_string(list_transform({column}, x -> {element}), ','), '')"
        " || '}' end"
    )


def _export_csv(
    source: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    columns: list[Column],
    target: Path,
) -> int:
    """Write the table as headerless CSV (NULL unquoted, empty text quoted); returns rows."""
    relation = f"{quote_identifier(schema)}.{quote_identifier(table)}"
    selected = ", ".join(
        postgres_array_literal(quote_identifier(column.name))
        if column.postgres_type.endswith("[]")
        else quote_identifier(column.name)
        for column in columns
    )
    row = source.execute(
        f"copy (select {selected} from {relation}) to ? (format csv, header false)", [str(target)]
    ).fetchone()
    return int(row[0]) if row else 0


def _replace_table(
    target: psycopg.Connection, schema: str, table: str, columns: list[Column], csv_file: Path
) -> int:
    """Drop and recreate the Postgres table, stream the CSV into it; returns rows copied."""
    relation = sql.Identifier(schema, table)
    target.execute(sql.SQL("drop table if exists {} cascade").format(relation))
    column_definitions = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(column.name), sql.SQL(column.postgres_type))
        for column in columns
    )
    target.execute(sql.SQL("create table {} ({})").format(relation, column_definitions))
    copy_statement = sql.SQL("copy {} from stdin (format csv)").format(relation)
    with target.cursor() as cursor:
        with cursor.copy(copy_statement) as copy, csv_file.open("rb") as stream:
            while chunk := stream.read(COPY_CHUNK_BYTES):
                copy.write(chunk)
        return cursor.rowcount


def copy_raw_layer(
    warehouse: Path,
    connection_settings: Mapping[str, str] | None = None,
    schema: str = RAW_SCHEMA,
    only: Sequence[str] | None = None,
) -> dict[str, int]:
    """Replace `schema` in Postgres with the DuckDB warehouse's (the tables named in
    `only`, when given); returns rows per table."""
    settings = dict(connection_settings or postgres_connection_settings())
    copied: dict[str, int] = {}
    with (
        duckdb.connect(str(warehouse), read_only=True) as source,
        tempfile.TemporaryDirectory(prefix="pulse-pg-copy-") as scratch,
    ):
        # Time stamps leave DuckDB with an explicit +00 offset, whatever the local zone.
        source.execute("set timezone = 'UTC'")
        tables = raw_tables(source, schema, only)
        if not tables:
            raise PostgresCopyError(f"{warehouse}: schema {schema} has no tables to copy")
        with psycopg.connect(**settings) as target:  # type: ignore[arg-type]
            target.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
            for table, columns in tables.items():
                csv_file = Path(scratch) / f"{table}.csv"
                exported = _export_csv(source, schema, table, columns, csv_file)
                loaded = _replace_table(target, schema, table, columns, csv_file)
                if loaded != exported:
                    raise PostgresCopyError(
                        f"{schema}.{table}: {exported} rows exported from DuckDB, {loaded} loaded"
                    )
                copied[table] = loaded
            # Fresh tables have no planner statistics until autovacuum gets to them; dbt's
            # first queries would then be planned as if the tables were empty (nested
            # loops over millions of rows).
            target.execute(sql.SQL("analyze"))
    return copied


def main() -> None:
    """`python -m ingestion.postgres_copy`: copy PULSE_WAREHOUSE's raw layer, and the text
    scorer's tables that dbt reads when the warehouse has them, to PULSE_PG_*."""
    from analytics.text.scoring import DBT_SOURCE_TABLES, TEXT_SCHEMA
    from ingestion.settings import warehouse_path
    from ingestion.warehouse import table_exists

    warehouse = warehouse_path()
    layers: list[tuple[str, Sequence[str] | None]] = [(RAW_SCHEMA, None)]
    with duckdb.connect(str(warehouse), read_only=True) as source:
        if table_exists(source, TEXT_SCHEMA, DBT_SOURCE_TABLES[0]):
            layers.append((TEXT_SCHEMA, DBT_SOURCE_TABLES))
    copied = {}
    try:
        for schema, only in layers:
            for table, rows in copy_raw_layer(warehouse, schema=schema, only=only).items():
                copied[f"{schema}.{table}"] = rows
    except (PostgresCopyError, psycopg.Error, duckdb.Error) as error:
        raise SystemExit(f"postgres copy failed: {error}") from error
    for table, rows in copied.items():
        print(f"{table:<36} {rows:>9} rows")


if __name__ == "__main__":
    main()
