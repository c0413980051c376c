"""What the published copy carries for Data health: held loads and why (without the raw
values the audit quotes), freshness per source, and the latest result of every check, from
the Dagster instance, also for the assets a run did not select."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingestion.warehouse import connect, ensure_raw_schema
from orchestration.defs.serving.assets import published_marts
from orchestration.lib.serving.publish import CheckResult, FreshnessWindows, publish_marts
from tests.serving.test_publish import build_warehouse

NOW = datetime.now(UTC)
WINDOWS = FreshnessWindows(warn_after=timedelta(hours=26), fail_after=timedelta(hours=30))


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def add_loads(warehouse: Path) -> None:
    """Three sources loaded 1, 27 and 31 hours ago, one held file, one API window."""
    # Taken when the loads are written: a module-level time ages while other tests run.
    now = datetime.now(UTC)
    with connect(warehouse) as conn:
        conn.execute("drop table raw.load_ledger")
        ensure_raw_schema(conn)
        ledger = [
            ("l1", "surveys/a.csv", "qualtrics", "loaded", 1),
            ("l2", "reviews/b.csv", "generic_reviews", "loaded", 27),
            ("l3", "orders/c.csv", "generic_commerce", "loaded", 31),
            ("l4", "reviews/d.csv", "generic_reviews", "held", 0.5),
        ]
        for load_id, name, source, status, hours in ledger:
            finished = now - timedelta(hours=hours)
            conn.execute(
                "insert into raw.load_ledger (load_id, file_name, file_hash, file_size,"
                " source, format, target_table, rows_in, rows_loaded, rows_quarantined,"
                " status, error, started_at, finished_at)"
                " values (?, ?, ?, 10, ?, 'csv', 'raw.x', 5, 4, 1, ?, 'held by: e.g. a@b.c',"
                " ?, ?)",
                [load_id, name, load_id, source, status, finished, finished],
            )
        failures = [
            {
                "suite": "raw_reviews",
                "type": "expect_column_values_to_be_between",
                "column": "rating",
                "description": "ratings lie between 1 and 5",
                "unexpected_count": 3,
                "unexpected_examples": ["secret example", "7", "9"],
            },
            {"suite": "raw_reviews", "type": "expect_column_values_to_not_be_null"},
        ]
        conn.execute(
            "insert into raw.load_audits (load_id, status, held_by, reason, failures,"
            " audited_at) values ('l4', 'held', 'raw_reviews',"
            " 'reviews/d.csv: ratings lie between 1 and 5, e.g. secret example', ?, ?)",
            [json.dumps(failures), now],
        )
        conn.execute(
            "insert into raw.api_windows (window_id, vendor, endpoint, pages, rows_loaded,"
            " status, started_at, finished_at)"
            " values ('w1', 'trustpilot', 'reviews', 1, 7, 'loaded', ?, ?)",
            [now - timedelta(hours=2), now - timedelta(hours=2)],
        )


def test_held_loads_and_freshness_are_published_without_raw_values(tmp_path: Path) -> None:
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "published.duckdb"
    build_warehouse(warehouse, 1)
    add_loads(warehouse)

    publish_marts(warehouse, published, freshness=WINDOWS)

    assert query(
        published,
        "select load_id, file_name, source, held_by, expectation, column_name,"
        " failing_rows, failed_expectations from pipeline.held_loads",
    ) == [
        (
            "l4",
            "reviews/d.csv",
            "generic_reviews",
            "raw_reviews",
            "ratings lie between 1 and 5",
            "rating",
            3,
            2,
        )
    ]
    with duckdb.connect(str(published), read_only=True) as conn:
        for schema, table in conn.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name = 'pipeline'"
        ).fetchall():
            text = conn.execute(f'select * from "{schema}"."{table}"').fetchall()
            assert "secret example" not in repr(text), table
    freshness = query(
        published,
        "select source, loads, last_load_name, round(hours_since_last_load),"
        " freshness_status from pipeline.source_freshness order by source",
    )
    assert freshness == [
        ("generic_commerce", 1, "orders/c.csv", 31, "failed"),
        # the held load did not reach staging: the source's latest load is a day old
        ("generic_reviews", 1, "reviews/b.csv", 27, "warn"),
        ("qualtrics", 1, "surveys/a.csv", 1, "fresh"),
        ("trustpilot", 1, "reviews w1", 2, "fresh"),
    ]


def test_check_results_are_published_as_given(tmp_path: Path) -> None:
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "published.duckdb"
    build_warehouse(warehouse, 1)
    results = [
        CheckResult(
            "raw/reviews", "gx_raw_reviews", True, "passed", "error", None, None, "r1", NOW
        ),
        CheckResult("marts/x", "not_null_x", True, "failed", "error", "x" * 900, 4, "r1", NOW),
        CheckResult("marts/y", "never", False, "never_run"),
    ]
    publish_marts(warehouse, published, check_results=results)
    rows = query(
        published,
        "select asset_key, check_name, is_blocking, outcome, severity, length(description),"
        " failed_rows from pipeline.check_results order by asset_key",
    )
    assert rows == [
        ("marts/x", "not_null_x", True, "failed", "error", 500, 4),
        ("marts/y", "never", False, "never_run", None, None, None),
        ("raw/reviews", "gx_raw_reviews", True, "passed", "error", None, None),
    ]


@dg.asset(key=["raw", "reviews"])
def raw_reviews() -> None:
    """A checked upstream asset."""


@dg.asset_check(asset=raw_reviews, blocking=True)
def ratings_in_range() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


@dg.asset_check(asset=raw_reviews)
def recent_reviews() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=False, severity=dg.AssetCheckSeverity.WARN, description="no review for 3 days"
    )


def test_the_asset_publishes_every_checks_latest_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "published.duckdb"
    build_warehouse(warehouse, 1)
    monkeypatch.setenv("PULSE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("PULSE_PUBLISHED_WAREHOUSE", str(published))
    checks = (
        "select check_name, is_blocking, outcome, description from pipeline.check_results"
        " order by 1"
    )
    expected = [
        ("ratings_in_range", True, "passed", None),
        ("recent_reviews", False, "warned", "no review for 3 days"),
    ]
    with dg.instance_for_test() as instance:
        checked = [raw_reviews, ratings_in_range, recent_reviews]
        first = dg.materialize(checked, instance=instance)
        # The checks run again beside the publication: it reports their latest completed
        # evaluation, whichever step came first.
        second = dg.materialize([*checked, published_marts], instance=instance)
        assert query(published, checks) == expected
        runs = {run for (run,) in query(published, "select run_id from pipeline.check_results")}
        assert runs <= {first.run_id, second.run_id}
        # A run of the publication alone still reports the checks it did not select.
        assert dg.materialize([published_marts], instance=instance).success
        assert query(published, checks) == expected
