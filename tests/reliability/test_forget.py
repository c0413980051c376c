"""`pulse forget` removes a person from raw and quarantine, keeps the ledger reconciled,
stores only hashes, and a later delivery of their rows does not bring them back."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingestion.pipeline import ingest
from orchestration.cli import main
from orchestration.lib.quality.reconciliation import RECONCILED_TABLES, reconcile

EMAIL = "Aino.Virtanen@example.com"  # customers_small.csv has it in lower case
CUSTOMER = "C000001"


def _count(warehouse: Path, sql: str, params: list[object] | None = None) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        row = conn.execute(sql, params or []).fetchone()
    return int(row[0]) if row else 0


def _reconciled(warehouse: Path) -> None:
    for table in RECONCILED_TABLES:
        outcome = reconcile(warehouse, table)
        assert outcome.passed, outcome.descriptions()


@pytest.fixture
def loaded(pulse_env: Path, landing: Path) -> Path:
    return _load_with_the_person(pulse_env, landing)


def _load_with_the_person(pulse_env: Path, landing: Path) -> Path:
    commerce = landing / "commerce"
    # A short row of the person's: one quarantined record naming their customer id.
    (commerce / "orders_late.csv").write_text(
        (commerce / "orders_small.csv").read_text(encoding="utf-8").splitlines()[0]
        + "\nO0000098,C000002,2024-06-01T10:00:00Z,completed,EUR,10.00,0.00,10.00,web,web,bags"
        + f"\nO0000099,{CUSTOMER}\n",
        encoding="utf-8",
    )
    # Someone else's review that quotes the address in clear.
    reviews = (landing / "reviews" / "reviews_small.csv").read_text(encoding="utf-8")
    header = reviews.splitlines()[0]
    (landing / "reviews" / "reviews_quote.csv").write_text(
        header + "\nzz-000009,trustpilot,footwear,web,3,Who,"
        f'"Ask {EMAIL.lower()} about it",en,,,,2025-03-09T10:00:00Z,,\n',
        encoding="utf-8",
    )
    results = ingest()
    assert {result.status for result in results} <= {"loaded", "skipped"}
    assert (
        _count(
            pulse_env,
            "select count(*) from raw.quarantine where load_id in"
            " (select load_id from raw.load_ledger where file_name like '%orders_late%')",
        )
        == 1
    )
    return pulse_env


def test_forget_by_email_removes_the_person_everywhere_in_raw(
    loaded: Path, landing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = loaded
    assert _count(warehouse, "select count(*) from raw.orders where customer_id = ?", [CUSTOMER])

    assert main(["forget", "--email", EMAIL, "--no-run"]) == 0

    assert "raw rows removed" in capsys.readouterr().out
    for table, column in (
        ("customers", "customer_id"),
        ("orders", "customer_id"),
        ("reviews", "customer_reference"),
        ("survey_responses", "external_reference"),
    ):
        sql = f"select count(*) from raw.{table} where {column} = ?"
        assert _count(warehouse, sql, [CUSTOMER]) == 0, table
    assert _count(warehouse, "select count(*) from raw.reviews where review_id = 'tp-000001'") == 0
    assert (
        _count(
            warehouse,
            "select count(*) from raw.quarantine where original_line like ?",
            [f"%{CUSTOMER}%"],
        )
        == 0
    )
    body = "select count(*) from raw.reviews where review_id = 'zz-000009' and body = ?"
    assert _count(warehouse, body, ["Ask [email] about it"]) == 1
    # Only hashes are kept.
    assert _count(warehouse, "select count(*) from raw.forget_requests") == 2
    assert (
        _count(
            warehouse,
            "select count(*) from raw.forget_requests"
            " where subject_hash ilike ? or subject_hash = ?",
            ["%example.com%", CUSTOMER],
        )
        == 0
    )
    _reconciled(warehouse)

    # A re-delivery of old files (new names, so they are loaded) brings nobody back.
    commerce = landing / "commerce"
    for name in ("customers_small.csv", "orders_small.csv"):
        text = (commerce / name).read_text(encoding="utf-8")
        (commerce / f"again_{name}").write_text(text, encoding="utf-8")
    (commerce / "again_customers_small.csv").write_text(
        (commerce / "customers_small.csv").read_text(encoding="utf-8")
        + "C000009,new.person@example.com,,New,Person,2025-01-01T00:00:00Z,FI,Espoo,,\n",
        encoding="utf-8",
    )
    ingest()
    assert (
        _count(warehouse, "select count(*) from raw.customers where customer_id = ?", [CUSTOMER])
        == 0
    )
    assert (
        _count(warehouse, "select count(*) from raw.orders where customer_id = ?", [CUSTOMER]) == 0
    )
    assert (
        _count(warehouse, "select count(*) from raw.customers where customer_id = 'C000009'") == 1
    )
    _reconciled(warehouse)


def test_forget_by_customer_id_also_forgets_their_email(loaded: Path) -> None:
    assert main(["forget", "--customer-id", CUSTOMER, "--no-run"]) == 0
    assert _count(loaded, "select count(*) from raw.reviews where review_id = 'tp-000001'") == 0
    assert (
        _count(loaded, "select count(*) from raw.customers where customer_id = ?", [CUSTOMER]) == 0
    )
    assert _count(loaded, "select count(*) from raw.customers") >= 1  # others stay
    _reconciled(loaded)


def test_forget_needs_exactly_one_person(
    pulse_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["forget", "--no-run"]) == 1
    assert "--email" in capsys.readouterr().err


def test_forget_rewrites_the_lake_files_that_held_the_person(
    pulse_env: Path, landing: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the Parquet raw layer on, no lake file keeps the address: not the person's own
    rows, nor the review that quotes it, whose load keeps its row count."""
    from ingestion.lake import Lake

    monkeypatch.setenv("PULSE_LAKE_URL", str(tmp_path / "lake"))
    monkeypatch.delenv("PULSE_TARGET", raising=False)
    lake = Lake.at(tmp_path / "lake")
    _load_with_the_person(pulse_env, landing)

    def lake_rows_naming_the_person() -> int:
        found = 0
        with duckdb.connect() as conn:
            for path in sorted(lake.files("raw")):
                row = conn.execute(
                    "select count(*) from read_parquet($file) as lake"
                    " where contains(lower(cast(lake as varchar)), $email)",
                    {"file": lake.full_path(path), "email": EMAIL.lower()},
                ).fetchone()
                found += int(row[0]) if row else 0
        return found

    assert lake_rows_naming_the_person() > 0
    assert main(["forget", "--email", EMAIL, "--no-run"]) == 0
    assert lake_rows_naming_the_person() == 0
