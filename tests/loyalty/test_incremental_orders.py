"""The incremental fct_orders ends where a full refresh ends after a corrected
re-delivery of an orders file that refunds an order, moves one to another customer and
drops some."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from bench.workloads import WorkloadSize, write_increment, write_workload
from ingestion.pipeline import ingest
from ingestion.settings import DBT_PROJECT_DIR

pytestmark = pytest.mark.integration

TINY = WorkloadSize("tiny", 50, 10, 2, 300, 3_000)
ORDERS_INCREMENT = Path("commerce/orders_bench_increment.csv")
DROPPED_ORDERS = 3


def _dbt_run(tmp_path: Path, *extra: str) -> None:
    command = [str(Path(sys.executable).with_name("dbt")), "run", "--select", "+fct_orders"]
    command += [*extra, "--project-dir", str(DBT_PROJECT_DIR)]
    command += ["--profiles-dir", str(DBT_PROJECT_DIR)]
    command += ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    completed = subprocess.run(command, env=os.environ, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout[-3000:]


def _ingest(landing: Path, warehouse: Path) -> None:
    results = ingest(warehouse=warehouse, landing_root=landing)
    assert not [result for result in results if result.error], results


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


def test_incremental_fct_orders_matches_full_refresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("PULSE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("PULSE_LANDING_DIR", str(landing))
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "incremental-orders-key")
    monkeypatch.delenv("PULSE_SURVEY_REGISTRY", raising=False)
    write_workload(landing, TINY, seed=5)
    increment = write_increment(landing, TINY, seed=5)  # a second orders file, corrected below
    _ingest(landing, warehouse)
    _dbt_run(tmp_path)
    with duckdb.connect(str(warehouse)) as conn:
        before = _fct_orders(conn)

    changed = _correct_orders(landing / ORDERS_INCREMENT)
    _ingest(landing, warehouse)
    _dbt_run(tmp_path)

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

    _dbt_run(tmp_path, "--full-refresh")
    with duckdb.connect(str(warehouse)) as conn:
        assert _fct_orders(conn) == incremental
