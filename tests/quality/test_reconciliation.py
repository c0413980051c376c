"""Reconciliation of raw tables with the load ledger catches rows lost after the load."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.defs.quality.checks import reconciliation_to_check_result
from orchestration.lib.quality.reconciliation import RECONCILED_TABLES, reconcile


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


def pull_api_windows(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Shopify and Yelp windows into the file-loaded warehouse: new, edited, replayed."""
    from ingestion.api.window import run_window
    from tests.api.cases_google_play_yelp_qualtrics import yelp_case
    from tests.api.fake_vendors import FakeVendor, serve
    from tests.api.vendor_cases import shopify_case

    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
    with duckdb.connect(str(warehouse)) as conn:
        for case in (shopify_case(), yelp_case()):
            with serve(case.fake):
                case.seed(5)
                run_window(conn, case.puller(monkeypatch, [], FakeVendor.token))
                case.add_new()
                case.edit_old()  # later windows replace rows of earlier ones
                run_window(conn, case.puller(monkeypatch, [], FakeVendor.token))
                conn.execute("delete from raw.api_cursors")
                conn.execute("delete from raw.api_records")  # every row is rewritten
                run_window(conn, case.puller(monkeypatch, [], FakeVendor.token))


def test_api_windows_reconcile_after_edits_and_replays(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pull_api_windows(warehouse, monkeypatch)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        api_rows = conn.execute(
            "select count(*) from raw.orders where starts_with(_load_id, 'api:')"
        ).fetchone()
        replaced = conn.execute(
            "select sum(rows_replaced) from raw.api_window_rows where table_name = 'raw.customers'"
        ).fetchone()
    assert api_rows == (6,)
    assert replaced is not None and replaced[0] > 0  # shared customers were rewritten
    for table in RECONCILED_TABLES:
        outcome = reconcile(warehouse, table)
        assert outcome.passed, outcome.descriptions()


def test_a_dropped_or_miscounted_api_row_fails_with_the_window_named(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pull_api_windows(warehouse, monkeypatch)
    with duckdb.connect(str(warehouse)) as conn:
        row = conn.execute(
            "delete from raw.reviews where rowid = (select min(rowid) from raw.reviews"
            " where _source = 'yelp') returning _load_id"
        ).fetchone()
        assert row is not None
        dropped_from = row[0]
        conn.execute(
            "update raw.api_windows set rows_loaded = rows_loaded + 1"
            " where vendor = 'shopify' and window_id = (select min(window_id)"
            " from raw.api_windows where vendor = 'shopify')"
        )
    reviews = reconcile(warehouse, "reviews")
    assert reviews.mismatches == []  # the file loads still balance
    [dropped] = reviews.window_mismatches
    assert dropped.window_id == dropped_from
    assert dropped.rows_in_table == (dropped.rows_loaded or 0) - (dropped.rows_replaced or 0) - 1
    result = reconciliation_to_check_result(reviews)
    assert not result.passed
    assert f"API window {dropped_from}" in str(result.metadata["mismatches"].value)
    [miscounted] = reconcile(warehouse, "orders").window_mismatches
    assert "its tables' counts add up to" in miscounted.describe()
