"""A vendor API pull after a forget request leaves the person out, and the window's
counts still reconcile with raw."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingestion.api.window import run_window
from ingestion.forget import forget
from ingestion.warehouse import connect, ensure_raw_schema
from orchestration.lib.quality.reconciliation import reconcile
from tests.api.fake_vendors import serve
from tests.api.vendor_cases import shopify_case


def test_api_pull_withholds_a_forgotten_customer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
    warehouse = tmp_path / "api.duckdb"
    case = shopify_case()
    case.seed(6)  # customers 500, 501, 502: two orders each
    conn = connect(warehouse)
    try:
        ensure_raw_schema(conn)
        forget(conn, "test-key", customer_id="501")
        with serve(case.fake):
            result = run_window(conn, case.puller(monkeypatch, [], case.fake.token))
        customers = conn.execute(
            "select distinct customer_id from raw.orders order by 1"
        ).fetchall()
        orders = conn.execute("select count(*) from raw.orders").fetchone()
    finally:
        conn.close()
    assert result.status == "loaded"
    assert customers == [("500",), ("502",)]
    assert orders == (4,)
    outcome = reconcile(warehouse, "orders")
    assert outcome.passed, outcome.descriptions()
    with duckdb.connect(str(warehouse), read_only=True) as reader:
        stored = reader.execute("select subject_hash from raw.forget_requests").fetchall()
    assert stored and all("501" not in value for (value,) in stored)
