"""Load one API window (one run of one vendor endpoint) into the raw layer.

Each page is committed in its own transaction: its changed records replace the rows an
earlier API window wrote for the same natural keys (delete, then insert), so replayed or
overlapping pages create no duplicates, and records whose content is unchanged write
nothing. The cursor is saved only after every page of the window is committed; a failure
part-way leaves it where it was, and the rerun re-reads the window idempotently.
raw.api_window_rows counts, per window and table, the rows inserted and the rows later
replaced, so the ledger reconciliation can check that none went missing. A range window
(run_range_window, a backfill day) loads the same way but neither reads nor saves the
cursor.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Protocol

import duckdb

from ingestion.forget import remove_forgotten
from ingestion.loaders.staging import insert_staged, stage_rows
from ingestion.names import mask_names
from ingestion.records import Record, Row
from ingestion.settings import pseudonym_key
from ingestion.staged import SHAPES, StagedShape
from ingestion.timestamps import parse_utc
from ingestion.warehouse import ensure_raw_schema, execute_sql_file


@dataclass(frozen=True)
class Page:
    body: bytes
    records: Sequence[Record]
    cursor: str | None  # the cursor the window reaches once this page is loaded


class Puller(Protocol):
    vendor: str  # the settings' name (PULSE_API_<VENDOR>_...) and the cursor's
    source: str  # the vendor module whose mapping the rows follow: their lineage source
    endpoint: str
    targets: tuple[str, ...]

    def pages(self, cursor: str | None) -> Iterator[Page]: ...


@dataclass(frozen=True)
class TimeRange:
    """A half-open UTC range [start, end) of vendor time stamps, e.g. one partition day."""

    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        """The day (`2026-01-05`) for a whole UTC day, else `<start>-<end>`."""
        if self.end - self.start == timedelta(days=1) and self.start.time() == time(0):
            return f"{self.start:%Y-%m-%d}"
        return f"{self.start:%Y%m%dT%H%M%SZ}-{self.end:%Y%m%dT%H%M%SZ}"

    def contains(self, stamp: str | None) -> bool:
        return stamp is not None and self.holds(parse_utc(stamp))

    def holds(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


class RangePuller(Puller, Protocol):
    """A puller whose vendor API filters by time: it can pull an explicit range instead."""

    def pages_in(self, time_range: TimeRange) -> Iterator[Page]: ...


@dataclass
class WindowResult:
    window_id: str
    vendor: str
    endpoint: str
    cursor_before: str | None
    cursor_after: str | None = None
    pages: int = 0
    records_changed: int = 0
    records_unchanged: int = 0
    rows_by_table: dict[str, int] = field(default_factory=dict)
    status: str = "running"
    error: str | None = None

    @property
    def rows_loaded(self) -> int:
        return sum(self.rows_by_table.values())

    def summary(self) -> str:
        """One log line: what the window read and what it wrote."""
        return (
            f"{self.window_id}: {self.pages} pages, {self.records_changed} records changed,"
            f" {self.rows_loaded} rows loaded"
        )


def read_cursor(conn: duckdb.DuckDBPyConnection, vendor: str, endpoint: str) -> str | None:
    row = conn.execute(
        "select cursor_value from raw.api_cursors where vendor = ? and endpoint = ?",
        [vendor, endpoint],
    ).fetchone()
    return None if row is None else row[0]


def run_window(
    conn: duckdb.DuckDBPyConnection, puller: Puller, *, now: datetime | None = None
) -> WindowResult:
    """Pull every page after the saved cursor; raises (cursor unchanged) when a page fails."""
    ensure_raw_schema(conn)
    cursor = read_cursor(conn, puller.vendor, puller.endpoint)
    result = load_window(conn, puller, puller.pages(cursor), cursor, None, now)
    conn.begin()
    close_window(conn, result, cursor_after=result.cursor_after)
    execute_sql_file(
        conn,
        "api_save_cursor.sql",
        {
            "vendor": puller.vendor,
            "endpoint": puller.endpoint,
            "cursor_value": result.cursor_after,
            "updated_at": datetime.now(UTC),
        },
    )
    conn.commit()
    return result


def run_range_window(
    conn: duckdb.DuckDBPyConnection,
    puller: RangePuller,
    time_range: TimeRange,
    *,
    now: datetime | None = None,
) -> WindowResult:
    """Pull exactly one time range (a backfill): recorded like any window, cursor untouched.

    The window id carries the range (`api:<vendor>:<endpoint>:<day>:<started>`); replayed
    records dedupe by their content hashes, so rerunning a range writes nothing new.
    """
    ensure_raw_schema(conn)
    result = load_window(conn, puller, puller.pages_in(time_range), None, time_range, now)
    close_window(conn, result, cursor_after=None)
    return result


def load_window(
    conn: duckdb.DuckDBPyConnection,
    puller: Puller,
    pages: Iterator[Page],
    cursor: str | None,
    time_range: TimeRange | None,
    now: datetime | None,
) -> WindowResult:
    """Open the window and load its pages; on failure close it as failed and raise."""
    started_at = now or datetime.now(UTC)
    scope = f"{time_range.label}:" if time_range is not None else ""
    window_id = f"api:{puller.vendor}:{puller.endpoint}:{scope}{started_at:%Y%m%dT%H%M%S%fZ}"
    result = WindowResult(window_id, puller.vendor, puller.endpoint, cursor_before=cursor)
    execute_sql_file(
        conn,
        "api_open_window.sql",
        {
            "window_id": window_id,
            "vendor": puller.vendor,
            "endpoint": puller.endpoint,
            "cursor_before": cursor,
            "started_at": started_at,
        },
    )
    params = {
        "source": puller.source,
        "vendor": puller.vendor,
        "endpoint": puller.endpoint,
        "file_name": window_id,
        "load_id": window_id,
        "loaded_at": started_at,
        "window_id": window_id,
        "pseudonym_key": pseudonym_key(),
    }
    try:
        for page in pages:
            load_page(conn, puller.targets, page, params, result)
            result.pages += 1
            cursor = page.cursor if page.cursor is not None else cursor
    except Exception as error:
        result.status, result.error = "failed", f"{type(error).__name__}: {error}"
        close_window(conn, result, cursor_after=result.cursor_before)
        raise
    result.status, result.cursor_after = "loaded", cursor
    return result


def close_window(
    conn: duckdb.DuckDBPyConnection, result: WindowResult, cursor_after: str | None
) -> None:
    execute_sql_file(
        conn,
        "api_close_window.sql",
        {
            "window_id": result.window_id,
            "cursor_after": cursor_after,
            "pages": result.pages,
            "rows_loaded": result.rows_loaded,
            "status": result.status,
            "error": result.error,
            "finished_at": datetime.now(UTC),
        },
    )


def load_page(
    conn: duckdb.DuckDBPyConnection,
    target_names: Sequence[str],
    page: Page,
    params: dict[str, object],
    result: WindowResult,
) -> None:
    """Replace the rows of the page's changed records, in one transaction."""
    file_hash = hashlib.sha256(page.body).hexdigest()
    conn.begin()
    try:
        stage_records(conn, page.records)
        known = dict(execute_sql_file(conn, "api_known_record_hashes.sql", params).fetchall())
        changed = [r for r in page.records if known.get(r.key) != r.content_hash]
        result.records_changed += len(changed)
        result.records_unchanged += len(page.records) - len(changed)
        stage_records(conn, changed)
        shapes = [SHAPES[name] for name in target_names]
        for shape in shapes:
            stage_latest_rows(conn, shape, changed, result.rows_by_table.get(shape.table, 0))
        counts: list[tuple[str, str, int, int]] = []  # window, table, inserted, replaced
        for shape in shapes:
            # each delete returns the window id of every row it replaces
            replaced = execute_sql_file(conn, f"api_delete_{shape.table}.sql", params)
            for (window_id,), count in Counter(replaced.fetchall()).items():
                counts.append((window_id, shape.raw_table, 0, count))
        page_params = {**params, "file_hash": file_hash}
        for shape in shapes:
            count = insert_staged(conn, shape, page_params)
            result.rows_by_table[shape.table] = result.rows_by_table.get(shape.table, 0) + count
            counts.append((result.window_id, shape.raw_table, count, 0))
        count_window_rows(conn, counts)
        execute_sql_file(conn, "api_remember_records.sql", params)
        # People forgotten on request stay out; their rows count as replaced.
        remove_forgotten(conn, str(params["pseudonym_key"]), result.window_id)
        mask_names(conn, str(params["pseudonym_key"]), result.window_id)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def count_window_rows(
    conn: duckdb.DuckDBPyConnection, counts: Sequence[tuple[str, str, int, int]]
) -> None:
    """Add a page's inserted and replaced rows to raw.api_window_rows."""
    conn.execute(
        "create or replace temp table staged_window_rows (window_id varchar,"
        " table_name varchar, rows_loaded bigint, rows_replaced bigint)"
    )
    conn.executemany("insert into staged_window_rows values (?, ?, ?, ?)", counts)
    execute_sql_file(conn, "api_count_window_rows.sql", {})


def stage_records(conn: duckdb.DuckDBPyConnection, records: Sequence[Record]) -> None:
    conn.execute(
        "create or replace temp table staged_api_records (record_key varchar, content_hash varchar)"
    )
    if records:
        conn.executemany(
            "insert into staged_api_records values (?, ?)",
            [[record.key, record.content_hash] for record in records],
        )


def stage_latest_rows(
    conn: duckdb.DuckDBPyConnection,
    shape: StagedShape,
    records: Sequence[Record],
    rows_before: int,
) -> None:
    """Stage a shape's rows of the page, the last one per natural key winning."""
    by_key: dict[tuple[object, ...], Row] = {}
    for record in records:
        for row in record.rows.get(shape.table, ()):
            by_key[tuple(row.get(column) for column in shape.key)] = row
    rows = list(by_key.values())
    stage_rows(conn, shape, rows, range(rows_before + 1, rows_before + len(rows) + 1))
