"""The incremental fct_orders, and the staged orders under it, end where a full refresh
ends after a corrected re-delivery of an orders file that refunds an order, moves one to
another customer and drops some."""

import csv
from pathlib import Path

import duckdb
import pytest
from incremental_runs import dbt_run, ingest_landing, use_scratch_project

from bench.workloads import WorkloadSize, write_increment, write_workload

pytestmark = pytest.mark.integration

TINY = WorkloadSize("tiny", 50, 10, 2, 300, 3_000)
ORDERS_INCREMENT = Path("commerce/orders_bench_increment.csv")
DROPPED_ORDERS = 3
SELECTION = ["--select", "+fct_orders"]


def _correct_orders(path: Path) -> dict[str, str]:
    """Re-deliver the orders file without its last orders, with the first completed order
    refunded and the second one moved to another customer; returns what changed."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    kept = rows[:-DROPPED_ORDERS]
    completed = [row for row in kept if row["status"] == "completed"]
    refunded, moved = completed[0], completed[1]
    refunded["status"] = "refunded"
    old_owner = moved["customer_id"]
    new_owner = next(row["customer_id"] for row in kept if row["customer_id"] != old_owner)
    moved["customer_id"] = new_owner
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    return {
        "refunded": refunded["order_id"],
        "moved": moved["order_id"],
        "old_owner": old_owner,
        "new_owner": new_owner,
    }


def _fct_orders(conn: duckdb.DuckDBPyConnection) -> set[tuple]:
    return set(conn.execute("select * from marts.fct_orders").fetchall())


def _staged_orders(conn: duckdb.DuckDBPyConnection) -> list[tuple]:
    return sorted(conn.execute("select * from staging.stg_commerce__orders").fetchall())


def test_incremental_fct_orders_matches_full_refresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing, warehouse = use_scratch_project(tmp_path, monkeypatch, "incremental-orders-key")
    write_workload(landing, TINY, seed=5)
    increment = write_increment(landing, TINY, seed=5)  # a second orders file, corrected below
    ingest_landing(landing, warehouse)
    dbt_run(tmp_path, SELECTION)
    with duckdb.connect(str(warehouse)) as conn:
        before = _fct_orders(conn)

    changed = _correct_orders(landing / ORDERS_INCREMENT)
    ingest_landing(landing, warehouse)
    dbt_run(tmp_path, SELECTION)

    with duckdb.connect(str(warehouse)) as conn:
        incremental = _fct_orders(conn)
        orders = conn.execute("select count(*) from staging.stg_commerce__orders").fetchone()
        status, owner = conn.execute(
            "select (select is_completed from marts.fct_orders where order_id = ?),"
            " (select customer_id from marts.fct_orders where order_id = ?)",
            [changed["refunded"], changed["moved"]],
        ).fetchone() or (None, None)
    assert orders and len(incremental) == orders[0] == (
        TINY.orders + increment[str(ORDERS_INCREMENT)] - DROPPED_ORDERS
    )
    assert status is False and owner == changed["new_owner"]
    assert len(before - incremental) > 0
    with duckdb.connect(str(warehouse)) as conn:
        staged = _staged_orders(conn)

    dbt_run(tmp_path, SELECTION, "--full-refresh")
    with duckdb.connect(str(warehouse)) as conn:
        assert _fct_orders(conn) == incremental
        assert _staged_orders(conn) == staged
