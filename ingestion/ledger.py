"""The load ledger: one row per file load attempt, the record of what happened to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from ingestion.warehouse import execute_sql_file


@dataclass(frozen=True)
class LedgerEntry:
    load_id: str
    file_name: str
    file_hash: str
    file_size: int
    encoding: str | None
    source: str | None
    format: str | None
    target_table: str | None
    rows_in: int | None
    rows_loaded: int | None
    rows_quarantined: int | None
    status: str
    error: str | None
    started_at: datetime
    finished_at: datetime | None
    run_id: str | None = None  # the pipeline run that made the attempt (None: the CLI)


# Statuses of a load whose bytes are settled: identical bytes are not loaded again.
SETTLED_STATUSES = ("loaded", "held", "dropped")


def already_loaded(conn: duckdb.DuckDBPyConnection, file_hash: str) -> str | None:
    """The file name under which identical bytes were already loaded (and perhaps held,
    or dropped on purpose), if any."""
    row = conn.execute(
        "select file_name from raw.load_ledger where file_hash = ?"
        " and status in ('loaded', 'held', 'dropped') order by started_at limit 1",
        [file_hash],
    ).fetchone()
    return str(row[0]) if row else None


def has_entry(conn: duckdb.DuckDBPyConnection, file_name: str, file_hash: str, status: str) -> bool:
    row = conn.execute(
        "select count(*) from raw.load_ledger where file_name = ? and file_hash = ? and status = ?",
        [file_name, file_hash, status],
    ).fetchone()
    return bool(row and row[0])


def record(conn: duckdb.DuckDBPyConnection, entry: LedgerEntry) -> None:
    execute_sql_file(conn, "insert_ledger_entry.sql", entry.__dict__)


def remove_previous_version(conn: duckdb.DuckDBPyConnection, file_name: str) -> int:
    """Delete the rows an earlier version of this file loaded (a corrected re-delivery),
    from every raw table: the earlier version may have had another layout, and so have
    written other tables than the new one."""
    removed = 0
    for table in load_tables(conn):
        schema_name, table_name = table.split(".", 1)
        # table names come from the catalogue, quoted; the file name is bound
        result = conn.execute(
            f'delete from "{schema_name}"."{table_name}" where _file_name = ?', [file_name]
        ).fetchone()
        removed += int(result[0]) if result else 0
    conn.execute("delete from raw.quarantine where _file_name = ?", [file_name])
    conn.execute(
        "delete from raw.load_audits where load_id in (select load_id from raw.load_ledger"
        " where file_name = ? and status in ('loaded', 'held'))",
        [file_name],
    )
    conn.execute(
        "update raw.load_ledger set status = 'superseded'"
        " where file_name = ? and status in ('loaded', 'held')",
        [file_name],
    )
    return removed


def load_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Every raw table whose rows carry the load that wrote them (`_load_id`)."""
    rows = conn.execute(
        "select table_name from duckdb_columns() where schema_name = 'raw'"
        " and column_name = '_load_id' and database_name = current_database()"
        " order by table_name"
    ).fetchall()
    return [f"raw.{row[0]}" for row in rows]


def drop_load(conn: duckdb.DuckDBPyConnection, load_id: str) -> int:
    """Remove a load with its rows and quarantined records; the ledger says `dropped`, so
    the same bytes are not loaded again (a changed file is). Returns the rows removed."""
    removed = 0
    for table in load_tables(conn):
        schema_name, table_name = table.split(".", 1)
        # table names come from the catalogue, quoted; the load id is bound
        result = conn.execute(
            f'delete from "{schema_name}"."{table_name}" where _load_id = ?', [load_id]
        ).fetchone()
        removed += int(result[0]) if result else 0
    conn.execute("delete from raw.quarantine where load_id = ?", [load_id])
    conn.execute("delete from raw.load_audits where load_id = ?", [load_id])
    conn.execute(
        "update raw.load_ledger set status = 'dropped', error = 'dropped on request'"
        " where load_id = ?",
        [load_id],
    )
    # An API window's records are forgotten too, so a later pull loads them afresh.
    conn.execute("update raw.api_windows set status = 'dropped' where window_id = ?", [load_id])
    conn.execute("delete from raw.api_records where window_id = ?", [load_id])
    return removed
