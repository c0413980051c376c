"""Writing the raw layer's rows into the lake, and keeping the lake in line with raw.

A load's files are written inside the load's own DuckDB transaction, under temporary
names, and named in `raw.lake_files` there; after the commit they are renamed to their
final names. A process killed before the commit leaves only temporary files, which no
engine reads and the next sync removes; one killed after it leaves committed files under
temporary names, which the next sync renames. `sync_lake` also writes what changed
outside file loads (API windows, dropped loads, the raw gates' verdicts) and the
snapshot tables, so a sync before every build on the lake makes it match raw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from ingestion.lake.store import (
    RAW_FOLDER,
    Lake,
    load_file,
    schema_file,
    snapshot_file,
    temporary_name,
)
from ingestion.warehouse import quote_identifier

SQL_DIR = Path(__file__).resolve().parent / "sql"
# Tables the lake holds whole, rewritten on every sync: what staging reads besides the
# loads' rows (the raw gates' verdicts, the vendor registry's sources, the survey
# registry) and the load ledger, for lineage.
SNAPSHOT_TABLES = ("feedback_sources", "load_audits", "load_ledger", "survey_registry")


def read_sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


@dataclass
class PendingFiles:
    """Files written under temporary names in an open transaction; `publish` after the
    commit gives them their final names and removes the files struck from the ledger."""

    lake: Lake
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def publish(self) -> None:
        for path in self.written:
            self.lake.rename(temporary_name(path), path)
        for path in self.removed:
            self.lake.remove(path)


@dataclass(frozen=True)
class SyncResult:
    files_written: int
    files_removed: int
    files_recovered: int
    rows_written: int


def ensure_lake_ledger(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(read_sql("lake_files.sql"))


def per_load_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Every raw table whose rows carry the load that wrote them (`_load_id`)."""
    rows = conn.execute(
        "select table_name from duckdb_columns() where schema_name = 'raw'"
        " and column_name = '_load_id' and database_name = current_database()"
        " order by table_name"
    ).fetchall()
    return [str(row[0]) for row in rows]


def _relation(table: str) -> str:
    # table names come from the catalogue, quoted
    return f"raw.{quote_identifier(table)}"


def _record(
    conn: duckdb.DuckDBPyConnection,
    path: str,
    table: str,
    load_id: str | None,
    load_date: date | None,
    row_count: int,
) -> None:
    conn.execute("delete from raw.lake_files where path = ?", [path])
    conn.execute(
        read_sql("record_lake_file.sql"),
        {
            "path": path,
            "table_name": table,
            "load_id": load_id,
            "load_date": load_date,
            "row_count": row_count,
        },
    )


def _strike(conn: duckdb.DuckDBPyConnection, paths: list[str], pending: PendingFiles) -> None:
    for path in paths:
        conn.execute("delete from raw.lake_files where path = ?", [path])
        pending.removed.append(path)


def _write_load_file(
    conn: duckdb.DuckDBPyConnection,
    lake: Lake,
    table: str,
    load_id: str,
    load_date: date,
    row_count: int,
    pending: PendingFiles,
) -> str:
    path = load_file(table, load_date, load_id)
    lake.write_parquet(
        conn,
        f"select * from {_relation(table)} where _load_id = $load_id",
        {"load_id": load_id},
        temporary_name(path),
    )
    _record(conn, path, table, load_id, load_date, row_count)
    pending.written.append(path)
    return path


def stage_load(conn: duckdb.DuckDBPyConnection, lake: Lake, load_id: str) -> PendingFiles:
    """Inside the load's open transaction: its rows of every raw table as Parquet under
    temporary names, named in the ledger; the files of loads a re-delivery of the same
    file replaced are struck from it. Call `publish()` on the result after the commit."""
    ensure_lake_ledger(conn)
    pending = PendingFiles(lake)
    for table in per_load_tables(conn):
        row = conn.execute(
            f"select count(*), cast(timezone('UTC', min(_loaded_at)) as date)"
            f" from {_relation(table)} where _load_id = $load_id",
            {"load_id": load_id},
        ).fetchone()
        if row and row[0]:
            _write_load_file(conn, lake, table, load_id, row[1], int(row[0]), pending)
    gone = conn.execute(read_sql("lake_files_of_loads_gone.sql")).fetchall()
    _strike(conn, [str(row[0]) for row in gone], pending)
    return pending


def recover(conn: duckdb.DuckDBPyConnection, lake: Lake) -> int:
    """Finish what a killed process left: committed files still under their temporary
    name are renamed; files no ledger row names (uncommitted, or struck) are removed; a
    committed file missing altogether loses its ledger row, so the sync writes it again.
    Returns the files renamed."""
    ensure_lake_ledger(conn)
    ledgered = {str(row[0]) for row in conn.execute("select path from raw.lake_files").fetchall()}
    present = lake.files(RAW_FOLDER)
    renamed = 0
    for path in sorted(ledgered - present):
        temporary = temporary_name(path)
        if temporary in present:
            lake.rename(temporary, path)
            present.discard(temporary)
            present.add(path)
            renamed += 1
        else:
            conn.execute("delete from raw.lake_files where path = ?", [path])
    for path in sorted(present - ledgered):
        lake.remove(path)
    return renamed


def sync_lake(conn: duckdb.DuckDBPyConnection, lake: Lake, *, rewrite: bool = False) -> SyncResult:
    """Make the lake hold exactly what raw holds: a file per load and table (rewritten
    when the load's row count changed, removed when the load left raw), the snapshot
    tables, and each table's schema file. One transaction for the ledger; renames after.
    `rewrite` writes every load's file again, whatever its row count: after `pulse forget`
    masked text in rows that stay."""
    recovered = recover(conn, lake)
    pending = PendingFiles(lake)
    rows_written = 0
    conn.execute("begin transaction")
    try:
        for table in per_load_tables(conn):
            rows_written += _sync_table(conn, lake, table, pending, rewrite)
        for table in SNAPSHOT_TABLES:
            path = snapshot_file(table)
            lake.write_parquet(conn, f"select * from {_relation(table)}", {}, temporary_name(path))
            count = conn.execute(f"select count(*) from {_relation(table)}").fetchone()
            _record(conn, path, table, None, None, int(count[0]) if count else 0)
            pending.written.append(path)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    pending.publish()
    for table in [*per_load_tables(conn), *SNAPSHOT_TABLES]:
        path = schema_file(table)
        lake.write_parquet(
            conn, f"select * from {_relation(table)} limit 0", {}, temporary_name(path)
        )
        lake.rename(temporary_name(path), path)
    return SyncResult(
        files_written=len(pending.written),
        files_removed=len(pending.removed),
        files_recovered=recovered,
        rows_written=rows_written,
    )


def _sync_table(
    conn: duckdb.DuckDBPyConnection,
    lake: Lake,
    table: str,
    pending: PendingFiles,
    rewrite: bool = False,
) -> int:
    """Write the loads of one table whose file is missing or out of date; strike those of
    loads gone from raw. Returns the rows written."""
    in_raw = {
        str(load_id): (int(count), load_date)
        for load_id, count, load_date in conn.execute(
            f"select _load_id, count(*), cast(timezone('UTC', min(_loaded_at)) as date)"
            f" from {_relation(table)} group by _load_id"
        ).fetchall()
    }
    in_lake = {
        str(load_id): (str(path), int(count))
        for load_id, path, count in conn.execute(
            "select load_id, path, row_count from raw.lake_files"
            " where table_name = ? and load_id is not null",
            [table],
        ).fetchall()
    }
    written = 0
    for load_id, (count, load_date) in sorted(in_raw.items()):
        path = load_file(table, load_date, load_id)
        if not rewrite and in_lake.get(load_id) == (path, count):
            continue
        stored = in_lake.get(load_id)
        if stored and stored[0] != path:
            _strike(conn, [stored[0]], pending)
        _write_load_file(conn, lake, table, load_id, load_date, count, pending)
        written += count
    gone = sorted(path for load_id, (path, _) in in_lake.items() if load_id not in in_raw)
    _strike(conn, gone, pending)
    return written


def write_snapshots(
    conn: duckdb.DuckDBPyConnection, lake: Lake, schema: str, tables: tuple[str, ...]
) -> dict[str, int]:
    """Tables of another layer of the warehouse file (the text scorer's `analytics`), each
    whole as one file under `<schema>/<table>/`, with its schema file; returns rows per
    table. Written under a temporary name and renamed, so an engine reads the old file or
    the new one. No ledger: nothing but these files is written there."""
    written: dict[str, int] = {}
    for table in tables:
        relation = f"{quote_identifier(schema)}.{quote_identifier(table)}"
        for path, query in (
            (snapshot_file(table, schema), f"select * from {relation}"),
            (schema_file(table, schema), f"select * from {relation} limit 0"),
        ):
            lake.write_parquet(conn, query, {}, temporary_name(path))
            lake.rename(temporary_name(path), path)
        count = conn.execute(f"select count(*) from {relation}").fetchone()
        written[table] = int(count[0]) if count else 0
    return written
