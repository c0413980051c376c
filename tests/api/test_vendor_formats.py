"""Vendor-specific wire-format rules: inclusive cursors, labels, personal data."""

from __future__ import annotations

import duckdb
import pytest

from ingestion.api.window import run_window
from tests.api.fake_vendors import FakeVendor, serve
from tests.api.vendor_cases import surveymonkey_case, typeform_case
from tests.conftest import RAW_ANSWERS_LONG


def test_quiet_run_emits_no_response_at_the_inclusive_cursor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
    case = typeform_case()
    conn = duckdb.connect()
    with serve(case.fake):
        case.seed(5)  # the two newest responses share one submitted_at second
        first = run_window(conn, case.puller(monkeypatch, [], FakeVendor.token))
        quiet = run_window(conn, case.puller(monkeypatch, [], FakeVendor.token))
    assert first.cursor_after is not None and '"t5"' in first.cursor_after
    assert '"t6"' in first.cursor_after
    assert (quiet.records_changed, quiet.records_unchanged) == (0, 0)
    assert "since=2026-01-01T05" in case.fake.requests[-1].replace("%3A", ":")


def test_email_answers_are_pseudonymised_not_stored_as_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
    case = typeform_case()
    conn = duckdb.connect()
    with serve(case.fake):
        case.seed(2)
        run_window(conn, case.puller(monkeypatch, [], FakeVendor.token))
    items = {row[0] for row in conn.execute(f"select item_id from {RAW_ANSWERS_LONG}").fetchall()}
    assert items == {"nps", "why"}
    hashes = conn.execute(
        "select count(*) from raw.survey_responses"
        " where respondent_email_hash = sha256('test-key|email|respondent2@example.com')"
    ).fetchone()
    assert hashes == (1,)
    finished = conn.execute(
        "select response_id, is_finished, submitted_at from raw.survey_responses order by 1"
    ).fetchall()
    assert finished[0] == ("t1", "false", None)


def test_surveymonkey_answers_carry_the_choice_labels_of_the_survey_details(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
    case = surveymonkey_case()
    conn = duckdb.connect()
    with serve(case.fake):
        case.seed(3)
        run_window(conn, case.puller(monkeypatch, [], FakeVendor.token))
    answers = conn.execute(
        f"select item_id, answer from {RAW_ANSWERS_LONG} where response_id = 'sm3' order by 1"
    ).fetchall()
    assert answers == [("q1", "3"), ("q2", "Because 3")]
