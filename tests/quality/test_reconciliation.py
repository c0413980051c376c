"""Reconciliation of raw tables with the load ledger catches rows lost after the load."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.defs.quality.checks import reconciliation_to_check_result
from orchestration.defs.quality.reconciliation import RECONCILED_TABLES, reconcile


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    from ingestion.pipeline import ingest
    from ingestion.sample_data import generate_sample_data

    landing = tmp_path / "landing"
    generate_sample_data(landing, seed=7, scale=0.05)
    path = tmp_path / "w.duckdb"
    mp = pytest.MonkeyPatch()
    mp.setenv("PULSE_WAREHOUSE", str(path))
    mp.setenv("PULSE_LANDING_DIR", str(landing))
    mp.delenv("PULSE_SURVEY_REGISTRY", raising=False)
    try:
        ingest()
    finally:
        mp.undo()
    return path


def test_freshly_loaded_tables_reconcile(warehouse: Path) -> None:
    for table in RECONCILED_TABLES:
        outcome = reconcile(warehouse, table)
        assert outcome.passed, [mismatch.describe() for mismatch in outcome.mismatches]


def test_a_dropped_row_fails_with_the_file_named(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("delete from raw.orders where rowid = (select min(rowid) from raw.orders)")
    outcome = reconcile(warehouse, "orders")
    [mismatch] = outcome.mismatches
    assert mismatch.rows_in_table == (mismatch.rows_loaded or 0) - 1
    result = reconciliation_to_check_result(outcome)
    assert not result.passed
    assert result.severity == dg.AssetCheckSeverity.ERROR
    text = str(result.metadata["mismatches"].value)
    assert mismatch.file_name in text and "table holds" in text


def test_unbalanced_ledger_and_orphan_rows_fail(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "update raw.load_ledger set rows_quarantined = 1 where target_table = 'raw.customers'"
        )
        conn.execute("update raw.reviews set _load_id = 'unknown-load' where rowid = 0")
    assert "quarantined" in reconcile(warehouse, "customers").mismatches[0].describe()
    descriptions = [mismatch.describe() for mismatch in reconcile(warehouse, "reviews").mismatches]
    assert any("no loaded ledger entry" in text for text in descriptions)


def test_missing_table_raises_rather_than_failing(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("drop table raw.poll_options")
    with pytest.raises(duckdb.CatalogException):
        reconcile(warehouse, "poll_options")
