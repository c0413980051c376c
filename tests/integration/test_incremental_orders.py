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


ORDERS_HEADER = (
    "order_id,customer_id,ordered_at,status,currency,gross_amount,discount_amount,"
    "net_amount,channel,location,product_category"
)


def _write_orders(path: Path, *orders: tuple[str, str]) -> None:
    """An orders export of (order_id, status) rows; the other fields are fixed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"{order_id},C1,2024-05-02T03:02:35Z,{status},EUR,10.00,0.00,10.00,web,web,camping"
        for order_id, status in orders
    ]
    path.write_text("\n".join([ORDERS_HEADER, *lines]) + "\n", encoding="utf-8")


def _staged_statuses(warehouse: Path) -> dict[str, tuple[str, str]]:
    with duckdb.connect(str(warehouse)) as conn:
        rows = conn.execute(
            "select order_id, status, source_file_name from staging.stg_commerce__orders"
        ).fetchall()
    return {order_id: (status, file_name) for order_id, status, file_name in rows}


def test_an_order_falls_back_to_the_older_file_when_the_newer_one_drops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two files deliver order O1 and the later one wins; when the later file is
    re-delivered without O1, the run must read O1 again from the older file's load, which
    no new load names."""
    landing, warehouse = use_scratch_project(tmp_path, monkeypatch, "incremental-orders-key")
    older, newer = landing / "commerce/orders_older.csv", landing / "commerce/orders_newer.csv"
    _write_orders(older, ("O1", "completed"), ("O2", "completed"))
    ingest_landing(landing, warehouse)
    _write_orders(newer, ("O1", "refunded"), ("O3", "completed"))
    ingest_landing(landing, warehouse)
    dbt_run(tmp_path, ["--select", "stg_commerce__orders"])
    assert _staged_statuses(warehouse)["O1"] == ("refunded", "commerce/orders_newer.csv")

    _write_orders(newer, ("O3", "completed"), ("O4", "cancelled"))
    ingest_landing(landing, warehouse)
    dbt_run(tmp_path, ["--select", "stg_commerce__orders"])
    incremental = _staged_statuses(warehouse)
    assert incremental == {
        "O1": ("completed", "commerce/orders_older.csv"),
        "O2": ("completed", "commerce/orders_older.csv"),
        "O3": ("completed", "commerce/orders_newer.csv"),
        "O4": ("cancelled", "commerce/orders_newer.csv"),
    }
    dbt_run(tmp_path, ["--select", "stg_commerce__orders", "--full-refresh"])
    assert _staged_statuses(warehouse) == incremental
