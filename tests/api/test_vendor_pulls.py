"""Every vendor client against its local fake API: the acceptance list of the API pulls."""

from __future__ import annotations

import duckdb
import pytest

from ingestion.api.http import ApiAuthError, ApiError
from ingestion.api.window import WindowResult, read_cursor, run_window
from ingestion.vendors import api_sources
from ingestion.warehouse import quote_identifier
from tests.api.fake_vendors import FakeVendor, json_answer
from tests.api.vendor_cases import VendorCase


def pull(
    case: VendorCase,
    conn: duckdb.DuckDBPyConnection,
    monkeypatch: pytest.MonkeyPatch,
    sleeps: list[float] | None = None,
    token: str = FakeVendor.token,
) -> WindowResult:
    puller = case.puller(monkeypatch, sleeps if sleeps is not None else [], token)
    return run_window(conn, puller)


def key_counts(case: VendorCase, conn: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Rows in the case's main table, and distinct natural keys among them."""
    table = f"raw.{quote_identifier(case.table)}"
    key = quote_identifier(case.key_column)
    sql = case.count_sql or f"select count(*), count(distinct {key}) from {table}"
    row = conn.execute(sql).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def value_of(case: VendorCase, conn: duckdb.DuckDBPyConnection, key: str) -> object:
    table = f"raw.{quote_identifier(case.table)}"
    rows = conn.execute(
        f"select {quote_identifier(case.edited_column)} from {table}"
        f" where {quote_identifier(case.key_column)} = ?"
        + (f" and {case.value_filter}" if case.value_filter else ""),
        [key],
    ).fetchall()
    assert len(rows) == 1, rows
    return rows[0][0]


def test_full_load(
    case: VendorCase, conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    case.seed(5)
    result = pull(case, conn, monkeypatch)
    expected = len(case.fake.records())
    assert key_counts(case, conn) == (expected, expected)
    assert result.pages >= 3  # page size 2
    assert result.records_changed == expected
    window = conn.execute(
        "select status, pages, rows_loaded, cursor_before, cursor_after from raw.api_windows"
    ).fetchall()
    assert window == [("loaded", result.pages, result.rows_loaded, None, result.cursor_after)]
    assert read_cursor(conn, case.name, result.endpoint) == result.cursor_after is not None
    lineage = conn.execute(
        f"select distinct _source, _file_name, _load_id from raw.{quote_identifier(case.table)}"
    ).fetchall()
    # Rows name the vendor module whose mapping they follow, as a file's rows do.
    assert lineage == [(api_sources()[case.name].source, result.window_id, result.window_id)]


def test_incremental_load_takes_only_new_records_and_a_quiet_run_loads_nothing(
    case: VendorCase, conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    case.seed(5)
    pull(case, conn, monkeypatch)
    case.add_new()
    second = pull(case, conn, monkeypatch)
    assert second.records_changed == 1
    expected = len(case.fake.records())
    assert second.records_changed + second.records_unchanged < expected  # not a full re-read
    assert key_counts(case, conn) == (expected, expected)
    third = pull(case, conn, monkeypatch)
    assert (third.records_changed, third.rows_loaded) == (0, 0)
    assert third.cursor_after == second.cursor_after


def test_edited_old_record_is_picked_up(
    case: VendorCase, conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    case.seed(5)
    pull(case, conn, monkeypatch)
    key, new_value = case.edit_old()
    result = pull(case, conn, monkeypatch)
    assert result.records_changed == 1
    assert value_of(case, conn, key) == new_value
    expected = len(case.fake.records())
    assert key_counts(case, conn) == (expected, expected)


def test_429_waits_as_retry_after_says(
    case: VendorCase, conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    case.seed(3)
    case.fake.script[1] = json_answer({"message": "Too Many Requests"}, 429, {"Retry-After": "1"})
    sleeps: list[float] = []
    pull(case, conn, monkeypatch, sleeps)
    assert sleeps == [1.0]
    assert key_counts(case, conn)[0] == len(case.fake.records())


def test_5xx_is_retried_then_succeeds(
    case: VendorCase, conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    case.seed(3)
    case.fake.script[2] = json_answer({"message": "unavailable"}, 503)
    case.fake.script[3] = (502, {"Content-Type": "text/html"}, b"<html>Bad Gateway</html>")
    sleeps: list[float] = []
    pull(case, conn, monkeypatch, sleeps)
    assert len(sleeps) == 2
    assert key_counts(case, conn)[0] == len(case.fake.records())


def test_401_fails_fast_with_a_readable_message(
    case: VendorCase, conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    case.seed(3)
    sleeps: list[float] = []
    with pytest.raises(ApiAuthError) as raised:
        pull(case, conn, monkeypatch, sleeps, token="wrong-token-456")
    message = str(raised.value)
    assert "HTTP 401" in message and f"PULSE_API_{case.name.upper()}_TOKEN" in message
    assert "wrong-token-456" not in message
    assert len(case.fake.requests) == 1 and sleeps == []
    assert conn.execute("select status from raw.api_windows").fetchall() == [("failed",)]


def test_replayed_pages_create_no_duplicates(
    case: VendorCase, conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    case.seed(5)
    pull(case, conn, monkeypatch)
    expected = len(case.fake.records())
    conn.execute("delete from raw.api_cursors")  # the whole window is served again
    replay = pull(case, conn, monkeypatch)
    assert (replay.records_changed, replay.records_unchanged) == (0, expected)
    conn.execute("delete from raw.api_cursors")
    conn.execute("delete from raw.api_records")  # forget what was loaded: rows are replaced
    rewrite = pull(case, conn, monkeypatch)
    assert rewrite.records_changed == expected
    assert key_counts(case, conn) == (expected, expected)


def test_cursor_unchanged_after_a_failure_mid_run(
    case: VendorCase, conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    case.seed(5)
    first = pull(case, conn, monkeypatch)
    case.add_new()
    case.add_new()
    case.add_new()
    requests_before = len(case.fake.requests) + case.requests_before_pages
    # the third page of the next window fails at every attempt, after two pages with new
    # records were committed
    for attempt in range(3, 6):
        case.fake.script[requests_before + attempt] = json_answer({"error": "boom"}, 500)
    with pytest.raises(ApiError, match="after 3 attempts"):
        pull(case, conn, monkeypatch)
    assert read_cursor(conn, case.name, first.endpoint) == first.cursor_after
    loaded_before_failure = key_counts(case, conn)[0] - (len(case.fake.records()) - 3)
    assert (loaded_before_failure > 0) == (case.pages_before_failure > 0)  # pages 1-2 are in
    statuses = conn.execute("select status from raw.api_windows order by started_at").fetchall()
    assert statuses == [("loaded",), ("failed",)]
    rerun = pull(case, conn, monkeypatch)
    expected = len(case.fake.records())
    assert key_counts(case, conn) == (expected, expected)
    assert rerun.cursor_after != first.cursor_after
