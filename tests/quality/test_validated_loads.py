"""Raw suites read only the loads they have not passed, hold the ones that fail, and
publish the rest to staging."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from ingestion.ledger import drop_load
from orchestration.lib.quality.gx_runner import SUITES_DIR, run_suite
from orchestration.lib.quality.validated_loads import RECORD_TABLE, suite_fingerprint
from tests.quality.test_gx_runner import (
    GOOD_ORDERS,
    GOOD_REVIEWS,
    assert_failed_only,
    make_warehouse,
)


def add_rows(warehouse: Path, table: str, load_id: str, *values: str) -> None:
    """Append rows to raw.reviews or raw.orders as a load named `load_id`."""
    columns = {
        "reviews": "review_id, platform, rating, created_at, _source",
        "orders": "order_id, customer_id, net_amount, status, _source",
    }[table]
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            f"insert into raw.{table} ({columns}, _file_name, _file_hash, _row_number,"
            f" _load_id, _loaded_at) select *, '{load_id}.csv', 'hash', 1, '{load_id}', now()"
            f" from (values {', '.join(values)})"
        )


def recorded_loads(warehouse: Path, suite_name: str) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            f"select load_id from {RECORD_TABLE} where suite_name = ? order by load_id",
            [suite_name],
        ).fetchall()
    return [row[0] for row in rows]


def test_a_passed_load_is_recorded_and_not_read_again(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path / "w.duckdb", GOOD_REVIEWS)
    first = run_suite(warehouse, "raw_reviews")
    assert first.success and first.loads_validated == 1 and first.evaluated > 3
    assert recorded_loads(warehouse, "raw_reviews") == ["load-1"]

    second = run_suite(warehouse, "raw_reviews")
    assert second.success and second.evaluated == 0 and second.loads_validated == 0

    # A bad row slipped into the passed load is not read by the daily run, only by a
    # full revalidation: proof the scoped run really reads the new loads alone.
    add_rows(warehouse, "reviews", "load-1", "('r9', 'google', '7', '2024-03-01', 'google')")
    assert run_suite(warehouse, "raw_reviews").success
    assert_failed_only(run_suite(warehouse, "raw_reviews", new_loads_only=False))


def audit_status(warehouse: Path) -> dict[str, str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return dict(connection.execute("select load_id, status from raw.load_audits").fetchall())


def test_a_failing_load_is_held_until_released_or_dropped(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path / "w.duckdb", GOOD_REVIEWS)
    assert run_suite(warehouse, "raw_reviews").success
    add_rows(warehouse, "reviews", "load-2", "('r9', 'google', '7', '2024-03-01', 'google')")
    add_rows(warehouse, "reviews", "load-3", "('r8', 'google', '4', '2024-03-01', 'google')")

    held = run_suite(warehouse, "raw_reviews")
    # Only the bad load is held; the good one beside it is published.
    assert [load.load_id for load in held.held] == ["load-2"]
    assert not held.blocking_failures and held.loads_validated == 2
    assert recorded_loads(warehouse, "raw_reviews") == ["load-1", "load-3"]
    assert audit_status(warehouse) == {
        "load-1": "published",
        "load-2": "held",
        "load-3": "published",
    }
    # Later runs do not judge it again, but keep naming it until it is released or dropped.
    later = run_suite(warehouse, "raw_reviews")
    assert later.loads_validated == 0 and [load.load_id for load in later.held] == ["load-2"]

    with duckdb.connect(str(warehouse)) as connection:
        drop_load(connection, "load-2")
    assert run_suite(warehouse, "raw_reviews").success
    assert "load-2" not in audit_status(warehouse)


def test_a_rule_across_loads_still_sees_the_whole_table(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path / "w.duckdb", GOOD_ORDERS)
    assert run_suite(warehouse, "raw_orders").success
    add_rows(warehouse, "orders", "load-2", "('o1', 'c9', '3.00', 'completed', 'shop')")
    outcome = run_suite(warehouse, "raw_orders")
    # An order another file delivered too is reported, and the load still goes on.
    [warning] = outcome.warnings
    assert (
        warning["description"] == "an order delivered by more than one file (the latest load wins)"
    )
    assert warning["unexpected_examples"] == ["order_id=o1, copies=2"]
    assert not outcome.held and recorded_loads(warehouse, "raw_orders") == ["load-1", "load-2"]


def test_warnings_do_not_keep_a_load_pending(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path / "w.duckdb", GOOD_ORDERS)
    add_rows(warehouse, "orders", "load-2", "('o9', 'c9', '2500000', 'completed', 'shop')")
    outcome = run_suite(warehouse, "raw_orders")
    assert not outcome.blocking_failures and [w["description"] for w in outcome.warnings] == [
        "net_amount below one million"
    ]
    assert recorded_loads(warehouse, "raw_orders") == ["load-1", "load-2"]


def test_whole_table_suites_record_nothing(tmp_path: Path) -> None:
    warehouse = make_warehouse(tmp_path / "w.duckdb")
    outcome = run_suite(warehouse, "raw_survey_registry")
    assert outcome.success and outcome.loads_validated is None
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = connection.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
    assert ("gx_validated_loads",) not in tables


def test_a_changed_suite_reads_every_load_again(tmp_path: Path) -> None:
    document = json.loads((SUITES_DIR / "raw_reviews.json").read_text(encoding="utf-8"))
    same = json.loads(json.dumps(document))
    for expectation in same["expectations"]:
        expectation["id"] = "drawn-afresh"
    changed = json.loads(json.dumps(document))
    changed["expectations"][1]["kwargs"]["column"] = "platform"
    paths = []
    for name, version in (("original", document), ("same", same), ("changed", changed)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(version), encoding="utf-8")
        paths.append(path)
    original, rewritten, edited = (suite_fingerprint(path) for path in paths)
    assert original == rewritten
    assert original != edited


def test_later_records_wait_in_the_write_ahead_log_and_are_read(tmp_path: Path) -> None:
    """The first record creates the table and is checkpointed; later ones stay in the log
    until the next writer's checkpoint, and readers see them meanwhile."""
    warehouse = make_warehouse(tmp_path / "w.duckdb", GOOD_REVIEWS)
    log = warehouse.with_name(warehouse.name + ".wal")
    assert run_suite(warehouse, "raw_reviews").success
    assert not log.exists()

    add_rows(warehouse, "reviews", "load-2", "('r8', 'google', '4', '2024-03-01', 'google')")
    assert run_suite(warehouse, "raw_reviews").loads_validated == 1
    assert log.exists()
    assert recorded_loads(warehouse, "raw_reviews") == ["load-1", "load-2"]
    assert run_suite(warehouse, "raw_reviews").loads_validated == 0

    add_rows(warehouse, "reviews", "load-3", "('r7', 'google', '5', '2024-03-02', 'google')")
    assert not log.exists()  # the writer checkpointed the records on close
    assert recorded_loads(warehouse, "raw_reviews") == ["load-1", "load-2"]
