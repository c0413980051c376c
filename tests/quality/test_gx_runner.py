"""The GX suites validate real DuckDB tables, in SQL, and report errors apart from failures."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import duckdb
import pytest

from ingestion.warehouse import ensure_raw_schema
from orchestration.lib.quality.gx_runner import (
    SUITES_DIR,
    SuiteOutcome,
    available_suites,
    run_suite,
)

Statement = tuple[str, list]

HOLD_READ_ONLY = """
import sys, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
print("open", flush=True)
sys.stdin.readline()
connection.close()
"""

REVIEWS_INSERT = """
    insert into raw.reviews (review_id, platform, rating, created_at, _source,
        _file_name, _file_hash, _row_number, _load_id, _loaded_at)
    select *, 'export.csv', 'hash', 1, 'load-1', now()
    from (values (?, ?, ?, ?, ?))
"""
ORDERS_INSERT = """
    insert into raw.orders (order_id, customer_id, net_amount, status, _source,
        _file_name, _file_hash, _row_number, _load_id, _loaded_at)
    select *, 'shop', 'export.csv', 'hash', 1, 'load-1', now()
    from (values (?, ?, ?, ?))
"""


def make_warehouse(path: Path, *statements: Statement | str) -> Path:
    connection = duckdb.connect(str(path))
    try:
        ensure_raw_schema(connection)  # with the vendor registry's list of sources
        for statement in statements:
            if isinstance(statement, str):
                connection.execute(statement)
            else:
                sql, rows = statement
                connection.executemany(sql, rows)
    finally:
        connection.close()
    return path


def insert_reviews(*rows: tuple[str, str, str, str]) -> Statement:
    """Rows of (review_id, platform, rating, created_at); the platform is the source."""
    return REVIEWS_INSERT, [[*row, row[1]] for row in rows]


def insert_orders(*rows: tuple[str, str, str, str]) -> Statement:
    """Rows of (order_id, customer_id, net_amount, status)."""
    return ORDERS_INSERT, [list(row) for row in rows]


GOOD_REVIEWS = insert_reviews(
    ("r1", "google", "5", "2024-03-01T10:15:00Z"),
    ("r2", "yelp", "1", "2024-03-02"),
    ("r3", "app_store", "4", "2024-03-02 08:00:00.5+02:00"),
)
GOOD_ORDERS = insert_orders(
    ("o1", "c1", "19.90", "completed"),
    ("o2", "c1", "-5", "refunded"),
)
GOOD_SURVEY_RESPONSES = """
    insert into raw.survey_responses (survey_id, response_id, _source, _file_name,
        _file_hash, _row_number, _load_id, _loaded_at)
    values ('s1', 'R_1', 'qualtrics', 'export.csv', 'hash', 1, 'load-1', now())
"""


def all_failures(outcome: SuiteOutcome) -> list[dict]:
    """What the suite found: its own failures and those of the loads it held."""
    return [*outcome.failed, *(failure for load in outcome.held for failure in load.failures)]


def assert_failed_only(outcome: SuiteOutcome) -> None:
    assert not outcome.errored, outcome.error
    assert outcome.success is False
    assert all_failures(outcome)


def test_available_suites_name_their_tables() -> None:
    suites = available_suites()
    assert suites["raw_orders"] == "raw.orders"
    assert suites["raw_reviews"] == "raw.reviews"
    assert suites["metrics_nps"] == "marts.metrics_nps"
    assert all(name.split("_")[0] in {"raw", "metrics", "fct"} for name in suites)


def test_good_data_passes_every_suite(tmp_path: Path) -> None:
    warehouse = make_warehouse(
        tmp_path / "w.duckdb", GOOD_REVIEWS, GOOD_ORDERS, GOOD_SURVEY_RESPONSES
    )
    raw_suites = {name: table for name, table in available_suites().items() if "raw." in table}
    for suite_name, table in raw_suites.items():
        outcome = run_suite(warehouse, suite_name)
        assert outcome.error is None
        assert outcome.success, outcome.failed
        assert outcome.table == table
        assert outcome.evaluated >= 3


def test_rating_seven_fails_with_readable_details(tmp_path: Path) -> None:
    warehouse = make_warehouse(
        tmp_path / "w.duckdb",
        GOOD_REVIEWS,
        insert_reviews(("r9", "trustpilot", "7", "2024-03-03")),
    )
    outcome = run_suite(warehouse, "raw_reviews")
    assert_failed_only(outcome)
    # The suite's only load is held with the failure; the suite itself only warns.
    [held] = outcome.held
    assert held.load_id == "load-1" and not outcome.blocking_failures
    [failure] = held.failures
    assert failure["type"] == "unexpected_rows_expectation"
    assert failure["description"] == "rating a whole number on its platform's star scale"
    assert failure["observed_value"] == 1
    assert failure["unexpected_examples"] == [
        "_file_name=export.csv, _row_number=1, platform=trustpilot, rating=7"
    ]
    assert "rating=7" in held.describe()


def test_bad_timestamp_and_platform_fail_in_sql_regex_and_set(tmp_path: Path) -> None:
    warehouse = make_warehouse(
        tmp_path / "w.duckdb",
        GOOD_REVIEWS,
        insert_reviews(("r9", "myspace", "3", "03/01/2024")),
    )
    outcome = run_suite(warehouse, "raw_reviews")
    assert_failed_only(outcome)
    failures = all_failures(outcome)
    assert {failure["description"] or failure["column"] for failure in failures} == {
        "platform is a reviews source the vendor registry knows",
        "created_at",
    }
    [created_at] = [failure for failure in failures if failure["column"] == "created_at"]
    assert created_at["unexpected_examples"] == ["03/01/2024"]


def test_duplicate_order_id_in_one_file_fails_raw_orders(tmp_path: Path) -> None:
    warehouse = make_warehouse(
        tmp_path / "w.duckdb",
        GOOD_ORDERS,
        insert_orders(("o1", "c2", "7.00", "completed")),
    )
    outcome = run_suite(warehouse, "raw_orders")
    assert_failed_only(outcome)
    failures = {failure["description"]: failure for failure in all_failures(outcome)}
    repeated = failures["one row per (_file_name, order_id)"]
    assert repeated["type"] == "unexpected_rows_expectation"
    assert repeated["observed_value"] == 1
    assert repeated["unexpected_examples"] == ["_file_name=export.csv, order_id=o1, copies=2"]


def test_a_passing_rule_runs_once_and_a_failing_one_counts_every_row(tmp_path: Path) -> None:
    """A rule that passes is queried once, not once for its count and once for its rows;
    one that fails counts every row, past the 200 that GX keeps."""
    import sqlalchemy as sa

    repeated = [(f"o{n}", "c1", "1.00", "completed") for n in range(250)]
    warehouse = make_warehouse(
        tmp_path / "w.duckdb", GOOD_ORDERS, insert_orders(*repeated), insert_orders(*repeated)
    )
    passing_rule = "abs(try_cast(net_amount as double)) >= 1000000"
    statements: list[str] = []

    def record(connection, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        outcome = run_suite(warehouse, "raw_orders")
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)
    assert_failed_only(outcome)
    failures = {failure["description"]: failure for failure in all_failures(outcome)}
    failure = failures["one row per (_file_name, order_id)"]
    assert failure["observed_value"] == 250
    assert len(failure["unexpected_examples"]) == 5
    assert len([statement for statement in statements if passing_rule in statement]) == 1


def test_missing_table_is_an_error_not_a_failure(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path / "w.duckdb", "drop table raw.orders")
    outcome = run_suite(warehouse, "raw_orders")
    assert outcome.errored
    assert outcome.success is False
    assert outcome.error and "orders" in outcome.error
    assert outcome.failed == []


def test_missing_warehouse_and_unknown_suite_are_errors(tmp_path: Path) -> None:
    assert run_suite(tmp_path / "absent.duckdb", "raw_orders").errored
    warehouse = make_warehouse(tmp_path / "w.duckdb")
    outcome = run_suite(warehouse, "no_such_suite")
    assert outcome.errored and "no_such_suite" in (outcome.error or "")


def test_warehouse_is_opened_read_only_and_released(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path / "w.duckdb", GOOD_ORDERS)
    # Another process holds the file read-only: DuckDB then lets other readers in but no
    # writer, so the suite only runs if the runner opens the file read-only.
    reader = subprocess.Popen(
        [sys.executable, "-c", HOLD_READ_ONLY, str(warehouse)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "open"
        outcome = run_suite(warehouse, "raw_orders")
    finally:
        reader.communicate("close\n", timeout=30)
    assert outcome.success, outcome.error
    # The runner kept no handle: a writer can open the file right after it.
    writer = duckdb.connect(str(warehouse))
    writer.execute("insert into raw.orders select * from raw.orders")
    writer.close()
    assert_failed_only(run_suite(warehouse, "raw_orders"))


@pytest.mark.parametrize("rows", [1_000_000])
def test_million_rows_are_validated_inside_duckdb(tmp_path: Path, rows: int) -> None:
    warehouse = make_warehouse(
        tmp_path / "w.duckdb",
        (
            """
        insert into raw.reviews (review_id, platform, rating, created_at, _source,
            _file_name, _file_hash, _row_number, _load_id, _loaded_at)
        select
            'review-' || i,
            (['trustpilot', 'google', 'app_store', 'google_play', 'yelp'])[i % 5 + 1],
            case when i = 123457 then '9' else cast(i % 5 + 1 as varchar) end,
            '2024-03-01T10:15:00Z',
            'generic', 'big.csv', 'hash', i, 'load-big', now()
        from range(?) as series(i)
        """,
            [[rows]],
        ),
    )
    tracemalloc.start()
    started = time.perf_counter()
    outcome = run_suite(warehouse, "raw_reviews")
    elapsed = time.perf_counter() - started
    _, peak_bytes = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"\n{rows} rows: raw_reviews validated in {elapsed:.2f}s, "
        f"peak Python memory {peak_bytes / 1e6:.1f} MB"
    )
    assert_failed_only(outcome)
    [failure] = all_failures(outcome)
    assert failure["description"] == "rating a whole number on its platform's star scale"
    assert failure["observed_value"] == 1
    assert failure["unexpected_examples"] == [
        "_file_name=big.csv, _row_number=123457, platform=app_store, rating=9"
    ]
    # One million review ids as Python strings would need well over 50 MB on their own.
    assert peak_bytes < 50_000_000


def test_expectation_that_raises_is_an_error_not_a_failure(tmp_path: Path) -> None:
    # The table exists but lacks a column the suite checks: GX records an exception on
    # that expectation while the others run.
    warehouse = make_warehouse(
        tmp_path / "w.duckdb", GOOD_ORDERS, "alter table raw.orders drop column net_amount"
    )
    outcome = run_suite(warehouse, "raw_orders")
    assert outcome.errored
    assert outcome.success is False
    assert outcome.evaluated == len(
        json.loads((SUITES_DIR / "raw_orders.json").read_text())["expectations"]
    )
    assert outcome.error and "net_amount" in outcome.error
