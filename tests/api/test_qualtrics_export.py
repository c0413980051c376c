"""The Qualtrics export beyond the shared acceptance list: what lands, polling, failures."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from ingestion.api.http import ApiError
from ingestion.api.qualtrics import (
    QualtricsResponses,
    read_export_zip,
    recorded_at,
    response_record,
    staged_responses,
)
from ingestion.api.window import read_cursor, run_window
from tests.api.cases_google_play_yelp_qualtrics import qualtrics_case
from tests.api.fake_google_play_yelp_qualtrics import FakeQualtrics
from tests.api.fake_vendors import FakeVendor, serve
from tests.api.vendor_cases import VendorCase
from tests.conftest import RAW_ANSWERS_LONG


@pytest.fixture
def qualtrics(monkeypatch: pytest.MonkeyPatch) -> Iterator[VendorCase]:
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
    case = qualtrics_case()
    with serve(case.fake):
        case.seed(3)
        yield case


def puller(
    case: VendorCase, monkeypatch: pytest.MonkeyPatch, waits: list[float]
) -> QualtricsResponses:
    client = case.puller(monkeypatch, [], FakeVendor.token)
    assert isinstance(client, QualtricsResponses)
    client.wait = waits.append
    return client


def test_responses_answers_and_zone_land_as_the_file_loader_would_write_them(
    qualtrics: VendorCase, conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_window(conn, puller(qualtrics, monkeypatch, []))
    # raw.survey_answers holds one row (two answers) per response
    assert result.rows_by_table == {"survey_responses": 3, "survey_answers": 3}
    assert conn.execute(
        "select survey_id, submitted_at, source_timezone, is_finished, external_reference"
        " from raw.survey_responses where response_id = 'R_0002abc'"
    ).fetchall() == [("SV_0NwPulse1", "2026-01-02 17:00:00", "America/Denver", "0", "cust-2")]
    answers = conn.execute(
        f"select item_id, answer from {RAW_ANSWERS_LONG} where response_id = 'R_0003abc'"
        " order by item_id"
    ).fetchall()
    assert answers == [("Q1", "3"), ("Q2_TEXT", 'Because 3, "quoted"\nand on two lines')]
    # the cursor is the newest RecordedDate in UTC; the next export starts a lookback before
    assert result.cursor_after == "2026-01-04T00:00:00Z"
    run_window(conn, puller(qualtrics, monkeypatch, []))
    first, second = (json.loads(body) for body in qualtrics.fake.posted)
    assert first == {"format": "csv", "useLabels": False}
    assert second == {"format": "csv", "useLabels": False, "startDate": "2026-01-02T00:00:00Z"}


def test_an_export_in_progress_is_polled_until_complete(
    qualtrics: VendorCase, conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(qualtrics.fake, FakeQualtrics)
    qualtrics.fake.polls_before_complete = 3
    waits: list[float] = []
    result = run_window(conn, puller(qualtrics, monkeypatch, waits))
    assert waits == [2, 2, 2]  # PULSE_API_QUALTRICS_POLL_SECONDS defaults to 2
    assert result.rows_by_table["survey_responses"] == 3


def test_a_failed_export_or_endless_polling_leaves_the_cursor_where_it_was(
    qualtrics: VendorCase, conn: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = qualtrics.fake
    assert isinstance(fake, FakeQualtrics)
    first = run_window(conn, puller(qualtrics, monkeypatch, []))
    qualtrics.add_new()
    fake.fail_exports = True
    with pytest.raises(ApiError, match=r"export ES_0002 failed on the Qualtrics side"):
        run_window(conn, puller(qualtrics, monkeypatch, []))
    fake.fail_exports = False
    fake.polls_before_complete = 9
    monkeypatch.setenv("PULSE_API_QUALTRICS_MAX_POLLS", "4")
    waits: list[float] = []
    with pytest.raises(ApiError, match=r"not complete after 4 polls \(40.0% done\)"):
        run_window(conn, puller(qualtrics, monkeypatch, waits))
    assert len(waits) == 3
    assert read_cursor(conn, "qualtrics", first.endpoint) == first.cursor_after
    statuses = conn.execute("select status from raw.api_windows order by started_at").fetchall()
    assert statuses == [("loaded",), ("failed",), ("failed",)]
    assert conn.execute("select count(*) from raw.survey_responses").fetchone() == (3,)
    fake.polls_before_complete = 0
    rerun = run_window(conn, puller(qualtrics, monkeypatch, []))
    assert rerun.records_changed == 1
    assert conn.execute("select count(*) from raw.survey_responses").fetchone() == (4,)


def export_zip(csv_text: str) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("survey.csv", csv_text)
    return archive.getvalue()


HEADERS = (
    "RecordedDate,ResponseId,Q1\n"
    "Recorded Date,Response ID,How likely?\n"
    '"{""ImportId"":""recordedDate"",""timeZone"":""UTC""}","{""ImportId"":""_recordId""}",'
    '"{""ImportId"":""QID1""}"\n'
)


def test_an_unparseable_record_names_the_file_and_line(tmp_path: Path) -> None:
    body = export_zip(HEADERS + '2026-01-01 10:00:00,R_1,9\n2026-01-01 11:00:00,R_2,"7\n')
    export = read_export_zip(body, tmp_path, "export ES_1-file")
    with duckdb.connect() as conn, pytest.raises(ApiError) as raised:
        staged_responses(conn, export)
    message = str(raised.value)
    assert "export ES_1-file/survey.csv line 5" in message


def test_an_export_that_is_not_the_3_header_format_is_refused(tmp_path: Path) -> None:
    legacy = "V1,V2,Q1\nResponseID,ResponseSet,How likely?\nR_1,Default,9\n"
    with pytest.raises(ApiError, match="row 3 holds no ImportId"):
        read_export_zip(export_zip(legacy), tmp_path, "export ES_1-file")
    with pytest.raises(ApiError, match="not a ZIP file"):
        read_export_zip(b"<html>gateway</html>", tmp_path, "export ES_1-file")


def test_a_real_export_parses_into_responses_and_answers(
    real_fixtures: Path, tmp_path: Path
) -> None:
    sample = real_fixtures / "qualtrics" / "export_modern" / "sample.csv"
    export = read_export_zip(export_zip(sample.read_text(encoding="utf-8")), tmp_path, "export")
    with duckdb.connect() as conn:
        [values] = staged_responses(conn, export).fetchall()
    record = response_record("SV_sample", export, values, 4)
    [response] = record.rows["survey_responses"]
    assert (response["response_id"], response["submitted_at"], response["is_finished"]) == (
        "R_2YPOQ602ER1jkf1", "2017-07-18 08:28:48", "1",
    )  # fmt: skip
    answers = {row["item_id"]: row["answer"] for row in record.rows["survey_answers"]}
    assert answers == {"Q1": "2", "Q2": "Hello World!", "Q2 - Topics": None}
    assert recorded_at(record, export, 4) == "2017-07-18T08:28:48Z"
