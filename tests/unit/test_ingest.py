"""Loading landing files into the raw layer: counts, quarantine, idempotency, privacy."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ingestion.pipeline import ingest
from tests.conftest import RAW_ANSWERS_LONG


def _by_file(results):  # type: ignore[no-untyped-def]
    return {result.file_name: result for result in results}


def _query(warehouse: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def test_every_row_is_loaded_or_quarantined(pulse_env: Path) -> None:
    results = _by_file(ingest())
    assert {name: r.status for name, r in results.items()} == {
        "commerce/customers_small.csv": "loaded",
        "commerce/orders_small.csv": "loaded",
        "polls/poll_results_small.csv": "loaded",
        "reviews/app_reviews_small.jsonl": "loaded",
        "reviews/reviews_small.csv": "loaded",
        "surveys/google_forms_post_purchase.csv": "loaded",
        "surveys/qualtrics_pulse_small.csv": "loaded",
    }
    counts = {name: (r.rows_in, r.rows_loaded, r.rows_quarantined) for name, r in results.items()}
    assert counts["surveys/qualtrics_pulse_small.csv"] == (5, 3, 2)
    assert counts["surveys/google_forms_post_purchase.csv"] == (3, 3, 0)
    assert counts["reviews/reviews_small.csv"] == (5, 3, 2)
    assert counts["reviews/app_reviews_small.jsonl"] == (3, 2, 1)
    assert counts["commerce/orders_small.csv"] == (6, 6, 0)
    ledger = _query(
        pulse_env,
        "select file_name, rows_in, rows_loaded, rows_quarantined from raw.load_ledger"
        " where status = 'loaded'",
    )
    for file_name, rows_in, loaded, quarantined in ledger:
        assert rows_in == loaded + quarantined, file_name
        assert (rows_in, loaded, quarantined) == counts[file_name]


def test_quarantine_says_where_and_why(pulse_env: Path) -> None:
    ingest()
    reasons = _query(
        pulse_env,
        "select _file_name, line_number, reason from raw.quarantine order by _file_name, reason",
    )
    assert (
        "reviews/app_reviews_small.jsonl",
        4,
        "line is not valid JSON (truncated or malformed)",
    ) in reasons
    assert (
        "surveys/qualtrics_pulse_small.csv",
        8,
        "unparseable record (too many columns): Expected Number of Columns: 22 Found: 23",
    ) in reasons
    assert any(
        reason.startswith("duplicate response_id R_3ccccccccccccccc in data row 4")
        for _, _, reason in reasons
    )
    assert ("reviews/reviews_small.csv", None, "missing review_id in data row 5") in reasons


def test_second_run_loads_nothing(pulse_env: Path) -> None:
    ingest()
    before = _query(pulse_env, f"select count(*) from {RAW_ANSWERS_LONG}")[0][0]
    ledger_before = _query(pulse_env, "select count(*) from raw.load_ledger")[0][0]
    second = ingest()
    assert {result.status for result in second} == {"unchanged"}
    assert _query(pulse_env, f"select count(*) from {RAW_ANSWERS_LONG}")[0][0] == before
    assert _query(pulse_env, "select count(*) from raw.load_ledger")[0][0] == ledger_before


def test_identical_file_under_another_name_is_skipped(pulse_env: Path, landing: Path) -> None:
    ingest()
    shutil.copy(landing / "commerce" / "orders_small.csv", landing / "commerce" / "orders_copy.csv")
    results = _by_file(ingest())
    assert results["commerce/orders_copy.csv"].status == "skipped_duplicate"
    assert _query(pulse_env, "select count(*) from raw.orders")[0][0] == 6


def test_corrected_redelivery_replaces_rows(pulse_env: Path, landing: Path) -> None:
    ingest()
    orders = landing / "commerce" / "orders_small.csv"
    lines = orders.read_text().splitlines()
    corrected = [line.replace("120.00,0.00,120.00", "120.00,20.00,100.00") for line in lines[:-1]]
    orders.write_text("\n".join(corrected) + "\n")
    results = _by_file(ingest())
    assert results["commerce/orders_small.csv"].status == "loaded"
    rows = _query(pulse_env, "select order_id, net_amount from raw.orders order by order_id")
    assert len(rows) == 5
    assert rows[0] == ("O0000001", "100.00")
    statuses = _query(
        pulse_env,
        "select status from raw.load_ledger where file_name = 'commerce/orders_small.csv'"
        " order by started_at",
    )
    assert [status for (status,) in statuses] == ["superseded", "loaded"]


def test_a_failure_after_staging_keeps_the_previous_version_whole(
    pulse_env: Path, landing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CSV loaders stage the file before the file's transaction begins: a failure after
    # the responses are written must still undo them and keep the earlier version's rows.
    ingest()
    survey = landing / "surveys" / "qualtrics_pulse_small.csv"
    counts_sql = (
        "select (select count(*) from raw.survey_responses where _file_name = $f),"
        " (select count(*) from raw.survey_answers where _file_name = $f),"
        " (select count(*) from raw.quarantine where _file_name = $f)"
    )
    params = {"f": "surveys/qualtrics_pulse_small.csv"}
    with duckdb.connect(str(pulse_env), read_only=True) as conn:
        before = conn.execute(counts_sql, params).fetchone()
    survey.write_text(survey.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    monkeypatch.setattr(
        "ingestion.loaders.surveys.insert_survey_answers_sql",
        lambda columns: "insert into raw.survey_answers select * from no_such_table",
    )
    results = _by_file(ingest())
    assert results["surveys/qualtrics_pulse_small.csv"].status == "failed"
    with duckdb.connect(str(pulse_env), read_only=True) as conn:
        assert conn.execute(counts_sql, params).fetchone() == before
        statuses = conn.execute(
            "select status from raw.load_ledger where file_name = $f order by started_at", params
        ).fetchall()
    assert statuses == [("loaded",), ("failed",)]


def test_bad_file_does_not_block_the_others(pulse_env: Path, landing: Path) -> None:
    (landing / "surveys" / "ms_forms.csv").write_text(
        "ID,Start time,Completion time,Email,Name,Rate us\n1,a,b,c,d,5\n"
    )
    (landing / "reviews" / "reviews_empty.csv").write_text("")
    results = _by_file(ingest())
    assert results["surveys/ms_forms.csv"].status == "failed"
    assert "Microsoft Forms" in (results["surveys/ms_forms.csv"].error or "")
    assert results["reviews/reviews_empty.csv"].status == "failed"
    assert results["surveys/qualtrics_pulse_small.csv"].status == "loaded"
    failed = _query(
        pulse_env, "select file_name, error from raw.load_ledger where status = 'failed'"
    )
    assert {name for name, _ in failed} == {"surveys/ms_forms.csv", "reviews/reviews_empty.csv"}


def test_personal_data_is_pseudonymised(pulse_env: Path) -> None:
    ingest()
    for table in ("survey_responses", "reviews", "customers"):
        text = _query(pulse_env, f"select cast(list(t) as varchar) from raw.{table} as t")[0][0]
        assert "@example" not in text, table
        assert "+358401234567" not in text, table
    # The same person has the same key in every source, whatever the case of the email.
    keys = _query(
        pulse_env,
        "select (select email_hash from raw.customers where customer_id = 'C000001'),"
        " (select reviewer_email_hash from raw.reviews where review_id = 'tp-000001'),"
        " (select respondent_email_hash from raw.survey_responses"
        "  where response_id = 'R_1aaaaaaaaaaaaaa')",
    )[0]
    assert keys[0] is not None and len(set(keys)) == 1


def test_survey_answers_are_long_and_registered(pulse_env: Path) -> None:
    ingest()
    answers = _query(
        pulse_env,
        f"select item_id, answer from {RAW_ANSWERS_LONG} where response_id = 'R_1aaaaaaaaaaaaaa'"
        " order by item_id",
    )
    assert answers == [
        ("Q1", "10"),
        ("Q2", "5"),
        ("Q3", "7"),
        ("Q8_TEXT", "Toimitus oli nopea, kiitos! Soita +358 40 123 4567"),
        ("touchpoint", "delivery"),
    ]
    response = _query(
        pulse_env,
        "select survey_id, source_timezone, submitted_at from raw.survey_responses"
        " where response_id = 'R_1aaaaaaaaaaaaaa'",
    )
    assert response == [("relationship_nps", "Europe/Helsinki", "2025-03-04 10:13:40")]
    registry = _query(pulse_env, "select count(*) from raw.survey_registry")[0][0]
    assert registry == 8


def test_multilingual_text_survives_byte_exact(pulse_env: Path) -> None:
    ingest()
    texts = {row[0] for row in _query(pulse_env, f"select answer from {RAW_ANSWERS_LONG}")}
    assert "配送が早かったです" in texts
    assert "Prețul este prea mare" not in texts  # that record was malformed and quarantined
    assert "La livraison était lente,\r\nmerci de vous améliorer" in texts


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252", "utf-8-sig"])
def test_other_encodings_load_the_same_text(pulse_env: Path, landing: Path, encoding: str) -> None:
    source = landing / "reviews" / "reviews_small.csv"
    text = source.read_text(encoding="utf-8")
    source.unlink()
    (landing / "reviews" / "app_reviews_small.jsonl").unlink()
    (landing / "reviews" / "reviews_encoded.csv").write_bytes(text.encode(encoding))
    results = _by_file(ingest())
    assert results["reviews/reviews_encoded.csv"].rows_loaded == 3
    bodies = {row[0] for row in _query(pulse_env, "select title from raw.reviews")}
    assert "Hyvä reppu" in bodies
    encodings = _query(
        pulse_env,
        "select encoding from raw.load_ledger where file_name = 'reviews/reviews_encoded.csv'",
    )
    assert encodings == [(encoding,)]


def test_real_exports_load_with_their_row_counts(
    real_fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
    monkeypatch.setenv("PULSE_SURVEY_REGISTRY", str(tmp_path / "none.yml"))
    warehouse = tmp_path / "real.duckdb"
    paths = [
        real_fixtures / "qualtrics" / "export_modern" / "sample.csv",
        real_fixtures / "google_forms" / "form_responses_1.csv",
    ]
    results = _by_file(ingest(paths, warehouse=warehouse, landing_root=real_fixtures))
    qualtrics = results["qualtrics/export_modern/sample.csv"]
    forms = results["google_forms/form_responses_1.csv"]
    assert (qualtrics.rows_in, qualtrics.rows_loaded, qualtrics.rows_quarantined) == (1, 1, 0)
    assert (forms.rows_in, forms.rows_loaded, forms.rows_quarantined) == (64, 64, 0)
    topics = _query(warehouse, f"select answer from {RAW_ANSWERS_LONG} where item_id = 'Q2'")
    assert topics == [("Hello World!",)]
