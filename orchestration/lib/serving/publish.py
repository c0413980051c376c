"""Publish the marts as a read-only DuckDB file that BI tools open without the writer's lock.

The copy is written to a temporary file beside the target and moved over it with
os.replace, which is atomic on one filesystem: a reader opens either the previous complete
copy or the new complete copy, never a half-written one, and a reader that already has the
previous file open keeps reading it undisturbed.

A daily run changes a few marts: the new copy starts from the previous one (a file copy:
readers hold the published file open, so it cannot be written in place) and writes again
only what changed since that copy was published. Which tables changed comes from the run
record (`RunRecord`: the dbt models rebuilt since the previous copy) when the caller has
one: a model it covers and did not rebuild is left as it is, unread. A table the record
does not cover (a Python mart), or every table when there is no record, is compared by
its content fingerprint (row count and the xor of every row's hash) with the one the
previous copy recorded.

A large table that must be written and that the copy already holds with the same
columns is brought up to date row by row: the rows whose hash the warehouse no longer
has are deleted from the copy and the warehouse's rows the copy lacks are inserted, so a
daily batch of 1% new feedback writes 1% of the rows instead of the whole table. When
more than a fifth of the rows differ, when either side holds duplicate rows, or when the
row counts differ afterwards, the table is written whole instead. A table whose rows carry
the start of the run that wrote them (`STAMPED_TABLES`: the feedback fact) skips the
hashing: the rows stamped after the copy's newest replace those of the same key, and only
when the warehouse deleted rows are the hashes matched.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

# Where the copy goes is a setting; re-exported for the modules that import it from here.
from ingestion import settings
from ingestion.faults import fault_point
from ingestion.settings import published_warehouse_path as published_warehouse_path
from ingestion.warehouse import quote_identifier, table_exists

SQL_DIR = Path(__file__).resolve().parent / "sql"
PUBLISHED_SCHEMAS = ("marts",)
# The load ledger is published too: the landing sensor reads it here instead of opening
# the warehouse, whose single writer a reader would block. So are the held loads, the
# freshness per source and the latest result of every check, for the dashboard.
LEDGER_SCHEMA = "pipeline"
PREVIEW_ROWS = 5
# Held back from the check results: descriptions can be long (a check's whole summary).
DESCRIPTION_CHARACTERS = 500
# A table the copy holds with at least this many rows is updated row by row when it
# changed (smaller ones are cheaper to write whole), unless more than this share of its
# rows differ.
ROW_LEVEL_MIN_ROWS = 100_000
ROW_LEVEL_MAX_CHANGED_SHARE = 0.2
# Tables whose every row carries the start of the dbt run that wrote it, under a unique
# key (table: key column, stamp column). int_feedback_items stamps each item it scores
# with its run's start, and a later run replaces an item whole or deletes it, never
# edits it in place. Runs take the warehouse's one writer in turn, so a run's stamp is
# later than any stamp the copy holds: the copy needs only the rows stamped after its
# own newest, without hashing the 12M rows of the fact on both sides.
STAMPED_TABLES: Mapping[str, tuple[str, str]] = {
    "marts.fct_feedback_items": ("feedback_item_id", "scored_at"),
}


@dataclass(frozen=True)
class RunRecord:
    """What the builds since the previous copy was published did, as "schema.table"
    names: `covered` are the relations those builds would have rebuilt had their
    inputs changed (every dbt model), `rebuilt` the ones they did rebuild. A covered
    relation not rebuilt holds what the previous copy holds."""

    covered: frozenset[str]
    rebuilt: frozenset[str]

    def unchanged(self, name: str) -> bool:
        return name in self.covered and name not in self.rebuilt


def run_record_from_dbt(
    manifest: Mapping[str, Any], run_results: Sequence[Mapping[str, Any]]
) -> RunRecord:
    """The record of dbt builds: every model of the manifest is covered, and the models
    in the builds' run results (`results` of each run_results.json) were rebuilt."""
    relations = {
        unique_id: f"{node['schema']}.{node.get('alias') or node['name']}"
        for unique_id, node in manifest["nodes"].items()
        if node.get("resource_type") == "model"
    }
    rebuilt = {
        relations[result["unique_id"]]
        for results in run_results
        for result in results.get("results", [])
        if result.get("unique_id") in relations
    }
    return RunRecord(frozenset(relations.values()), frozenset(rebuilt))


@dataclass(frozen=True)
class CheckResult:
    """The latest evaluation of one asset check, as the published copy records it."""

    asset_key: str  # "marts/metrics_nps"
    check_name: str
    is_blocking: bool
    # passed, warned (failed with WARN severity), failed, did_not_complete (planned in a
    # run that ended without judging), pending (still to run in this run) or never_run
    outcome: str
    severity: str | None = None  # error or warn
    description: str | None = None
    failed_rows: int | None = None
    run_id: str | None = None
    evaluated_at: datetime | None = None


@dataclass(frozen=True)
class FreshnessWindows:
    """How old a source's latest load may be before it is late (warn) or stale (fail)."""

    warn_after: timedelta
    fail_after: timedelta


# The raw assets' daily freshness policy (orchestration/freshness.py) in plain numbers;
# the asset passes the policy's own windows.
DEFAULT_FRESHNESS = FreshnessWindows(timedelta(hours=26), timedelta(hours=30))


@dataclass(frozen=True)
class PublishResult:
    path: Path
    build_id: str
    row_counts: dict[str, int]  # "schema.table" -> rows
    elapsed_seconds: float
    written: tuple[str, ...] = ()  # the tables copied again; the others were unchanged
    updated_rows: tuple[str, ...] = ()  # of those, the ones updated row by row
    seconds: Mapping[str, float] | None = None  # where the time went, by stage


def _read_sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def _qualified(schema: str, table: str) -> str:
    return f"{quote_identifier(schema)}.{quote_identifier(table)}"


def publish_marts(
    warehouse: Path,
    published: Path,
    build_id: str | None = None,
    check_results: Sequence[CheckResult] = (),
    freshness: FreshnessWindows = DEFAULT_FRESHNESS,
    run_record: RunRecord | None = None,
) -> PublishResult:
    """Copy every mart table and view (and the load ledger, held loads, freshness per
    source and `check_results`) into `published` as tables, replacing it atomically.
    `run_record` says what the builds since the previous copy rebuilt; without it every
    table is compared by fingerprint."""
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    build_id = build_id or uuid.uuid4().hex
    if not warehouse.is_file():
        raise FileNotFoundError(f"warehouse {warehouse} does not exist: nothing to publish")
    published.parent.mkdir(parents=True, exist_ok=True)
    temporary = published.with_name(f".{published.name}.{uuid.uuid4().hex}.tmp")
    try:
        if _is_previous_copy(published):
            shutil.copyfile(published, temporary)
        seconds["copy_previous"] = round(time.perf_counter() - started, 2)
        outcome = _write_copy(
            warehouse, temporary, build_id, check_results, freshness, run_record, seconds
        )
        fault_point("publish")  # the fault suite kills the run here: a copy not swapped in
        os.replace(temporary, published)
    finally:
        temporary.unlink(missing_ok=True)
        temporary.with_name(temporary.name + ".wal").unlink(missing_ok=True)
        shutil.rmtree(temporary.with_name(temporary.name + ".spill"), ignore_errors=True)
    elapsed = time.perf_counter() - started
    return PublishResult(
        published,
        build_id,
        outcome.row_counts,
        elapsed,
        tuple(outcome.written),
        tuple(outcome.updated_rows),
        seconds,
    )


@dataclass
class _Outcome:
    row_counts: dict[str, int]
    written: list[str]
    updated_rows: list[str]


def _write_copy(
    warehouse: Path,
    target: Path,
    build_id: str,
    check_results: Sequence[CheckResult],
    freshness: FreshnessWindows,
    run_record: RunRecord | None,
    seconds: dict[str, float],
) -> _Outcome:
    # Both files attached under fixed aliases, so a file's own name never shadows a schema.
    conn = duckdb.connect()
    try:
        # Under the warehouse's memory cap, spilling beside the copy: left to itself DuckDB
        # takes up to 80% of the machine's memory (10 GiB for the L benchmark's publish).
        memory_limit = _string_literal(settings.duckdb_memory_limit())
        conn.execute(f"set memory_limit = {memory_limit}")
        spill = _string_literal(str(target.with_name(target.name + ".spill")))
        conn.execute(f"set temp_directory = {spill}")
        # Row order carries no meaning in a mart; without it the copy of the 12M-row fact
        # runs in parallel (about a fifth faster on the benchmark's M workload).
        conn.execute("set preserve_insertion_order = false")
        # ATTACH takes no bound parameters: the paths are quoted string literals.
        conn.execute(f"attach {_string_literal(str(target))} as published")
        conn.execute(f"attach {_string_literal(str(warehouse))} as warehouse (read_only)")
        conn.execute("use published")
        tables = conn.execute(
            _read_sql("published_tables.sql"), {"schemas": list(PUBLISHED_SCHEMAS)}
        ).fetchall()
        if not tables:
            raise RuntimeError(f"warehouse {warehouse} has no tables in {PUBLISHED_SCHEMAS}")
        outcome = _Outcome({}, [], [])
        previous = _previous_publication(conn)
        fingerprints: dict[str, str] = {}
        conn.execute("begin")
        _drop_tables_gone(conn, {f"{schema}.{table}" for schema, table in tables})
        for schema, table in tables:
            table_started = time.perf_counter()
            name = f"{schema}.{table}"
            # schema and table names come from the warehouse catalog, quoted
            source = f"warehouse.{_qualified(schema, table)}"
            copied = _qualified(schema, table)
            if name in previous and run_record is not None and run_record.unchanged(name):
                # Not rebuilt since the previous copy: it holds these rows already.
                fingerprints[name], outcome.row_counts[name] = previous[name]
                continue
            if name in previous and (run_record is None or name not in run_record.covered):
                fingerprints[name], outcome.row_counts[name] = _fingerprint(conn, source)
                if previous[name][0] == fingerprints[name]:
                    continue  # the previous copy holds these rows already
            updated = None
            if name in previous and previous[name][1] >= ROW_LEVEL_MIN_ROWS:
                if name in STAMPED_TABLES:
                    updated = _update_stamped_rows(conn, source, copied, *STAMPED_TABLES[name])
                if updated is None:
                    updated = _update_rows(conn, source, copied)
            if updated is not None:
                fingerprints[name], outcome.row_counts[name] = updated
                outcome.updated_rows.append(name)
            else:
                conn.execute(f"create schema if not exists {quote_identifier(schema)}")
                conn.execute(f"create or replace table {copied} as select * from {source}")
                # Read from the copy just written: cheaper than the warehouse's views.
                fingerprints[name], outcome.row_counts[name] = _fingerprint(conn, copied)
            outcome.written.append(name)
            seconds[f"write {name}"] = round(time.perf_counter() - table_started, 2)
        seconds["marts"] = round(sum(v for k, v in seconds.items() if k.startswith("write ")), 2)
        conn.execute(f"drop schema if exists {quote_identifier(LEDGER_SCHEMA)} cascade")
        conn.execute(f"create schema {quote_identifier(LEDGER_SCHEMA)}")
        if _has_raw_table(conn, "load_ledger"):
            conn.execute(_read_sql("publish_ledger.sql"))
        published_at = datetime.now(UTC)
        _write_pipeline_health(conn, published_at, check_results, freshness)
        conn.execute(_read_sql("create_publication.sql"))
        conn.executemany(
            _read_sql("insert_publication.sql"),
            [
                [build_id, published_at, name, rows, fingerprints[name]]
                for name, rows in sorted(outcome.row_counts.items())
            ],
        )
        conn.execute("commit")
        conn.execute("detach warehouse")
        checkpoint_started = time.perf_counter()
        conn.execute("checkpoint published")
        seconds["checkpoint"] = round(time.perf_counter() - checkpoint_started, 2)
        conn.execute("use memory")
        conn.execute("detach published")
    finally:
        conn.close()
    return outcome


def _same_columns(conn: duckdb.DuckDBPyConnection, source: str, copied: str) -> bool:
    columns = [
        [(column[0], str(column[1])) for column in conn.execute(query).description or []]
        for query in (f"select * from {source} limit 0", f"select * from {copied} limit 0")
    ]
    return columns[0] == columns[1]


def _update_stamped_rows(
    conn: duckdb.DuckDBPyConnection, source: str, copied: str, key: str, stamp: str
) -> tuple[str, int] | None:
    """Bring a stamped table's copy up to the warehouse's rows: the rows stamped after the
    copy's newest stamp replace those of the same key, or are added. The warehouse's
    older rows are in the copy already, so equal row counts afterwards mean equal tables;
    other counts (the warehouse deleted rows) return None, and the caller matches row
    hashes instead, which deletes what the copy holds beyond the warehouse."""
    if not _same_columns(conn, source, copied):
        return None
    key, stamp = quote_identifier(key), quote_identifier(stamp)
    newest_copied = _scalar(conn, f"select max({stamp}) from {copied}")
    if newest_copied is None:
        return None
    conn.execute(
        f"create or replace temp table publish_stamped_rows as"
        f" select * from {source} where {stamp} > ?",
        [newest_copied],
    )
    try:
        copied_rows = _scalar(conn, f"select count(*) from {copied}")
        stamped_rows = _scalar(conn, "select count(*) from publish_stamped_rows")
        if stamped_rows > ROW_LEVEL_MAX_CHANGED_SHARE * max(copied_rows, 1):
            return None
        if stamped_rows:
            conn.execute(
                f"delete from {copied} where {key} in (select {key} from publish_stamped_rows)"
            )
            conn.execute(f"insert into {copied} select * from publish_stamped_rows")
        rows = _scalar(conn, f"select count(*) from {source}")
        if _scalar(conn, f"select count(*) from {copied}") != rows:
            return None
        newest = _scalar(conn, f"select max({stamp}) from {copied}")
        return f"{rows}:{stamp}:{newest}", int(rows)
    finally:
        conn.execute("drop table if exists publish_stamped_rows")


def _scalar(conn: duckdb.DuckDBPyConnection, query: str) -> Any:
    row = conn.execute(query).fetchone()
    assert row is not None
    return row[0]


def _update_rows(
    conn: duckdb.DuckDBPyConnection, source: str, copied: str
) -> tuple[str, int] | None:
    """Bring the copy's table up to the warehouse's rows by deleting the rows the
    warehouse no longer has and inserting the ones the copy lacks, matched by row hash.
    Returns the table's fingerprint and rows, or None when it is to be written whole:
    other columns, duplicate rows, too many rows changed, or counts that disagree."""
    if not _same_columns(conn, source, copied):
        return None
    conn.execute(
        f"create or replace temp table publish_source_rows as select hash(t) as row_hash"
        f" from {source} as t"
    )
    conn.execute(
        f"create or replace temp table publish_copied_rows as select rowid as row_id,"
        f" hash(t) as row_hash from {copied} as t"
    )
    try:
        conn.execute(_read_sql("row_level_changes.sql"))
        counts = conn.execute(_read_sql("row_level_counts.sql")).fetchone()
        assert counts is not None
        rows, copied_rows, matched, added, gone, xor = counts
        # A row hash twice on either side makes more matches (or fewer rows) than this.
        if rows != matched + added or copied_rows != matched + gone:
            return None
        if added + gone > ROW_LEVEL_MAX_CHANGED_SHARE * max(copied_rows, 1):
            return None
        if gone:
            conn.execute(
                f"delete from {copied} where rowid in (select gone_row_id from"
                " publish_row_changes where added_hash is null)"
            )
        if added:
            conn.execute(
                f"insert into {copied} select * from {source} as t where hash(t) in"
                " (select added_hash from publish_row_changes where gone_row_id is null)"
            )
        # The cheap check that the copy now holds the warehouse's rows.
        after = conn.execute(f"select count(*) from {copied}").fetchone()
        if after is None or after[0] != rows:
            return None
        return f"{rows}:{xor}", int(rows)
    finally:
        for table in ("publish_source_rows", "publish_copied_rows", "publish_row_changes"):
            conn.execute(f"drop table if exists {table}")


def _is_previous_copy(published: Path) -> bool:
    """A complete earlier copy to start from (a damaged one is written again in full)."""
    if not published.is_file():
        return False
    try:
        with duckdb.connect(str(published), read_only=True) as conn:
            return table_exists(conn, LEDGER_SCHEMA, "publication")
    except duckdb.Error:
        return False


def _previous_publication(conn: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, int]]:
    """What the copy being updated recorded for each table it holds: fingerprint and
    rows; nothing for a new copy or one written before fingerprints were recorded."""
    columns = {
        row[0]
        for row in conn.execute(
            "select column_name from duckdb_columns() where database_name = 'published'"
            " and schema_name = ? and table_name = 'publication'",
            [LEDGER_SCHEMA],
        ).fetchall()
    }
    if "fingerprint" not in columns:
        return {}
    held = {
        f"{schema}.{table}"
        for schema, table in conn.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'published'"
        ).fetchall()
    }
    rows = conn.execute(
        f"select table_name, fingerprint, row_count from {_qualified(LEDGER_SCHEMA, 'publication')}"
    ).fetchall()
    return {name: (fingerprint, int(count)) for name, fingerprint, count in rows if name in held}


def _drop_tables_gone(conn: duckdb.DuckDBPyConnection, current: set[str]) -> None:
    """Tables of the published schemas the warehouse no longer has."""
    held = conn.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = 'published'"
        " and list_contains(?, schema_name)",
        [list(PUBLISHED_SCHEMAS)],
    ).fetchall()
    for schema, table in held:
        if f"{schema}.{table}" not in current:
            conn.execute(f"drop table {_qualified(schema, table)}")


def _fingerprint(conn: duckdb.DuckDBPyConnection, relation: str) -> tuple[str, int]:
    """Row count and the order-free xor of every row's hash: one scan, no copy."""
    row = conn.execute(
        f"select count(*), coalesce(bit_xor(hash(t)), 0) from {relation} as t"
    ).fetchone()
    rows = int(row[0]) if row else 0
    return (f"{rows}:{row[1]}" if row else "0:0"), rows


def _string_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _has_raw_table(conn: duckdb.DuckDBPyConnection, table: str) -> bool:
    return table_exists(conn, "raw", table, database="warehouse")


def _write_pipeline_health(
    conn: duckdb.DuckDBPyConnection,
    published_at: datetime,
    check_results: Sequence[CheckResult],
    freshness: FreshnessWindows,
) -> None:
    """Held loads, freshness per source and check results: small tables, set-based."""
    conn.execute(_read_sql("create_pipeline_health.sql"))
    if _has_raw_table(conn, "load_audits") and _has_raw_table(conn, "load_ledger"):
        conn.execute(_read_sql("publish_held_loads.sql"))
    conn.execute(_read_sql("freshness_loads.sql"))
    if _has_raw_table(conn, "load_ledger"):
        conn.execute(_read_sql("freshness_loads_from_ledger.sql"))
    if _has_raw_table(conn, "api_windows"):
        conn.execute(_read_sql("freshness_loads_from_api_windows.sql"))
    conn.execute(
        _read_sql("publish_source_freshness.sql"),
        {
            "published_at": published_at,
            "warn_after_hours": freshness.warn_after.total_seconds() / 3600,
            "fail_after_hours": freshness.fail_after.total_seconds() / 3600,
        },
    )
    conn.execute("drop table freshness_loads")
    if check_results:
        conn.execute(_read_sql("insert_check_results.sql"), _check_columns(check_results))


def _check_columns(results: Sequence[CheckResult]) -> dict[str, list[object]]:
    """The results as one list per column, for a single set-based insert."""
    return {
        "asset_key": [result.asset_key for result in results],
        "check_name": [result.check_name for result in results],
        "is_blocking": [result.is_blocking for result in results],
        "outcome": [result.outcome for result in results],
        "severity": [result.severity for result in results],
        "description": [
            None if result.description is None else result.description[:DESCRIPTION_CHARACTERS]
            for result in results
        ],
        "failed_rows": [result.failed_rows for result in results],
        "run_id": [result.run_id for result in results],
        "evaluated_at": [result.evaluated_at for result in results],
    }


def published_build_id(published: Path) -> str | None:
    """The build that wrote the copy (one per copy); None without a readable copy."""
    if not _is_previous_copy(published):
        return None
    with duckdb.connect(str(published), read_only=True) as conn:
        row = conn.execute(
            f"select max(build_id) from {_qualified(LEDGER_SCHEMA, 'publication')}"
        ).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def published_check_keys(published: Path) -> list[tuple[str, str, bool]]:
    """(asset key, check name, is blocking) of every check the copy reports; none when
    there is no copy yet or it predates check results."""
    if not published.is_file():
        return []
    conn = duckdb.connect(str(published), read_only=True)
    try:
        if not table_exists(conn, LEDGER_SCHEMA, "check_results"):
            return []
        rows = conn.execute(_read_sql("published_check_keys.sql")).fetchall()
    finally:
        conn.close()
    return [(str(asset_key), str(name), bool(blocking)) for asset_key, name, blocking in rows]


def preview_markdown(published: Path, table: str, limit: int = PREVIEW_ROWS) -> str:
    """The first rows of a published table as a Markdown table."""
    return previews_markdown(published, [table], limit)


def previews_markdown(published: Path, tables: list[str], limit: int = PREVIEW_ROWS) -> str:
    """The first rows of each published table, one Markdown section per table."""
    sections = []
    conn = duckdb.connect(str(published), read_only=True)
    try:
        for table in tables:
            schema, name = table.split(".", 1)
            # schema and table come from the publication's own catalog, quoted
            cursor = conn.execute(f"select * from {_qualified(schema, name)} limit ?", [limit])
            columns = [column[0] for column in cursor.description or []]
            sections.append((table, columns, cursor.fetchall()))
    finally:
        conn.close()
    blocks = []
    for table, columns, rows in sections:
        lines = [f"**{table}**", "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += [
            "| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in rows
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
