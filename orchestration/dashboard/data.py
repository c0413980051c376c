"""Reading the published copy: read-only, results cached per version of the copy.

The dashboard never opens the warehouse the pipeline writes. A publish replaces the
copy's file atomically (os.replace): the next read sees a new file signature, the cache
keyed on it misses, and a new connection opens the new file. A connection is kept per
thread (Streamlit runs each script run in a thread of its own) while the copy stays the
same; one still open on a replaced copy holds no lock the publisher needs. So a running
pipeline never waits for the dashboard, nor the dashboard for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import streamlit as st

from ingestion import settings
from orchestration.dashboard.marts import Query

Parameters = Mapping[str, Any]
COPY_ALIAS = "published"


class NotPublished(Exception):
    """What a chart needs is not in the published copy; the message says so in one line."""


@dataclass(frozen=True)
class CopyVersion:
    """Which file the copy is now: a publish changes the inode and the modification time."""

    path: str
    inode: int
    mtime_ns: int
    size: int


def published_path() -> Path:
    return settings.published_warehouse_path()


def copy_version() -> CopyVersion:
    path = published_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise NotPublished(
            f"No published copy at {path}: run `pulse run` (or `make run`) first."
        ) from None
    return CopyVersion(str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)


# Query timings, when something (the benchmark) wants them: (query name, seconds).
_timing_listeners: list[Callable[[str, float], None]] = []


def listen_to_timings(listener: Callable[[str, float], None]) -> Callable[[], None]:
    """Call `listener` after every query that ran against the copy; returns an unsubscribe."""
    _timing_listeners.append(listener)
    return lambda: _timing_listeners.remove(listener)


def _report_timing(name: str, seconds: float) -> None:
    for listener in list(_timing_listeners):
        listener(name, seconds)


_per_thread = threading.local()


@contextmanager
def _connection(version: CopyVersion) -> Iterator[duckdb.DuckDBPyConnection]:
    """This thread's connection to `version` of the copy, opened on first use."""
    held: tuple[CopyVersion, duckdb.DuckDBPyConnection] | None = getattr(_per_thread, "held", None)
    if held is None or held[0] != version:
        if held is not None:
            held[1].close()
        held = (version, _connect(version))
        _per_thread.held = held
    yield held[1]


def _connect(version: CopyVersion) -> duckdb.DuckDBPyConnection:
    """A connection of its own to the copy, read-only.

    Not duckdb.connect(path): DuckDB keeps one database per path in a process, and a
    connection still open on a copy a publish has since replaced would hand its old file to
    every new connection. An in-memory database that attaches the file opens what the path
    names now.
    """
    conn = duckdb.connect()
    try:
        memory_limit = settings.duckdb_memory_limit().replace("'", "''")
        conn.execute(f"set memory_limit = '{memory_limit}'")
        # ATTACH takes no bound parameters: the path is a quoted string literal.
        path = version.path.replace("'", "''")
        conn.execute(f"attach '{path}' as {COPY_ALIAS} (read_only)")
        conn.execute(f"use {COPY_ALIAS}")
    except duckdb.Error:
        conn.close()
        raise
    return conn


@st.cache_data(show_spinner=False, max_entries=64)
def available_tables(version: CopyVersion) -> frozenset[str]:
    """Every "schema.table" of the copy."""
    started = time.perf_counter()
    with _connection(version) as conn:
        rows = conn.execute(
            "select schema_name || '.' || table_name from duckdb_tables()"
            " where database_name = $copy"
            " union all select schema_name || '.' || view_name from duckdb_views()"
            " where database_name = $copy and not internal",
            {"copy": COPY_ALIAS},
        ).fetchall()
    _report_timing("catalog", time.perf_counter() - started)
    return frozenset(str(row[0]) for row in rows)


@st.cache_data(show_spinner=False, max_entries=512)
def _read(
    version: CopyVersion, query: Query, parameters: tuple[tuple[str, Any], ...]
) -> pd.DataFrame:
    started = time.perf_counter()
    with _connection(version) as conn:
        try:
            bound = {
                name: list(value) if isinstance(value, tuple) else value
                for name, value in parameters
            }
            table = conn.execute(query.sql, bound).fetch_arrow_table()
        except duckdb.BinderException as error:
            # The table is there with other columns (a mart renamed a column).
            first_line = str(error).splitlines()[0]
            raise NotPublished(
                f"{', '.join(query.tables)} in the published copy does not have the columns"
                f" this chart reads ({first_line})"
            ) from None
    frame = _with_decimals_as_floats(table).to_pandas(date_as_object=False)
    _report_timing(query.name, time.perf_counter() - started)
    return frame


def _with_decimals_as_floats(table: pa.Table) -> pa.Table:
    """Money columns (DECIMAL) as doubles: charts read a decimal's unscaled integer."""
    for index, column in enumerate(table.schema):
        if pa.types.is_decimal(column.type):
            table = table.set_column(index, column.name, table.column(index).cast(pa.float64()))
    return table


def read(query: Query, parameters: Parameters | None = None) -> pd.DataFrame:
    """The query's rows from the current published copy.

    Raises NotPublished, naming what is missing, when the copy or one of the tables the
    query reads does not exist (a mart still to be built, an older copy).
    """
    version = copy_version()
    missing = [table for table in query.tables if table not in available_tables(version)]
    if missing:
        raise NotPublished(
            f"{', '.join(f'`{table}`' for table in missing)} does not exist yet in the"
            " published copy."
        )
    return _read(version, query, _hashable(parameters or {}))


def _hashable(parameters: Parameters) -> tuple[tuple[str, Any], ...]:
    """Parameters as a sorted tuple (lists become tuples, bound as lists again) for the
    cache key."""
    return tuple(
        sorted(
            (name, tuple(value) if isinstance(value, list | tuple) else value)
            for name, value in parameters.items()
        )
    )
