"""Copy the raw layer from the DuckDB warehouse into a PostgreSQL database.

The dbt project runs unchanged on Postgres (profiles.yml target `postgres`); this module
gives it the same raw tables to read, and any other layer its caller names (the job names
the text scorer's tables, the `analytics` source of the text marts). Each table is
streamed in bulk: DuckDB writes it as CSV with `COPY ... TO`, and psycopg feeds that file
to Postgres with `COPY ... FROM STDIN`.
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

from ingestion.warehouse import connect, drop_view_if_exists

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


# Postgres column type (information_schema.columns.data_type) -> DuckDB column type, for
# the types the marts use; numeric takes its declared precision and scale.
DUCKDB_TYPES: Mapping[str, str] = {
    "text": "VARCHAR",
    "character varying": "VARCHAR",
    "bigint": "BIGINT",
    "integer": "INTEGER",
    "smallint": "SMALLINT",
    "double precision": "DOUBLE",
    "real": "FLOAT",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp without time zone": "TIMESTAMP",
    "timestamp with time zone": "TIMESTAMPTZ",
}


def _postgres_relations(target: psycopg.Connection, schema: str) -> dict[str, dict[str, str]]:
    """Every table and view of `schema` in Postgres: its columns' DuckDB types."""
    rows = target.execute(
        "select table_name, column_name, data_type, numeric_precision, numeric_scale"
        " from information_schema.columns where table_schema = %s"
        " order by table_name, ordinal_position",
        [schema],
    ).fetchall()
    relations: dict[str, dict[str, str]] = {}
    for table, column, data_type, precision, scale in rows:
        duckdb_type = (
            f"DECIMAL({precision}, {scale})"
            if data_type == "numeric"
            else DUCKDB_TYPES.get(data_type)
        )
        if duckdb_type is None:
            raise PostgresCopyError(
                f"{schema}.{table}.{column}: Postgres type {data_type} has no DuckDB mapping"
            )
        relations.setdefault(table, {})[column] = duckdb_type
    return relations


def copy_marts_back(
    warehouse: Path,
    connection_settings: Mapping[str, str] | None = None,
    schema: str = "marts",
    only: Sequence[str] | None = None,
) -> dict[str, int]:
    """Replace the warehouse file's `schema` tables (those named in `only`, when given)
    with the ones dbt built in Postgres (views arrive as tables), so the steps after a
    build read what Postgres built. Each relation is streamed out with COPY as CSV and
    read by DuckDB's CSV reader with the Postgres column types; one DuckDB transaction
    replaces them all."""
    settings = dict(connection_settings or postgres_connection_settings())
    copied: dict[str, int] = {}
    with (
        psycopg.connect(**settings) as source,  # type: ignore[arg-type]
        tempfile.TemporaryDirectory(prefix="pulse-pg-marts-") as scratch,
    ):
        source.execute("set timezone = 'UTC'")
        relations = {
            table: columns
            for table, columns in _postgres_relations(source, schema).items()
            if only is None or table in only
        }
        if not relations:
            raise PostgresCopyError(f"Postgres schema {schema} has no tables to copy back")
        for table in relations:
            query = sql.SQL("copy (select * from {}) to stdout (format csv)").format(
                sql.Identifier(schema, table)
            )
            with (
                source.cursor() as cursor,
                cursor.copy(query) as stream,
                (Path(scratch) / f"{table}.csv").open("wb") as file,
            ):
                for chunk in stream:
                    file.write(chunk)
        target = connect(warehouse)
        try:
            target.execute(f"create schema if not exists {quote_identifier(schema)}")
            target.execute("begin transaction")
            for table, columns in relations.items():
                copied[table] = _replace_duckdb_table(
                    target, schema, table, columns, Path(scratch) / f"{table}.csv"
                )
            target.execute("commit")
        except duckdb.Error:
            target.execute("rollback")
            raise
        finally:
            target.close()
    return copied


def _replace_duckdb_table(
    target: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    columns: dict[str, str],
    csv_file: Path,
) -> int:
    relation = f"{quote_identifier(schema)}.{quote_identifier(table)}"
    drop_view_if_exists(target, schema, table)
    # A quoted empty field is an empty text, an unquoted one a null, as Postgres writes them.
    target.execute(
        f"create or replace table {relation} as select * from read_csv($path, header = false,"
        " allow_quoted_nulls = false, columns = $columns)",
        {"path": str(csv_file), "columns": columns},
    )
    row = target.execute(f"select count(*) from {relation}").fetchone()
    return int(row[0]) if row else 0


def copy_dbt_sources(
    warehouse: Path,
    connection_settings: Mapping[str, str] | None = None,
    extra_layers: Sequence[tuple[str, Sequence[str]]] = (),
) -> dict[str, int]:
    """The raw layer, and each of `extra_layers` (schema, tables) that the warehouse has,
    copied to Postgres; rows per `schema.table`. The caller names the extra layers (the
    text scorer's tables dbt reads), so this module knows nothing of who writes them."""
    from ingestion.warehouse import table_exists

    layers: list[tuple[str, Sequence[str] | None]] = [(RAW_SCHEMA, None)]
    with duckdb.connect(str(warehouse), read_only=True) as source:
        layers += [
            (schema, tables)
            for schema, tables in extra_layers
            if tables and table_exists(source, schema, tables[0])
        ]
    copied = {}
    for schema, only in layers:
        for table, rows in copy_raw_layer(
            warehouse, connection_settings, schema=schema, only=only
        ).items():
            copied[f"{schema}.{table}"] = rows
    return copied


def main() -> None:
    """`python -m ingestion.postgres_copy`: copy PULSE_WAREHOUSE's raw layer to PULSE_PG_*
    (`PULSE_TARGET=postgres pulse run` copies it with the text scorer's tables, builds
    there and copies the marts back)."""
    from ingestion.settings import warehouse_path

    try:
        copied = copy_dbt_sources(warehouse_path())
    except (PostgresCopyError, psycopg.Error, duckdb.Error) as error:
        raise SystemExit(f"postgres copy failed: {error}") from error
    for table, rows in copied.items():
        print(f"{table:<36} {rows:>9} rows")


if __name__ == "__main__":
    main()
