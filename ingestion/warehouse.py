"""Connections to the DuckDB warehouse and the raw layer's DDL."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import duckdb

from ingestion import settings
from ingestion.settings import SQL_DIR

LINEAGE_MARKER = "-- lineage columns (ingestion/sql/lineage_columns.sql)"


@cache
def read_sql(name: str) -> str:
    """Text of a statement file under ingestion/sql, its `-- lineage columns` line replaced
    by the lineage every raw row carries (read once per process: the files ship with the
    package)."""
    text = (SQL_DIR / name).read_text(encoding="utf-8")
    if LINEAGE_MARKER in text:
        text = text.replace(f"    {LINEAGE_MARKER}\n", lineage_columns())
    return text


@cache
def lineage_columns() -> str:
    """The select-list lines of a raw row's lineage (_source ... _loaded_at), each ending
    in a comma, with the parameters $source, $file_name, $file_hash, $load_id, $loaded_at."""
    lines = (SQL_DIR / "lineage_columns.sql").read_text(encoding="utf-8").splitlines()
    return "".join(f"{line}\n" for line in lines if not line.startswith("--"))


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file under the memory cap; the folder is created for a writer."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = duckdb.connect(str(path), read_only=read_only)
    # SET, not a connect-time config: DuckDB refuses a second connection to one file with
    # a different config, and other code in the process may have the file open. Large
    # loads spill to the file's .tmp folder beyond the cap.
    memory_limit = settings.duckdb_memory_limit().replace("'", "''")
    conn.execute(f"set memory_limit = '{memory_limit}'")
    return conn


def ensure_raw_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema, ledger and quarantine when they are missing, and write the
    registry's list of feedback sources."""
    conn.execute(read_sql("raw_schema.sql"))
    _migrate_long_survey_answers(conn)
    conn.execute(read_sql("pseudonymise_macros.sql"))
    conn.execute(read_sql("order_macros.sql"))
    write_feedback_sources(conn)


def write_feedback_sources(conn: duckdb.DuckDBPyConnection) -> None:
    """raw.feedback_sources as the vendor registry has it (rewritten only on a change)."""
    from ingestion.vendors import feedback_sources

    rows = [
        (s.source, s.family, s.channel, s.scale_min, s.scale_max, list(s.vendors))
        for s in feedback_sources()
    ]
    stored = conn.execute(
        "select source, family, channel, scale_min, scale_max, vendors"
        " from raw.feedback_sources order by source"
    ).fetchall()
    if [tuple(row) for row in stored] == rows:
        return
    conn.execute("delete from raw.feedback_sources")
    conn.executemany("insert into raw.feedback_sources values (?, ?, ?, ?, ?, ?)", rows)


def _migrate_long_survey_answers(conn: duckdb.DuckDBPyConnection) -> None:
    """A warehouse holding one raw.survey_answers row per answer regroups them into lists."""
    long_form = conn.execute(
        "select count(*) from information_schema.columns where table_schema = 'raw'"
        " and table_name = 'survey_answers' and column_name = 'item_id'"
    ).fetchone()
    if not long_form or not long_form[0]:
        return
    conn.execute("begin transaction")
    try:
        conn.execute(read_sql("migrate_survey_answers_to_lists.sql"))
        conn.execute("commit")
    except duckdb.Error:
        conn.execute("rollback")
        raise


def table_exists(
    conn: duckdb.DuckDBPyConnection, schema: str, table: str, *, database: str | None = None
) -> bool:
    """Whether `schema.table` exists, in `database` when given (an attached file's name)."""
    query = "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?"
    parameters = [schema, table]
    if database is not None:
        query += " and database_name = ?"
        parameters.append(database)
    row = conn.execute(query, parameters).fetchone()
    return bool(row and row[0])


def drop_view_if_exists(conn: duckdb.DuckDBPyConnection, schema: str, name: str) -> None:
    """Drop `schema.name` when it is a view (a mart dbt built on DuckDB), before a table of
    the same name replaces it; a table there (an earlier copy) is left to be replaced."""
    row = conn.execute(
        "select count(*) from duckdb_views() where schema_name = ? and view_name = ?"
        " and database_name = current_database()",
        [schema, name],
    ).fetchone()
    if row and row[0]:
        conn.execute(f"drop view {quote_identifier(schema)}.{quote_identifier(name)}")


def quote_identifier(name: str) -> str:
    """Quote a column name for DuckDB (doubling embedded quotes)."""
    return '"' + name.replace('"', '""') + '"'


def execute_sql_file(
    conn: duckdb.DuckDBPyConnection, name: str, params: dict[str, object]
) -> duckdb.DuckDBPyConnection:
    """Run a statement file with the named parameters it uses (DuckDB refuses extras)."""
    return execute_sql(conn, read_sql(name), params)


def execute_sql(
    conn: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]
) -> duckdb.DuckDBPyConnection:
    """Run `sql` with the named parameters it uses (DuckDB refuses extras)."""
    return conn.execute(sql, {key: value for key, value in params.items() if f"${key}" in sql})


_LOCK_HOLDER = re.compile(
    r'Could not set lock on file "(?P<file>[^"]+)".*?\(PID (?P<pid>\d+)\)', re.S
)


def describe_lock_error(error: BaseException) -> str | None:
    """One line for DuckDB's 'Could not set lock' error, naming the file and the process
    that holds it (its command line, when it runs on this machine); None for other errors."""
    match = _LOCK_HOLDER.search(str(error))
    if not match:
        return None
    pid = match["pid"]
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        command = " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)
    except OSError:
        command = ""
    holder = f"process {pid}" + (f" ({_shorten(command)})" if command else "")
    return f"{match['file']} is in use by {holder}: try again when it finishes"


def _shorten(command: str, width: int = 80) -> str:
    command = " ".join(command.split())  # an argument may hold newlines
    return command if len(command) <= width else command[: width - 3] + "..."


def record_edit(conn: duckdb.DuckDBPyConnection, tables: Iterable[str], reason: str) -> None:
    """Note that rows of raw `tables` were edited in place: the next dbt build rebuilds
    the models downstream of them in full (their loads and row counts did not change)."""
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    for table in sorted(set(tables)):
        conn.execute(
            "insert into raw.table_edits values ($table, 1, $now, $reason)"
            " on conflict (table_name) do update set revision = table_edits.revision + 1,"
            " edited_at = excluded.edited_at, reason = excluded.reason",
            {"table": table, "now": now, "reason": reason},
        )
