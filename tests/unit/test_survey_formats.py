"""Every survey export format as a file: detected, loaded with exact counts and values,
decoded through the survey definition, loaded once, replaced on re-delivery."""

from __future__ import annotations

import csv
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from ingestion.detect import detect
from ingestion.pipeline import ingest
from tests.conftest import RAW_ANSWERS_LONG

FORMATS = Path(__file__).resolve().parent.parent / "fixtures" / "formats" / "surveys"


def _query(warehouse: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def _write_workbook(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _surveymonkey_workbook(path: Path) -> Path:
    """The CSV fixture as SurveyMonkey's XLSX export: dates as real Excel datetimes."""
    with (FORMATS / "surveymonkey_export.csv").open(encoding="utf-8", newline="") as handle:
        rows: list[list[object]] = [list(row) for row in csv.reader(handle)]
    for row in rows[2:]:
        for position in (2, 3):
            row[position] = datetime.strptime(str(row[position]), "%m/%d/%Y %I:%M:%S %p")
        row[0] = int(str(row[0]))  # Excel keeps the respondent id as a number
        row[9] = int(str(row[9]))
    return _write_workbook(path, rows)


def _google_forms_workbook(path: Path) -> Path:
    return _write_workbook(
        path,
        [
            ["Timestamp", "How satisfied were you with your purchase?", "What could we improve?"],
            [datetime(2024, 5, 1, 9, 3), 5, "Nothing"],
            [datetime(2024, 12, 1, 18, 30, 5), 2, "Päivitä sovellus"],
        ],
    )


@pytest.fixture
def formats_landing(tmp_path: Path, pulse_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The survey format fixtures plus workbooks built from them, as a landing folder."""
    landing = tmp_path / "formats"
    shutil.copytree(FORMATS, landing)
    _surveymonkey_workbook(landing / "surveymonkey_export.xlsx")
    _google_forms_workbook(landing / "google_forms_sheet.xlsx")
    monkeypatch.setenv("PULSE_LANDING_DIR", str(landing))
    return landing


@pytest.mark.parametrize(
    ("name", "vendor", "layout"),
    [
        ("qualtrics_2016_insights.csv", "qualtrics", "qualtrics_csv_2016"),
        ("surveymonkey_export.csv", "surveymonkey", "surveymonkey_csv"),
        ("surveymonkey_export.xlsx", "surveymonkey", "surveymonkey_xlsx"),
        ("typeform_responses.json", "typeform", "typeform_responses_json"),
        ("typeform_responses.jsonl", "typeform", "typeform_responses_jsonl"),
        ("google_forms_no_seconds.csv", "google_forms", "google_forms_csv"),
        ("google_forms_sheet.xlsx", "google_forms", "google_forms_xlsx"),
    ],
)
def test_every_survey_format_is_detected(
    formats_landing: Path, name: str, vendor: str, layout: str
) -> None:
    detection = detect(formats_landing / name)
    assert (detection.family, detection.vendor, detection.layout) == ("surveys", vendor, layout)
    assert detection.reason


def test_survey_definition_is_not_mistaken_for_responses(formats_landing: Path) -> None:
    detection = detect(formats_landing / "qualtrics_2016.qsf")
    assert detection.layout is None
    assert "holds no responses" in detection.reason


def test_microsoft_forms_workbook_is_refused_with_reason(tmp_path: Path, pulse_env: Path) -> None:
    path = _write_workbook(
        tmp_path / "Customer feedback(1-2).xlsx",
        [
            ["ID", "Start time", "Completion time", "Email", "Name", "How satisfied are you?"],
            [1, datetime(2024, 5, 1, 9, 0), datetime(2024, 5, 1, 9, 2), "anonymous", "", 5],
        ],
    )
    detection = detect(path)
    assert not detection.supported
    assert detection.vendor == "microsoft_forms"
    assert "Microsoft Forms" in detection.reason
    [result] = ingest([path], landing_root=tmp_path)
    assert result.status == "failed"
    assert "Microsoft Forms" in (result.error or "")
    assert _query(pulse_env, "select count(*) from raw.survey_responses") == [(0,)]


def test_every_format_loads_with_exact_counts(formats_landing: Path, pulse_env: Path) -> None:
    results = {r.file_name: r for r in ingest()}
    counts = {
        name: (r.status, r.rows_in, r.rows_loaded, r.rows_quarantined)
        for name, r in results.items()
    }
    assert counts == {
        "airbyte_surveymonkey_survey_responses.jsonl": ("loaded", 2, 2, 0),
        "airbyte_typeform_responses.jsonl": ("loaded", 3, 3, 0),
        "google_forms_no_seconds.csv": ("loaded", 3, 3, 0),
        "google_forms_sheet.xlsx": ("loaded", 2, 2, 0),
        "qualtrics_2016_insights.csv": ("loaded", 3, 3, 0),
        "surveymonkey_export.csv": ("loaded", 3, 3, 0),
        "surveymonkey_export.xlsx": ("loaded", 3, 3, 0),
        "typeform_responses.json": ("loaded", 3, 3, 0),
        # the truncated last line is quarantined, the two lines before it load
        "typeform_responses.jsonl": ("loaded", 3, 2, 1),
    }
    answers = dict(
        _query(
            pulse_env,
            f"select _file_name, count(*) from {RAW_ANSWERS_LONG} group by all",
        )
    )
    assert answers == {
        "airbyte_surveymonkey_survey_responses.jsonl": 3,
        "airbyte_typeform_responses.jsonl": 4,
        "google_forms_no_seconds.csv": 5,
        "google_forms_sheet.xlsx": 4,
        "qualtrics_2016_insights.csv": 20,
        "surveymonkey_export.csv": 18,
        "surveymonkey_export.xlsx": 18,
        "typeform_responses.json": 8,
        "typeform_responses.jsonl": 6,
    }
    quarantined = _query(
        pulse_env, "select _file_name, line_number, reason, original_line from raw.quarantine"
    )
    assert [row[:3] for row in quarantined] == [
        ("typeform_responses.jsonl", 3, "line is not valid JSON (truncated or malformed)")
    ]
    assert quarantined[0][3].startswith('{"landing_id": "5fcb3f9c162e1fcdaadff4405b741080"')
    lineage = _query(
        pulse_env,
        "select distinct _source, _file_name, _file_hash is not null, _load_id is not null"
        " from raw.survey_responses order by _file_name",
    )
    # Records an EL tool landed carry their vendor as source, as the vendor's own do.
    assert [row[:2] for row in lineage] == [
        ("surveymonkey", "airbyte_surveymonkey_survey_responses.jsonl"),
        ("typeform", "airbyte_typeform_responses.jsonl"),
        ("google_forms", "google_forms_no_seconds.csv"),
        ("google_forms", "google_forms_sheet.xlsx"),
        ("qualtrics", "qualtrics_2016_insights.csv"),
        ("surveymonkey", "surveymonkey_export.csv"),
        ("surveymonkey", "surveymonkey_export.xlsx"),
        ("typeform", "typeform_responses.json"),
        ("typeform", "typeform_responses.jsonl"),
    ]
    assert all(row[2] and row[3] for row in lineage)


def test_qualtrics_2016_recodes_decode_through_the_definition(
    formats_landing: Path, pulse_env: Path
) -> None:
    ingest([formats_landing / "qualtrics_2016_insights.csv"])
    answers = _query(
        pulse_env,
        f"select response_id, item_id, answer from {RAW_ANSWERS_LONG}"
        " where response_id in ('R_2016aaaaaaaaaaa', 'R_2016bbbbbbbbbbb')"
        " order by response_id, item_id",
    )
    assert answers == [
        # Q1 (NPS, scored): recode values are the scores and stay as they are
        ("R_2016aaaaaaaaaaa", "Q1", "9"),
        # the second column also named Q1 is QID2: a scored item, choice id 6 -> recode 3
        ("R_2016aaaaaaaaaaa", "Q1.1", "3"),
        ("R_2016aaaaaaaaaaa", "Q3_1", "Web shop"),  # split multi-answer column (QID3-1)
        ("R_2016aaaaaaaaaaa", "Q5_1", "5"),  # matrix row, scored: the recode value
        ("R_2016aaaaaaaaaaa", "Q5_2", "Good"),  # matrix row, not scored: the label
        ("R_2016aaaaaaaaaaa", "Q6#1_1", "Yes"),  # side-by-side column 1
        ("R_2016aaaaaaaaaaa", "Q7_4_TEXT", "Hats"),  # text entry: never decoded
        ("R_2016aaaaaaaaaaa", "Q8", "Email; Phone"),  # multi-answer cell "1,2"
        ("R_2016bbbbbbbbbbb", "Q1", "3"),
        ("R_2016bbbbbbbbbbb", "Q1.1", "2"),
        ("R_2016bbbbbbbbbbb", "Q3_2", "Store"),
        ("R_2016bbbbbbbbbbb", "Q5_1", "3"),  # choice id 2 -> its recode value 3
        ("R_2016bbbbbbbbbbb", "Q5_2", "OK"),  # recode value 3 -> label of answer 2
        ("R_2016bbbbbbbbbbb", "Q6#1_1", "No"),
        ("R_2016bbbbbbbbbbb", "Q8", "Phone"),
    ]
    questions = _query(
        pulse_env,
        "select item_id, item_position, import_id from raw.survey_questions"
        " where item_id like 'Q1%' or item_id like 'Q3%' order by item_position",
    )
    assert questions == [
        ("Q1", 6, "QID1"),
        ("Q1.1", 7, "QID2"),
        ("Q3_1", 8, "QID3-1"),
        ("Q3_2", 9, "QID3-2"),
    ]
    responses = _query(
        pulse_env,
        "select response_id, started_at, submitted_at, source_timezone, is_finished"
        " from raw.survey_responses order by response_id",
    )
    assert responses[2] == (
        "R_2016ccccccccccc",
        "2016-05-05 08:00:00",
        "2016-05-05 08:01:00",
        "Europe/Helsinki",
        "0",
    )


def test_without_a_definition_answers_stay_as_exported(
    formats_landing: Path, pulse_env: Path
) -> None:
    registry = formats_landing / "survey_registry.yml"
    registry.write_text(registry.read_text().replace("    definition: qualtrics_2016.qsf\n", ""))
    ingest([formats_landing / "qualtrics_2016_insights.csv"])
    answers = _query(
        pulse_env,
        f"select item_id, answer from {RAW_ANSWERS_LONG}"
        " where response_id = 'R_2016bbbbbbbbbbb' order by item_id",
    )
    assert answers[:4] == [("Q1", "3"), ("Q1.1", "2"), ("Q3_2", "1"), ("Q5_1", "2")]
    # Undecoded, the first response's ces answer is the choice's code 6, off the 1..3
    # scale the registry gives the item: the response is quarantined, saying so.
    [(reason,)] = _query(pulse_env, "select reason from raw.quarantine")
    assert "answer '6' to Q1.1 (ces of survey" in reason
    assert reason.endswith("is not a whole number on its scale 1..3")


def test_missing_definition_fails_the_file_with_its_path(
    formats_landing: Path, pulse_env: Path
) -> None:
    (formats_landing / "qualtrics_2016.qsf").unlink()
    [result] = ingest([formats_landing / "qualtrics_2016_insights.csv"])
    assert result.status == "failed"
    assert "qualtrics_2016.qsf" in (result.error or "")
    assert _query(pulse_env, f"select count(*) from {RAW_ANSWERS_LONG}") == [(0,)]


def test_surveymonkey_csv_and_workbook_load_the_same_items(
    formats_landing: Path, pulse_env: Path
) -> None:
    ingest(
        [formats_landing / "surveymonkey_export.csv", formats_landing / "surveymonkey_export.xlsx"]
    )
    by_file = {
        name: _query(
            pulse_env,
            f"select response_id, item_id, answer from {RAW_ANSWERS_LONG}"
            " where _file_name = ? order by response_id, item_id",
            [name],
        )
        for name in ("surveymonkey_export.csv", "surveymonkey_export.xlsx")
    }
    assert by_file["surveymonkey_export.csv"] == by_file["surveymonkey_export.xlsx"]
    assert [row[1:] for row in by_file["surveymonkey_export.csv"] if row[0] == "114002"] == [
        ("Collector ID", "4001"),
        ("How likely are you to recommend us to a friend?", "6"),
        ("How satisfied were you with each of the following? | Delivery", "Dissatisfied"),
        ("How satisfied were you with each of the following? | Support", "Neutral"),
        ("Which products did you buy? | Bags", "Bags"),
        ("Which products did you buy? | Other (please specify)", "Socks"),
        ("Which products did you buy? | Shoes", "Shoes"),
    ]
    responses = _query(
        pulse_env,
        "select _file_name, response_id, started_at, submitted_at, source_timezone,"
        " external_reference, respondent_email_hash is not null"
        " from raw.survey_responses where response_id = '114003' order by _file_name",
    )
    assert responses == [
        (
            "surveymonkey_export.csv",
            "114003",
            "05/02/2024 11:59:59 PM",
            "05/03/2024 12:02:01 AM",
            "America/New_York",
            None,
            True,
        ),
        (
            "surveymonkey_export.xlsx",
            "114003",
            "2024-05-02 23:59:59",
            "2024-05-03 00:02:01",
            "America/New_York",
            None,
            True,
        ),
    ]
    # The IP address is personal data the marts never need: it is not loaded anywhere.
    assert _query(
        pulse_env,
        f"select count(*) from {RAW_ANSWERS_LONG} where answer like '192.0.2.%'",
    ) == [(0,)]


def test_typeform_body_and_lines_map_like_the_api(formats_landing: Path, pulse_env: Path) -> None:
    ingest([formats_landing / "typeform_responses.json"])
    responses = _query(
        pulse_env,
        "select response_id, started_at, submitted_at, is_finished, duration_seconds,"
        " external_reference, respondent_email_hash is not null, distribution_channel"
        " from raw.survey_responses order by _row_number",
    )
    assert responses == [
        (
            "21085286190ffad1248d17c4135ee56f",
            "2024-05-01T09:00:00Z",
            "2024-05-01T09:02:30Z",
            "true",
            "150",
            "C-2001",
            True,
            "other",
        ),
        # a partial response: no submitted_at, loaded as not finished
        (
            "610fc266478b41e4927945e20fe54ad2",
            "2024-05-01T10:00:00Z",
            None,
            "false",
            None,
            None,
            False,
            "mobile",
        ),
        # an item with a token only: the token is its response id
        (
            "5fcb3f9c162e1fcdaadff4405b741080",
            "2024-05-02T08:00:00Z",
            "2024-05-02T08:05:00Z",
            "true",
            "300",
            None,
            False,
            "other",
        ),
    ]
    answers = _query(
        pulse_env,
        f"select item_id, answer from {RAW_ANSWERS_LONG}"
        " where response_id = '21085286190ffad1248d17c4135ee56f' order by item_id",
    )
    # The email answer is personal data: hashed on the response, never stored as an answer.
    assert answers == [
        ("again", "true"),
        ("bought", "Shoes; Bags"),
        ("channel", "Web shop"),
        ("comment", "Hyvä palvelu 👍"),
        ("nps", "9"),
    ]


def test_google_forms_time_stamps_keep_their_text_and_registry_zone(
    formats_landing: Path, pulse_env: Path
) -> None:
    ingest(
        [
            formats_landing / "google_forms_no_seconds.csv",
            formats_landing / "google_forms_sheet.xlsx",
        ]
    )
    rows = _query(
        pulse_env,
        "select _file_name, submitted_at, source_timezone from raw.survey_responses"
        " order by _file_name, _row_number",
    )
    assert rows == [
        ("google_forms_no_seconds.csv", "2024/05/01 9:03", "Europe/Tallinn"),
        ("google_forms_no_seconds.csv", "2024/05/01 23:59", "Europe/Tallinn"),
        ("google_forms_no_seconds.csv", "5/2/2024 7:30:15", "Europe/Tallinn"),
        # real Excel datetimes arrive as local wall-clock text
        ("google_forms_sheet.xlsx", "2024-05-01 09:03:00", "Europe/Tallinn"),
        ("google_forms_sheet.xlsx", "2024-12-01 18:30:05", "Europe/Tallinn"),
    ]
    answers = _query(
        pulse_env,
        f"select answer from {RAW_ANSWERS_LONG} where _file_name = 'google_forms_sheet.xlsx'"
        " order by _row_number, item_id",
    )
    assert answers == [("5",), ("Nothing",), ("2",), ("Päivitä sovellus",)]


def test_default_zone_applies_when_the_registry_names_none(
    formats_landing: Path, pulse_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (formats_landing / "survey_registry.yml").unlink()
    monkeypatch.setenv("PULSE_DEFAULT_TIMEZONE", "Europe/Zagreb")
    ingest([formats_landing / "google_forms_no_seconds.csv"])
    zones = _query(
        pulse_env, "select distinct survey_id, source_timezone from raw.survey_responses"
    )
    assert zones == [("google_forms_no_seconds", "Europe/Zagreb")]


def test_second_load_loads_nothing_and_redelivery_replaces(
    formats_landing: Path, pulse_env: Path
) -> None:
    first = ingest()
    assert {r.status for r in first} == {"loaded"}
    before = _query(pulse_env, f"select count(*) from {RAW_ANSWERS_LONG}")[0][0]
    again = ingest()
    assert {r.status for r in again} == {"unchanged"}
    assert _query(pulse_env, f"select count(*) from {RAW_ANSWERS_LONG}")[0][0] == before

    monkey = formats_landing / "surveymonkey_export.csv"
    monkey.write_text(monkey.read_text(encoding="utf-8").replace(",9,Shoes,", ",8,Shoes,"))
    typeform = formats_landing / "typeform_responses.json"
    typeform.write_text(typeform.read_text(encoding="utf-8").replace('"number": 10', '"number": 7'))
    redelivered = {r.file_name: r.status for r in ingest()}
    assert redelivered["surveymonkey_export.csv"] == "loaded"
    assert redelivered["typeform_responses.json"] == "loaded"
    assert _query(pulse_env, f"select count(*) from {RAW_ANSWERS_LONG}")[0][0] == before
    assert _query(
        pulse_env,
        f"select answer from {RAW_ANSWERS_LONG} where _file_name = 'surveymonkey_export.csv'"
        " and response_id = '114001' and item_id like 'How likely%'",
    ) == [("8",)]
    assert _query(
        pulse_env,
        f"select answer from {RAW_ANSWERS_LONG} where _file_name = 'typeform_responses.json'"
        " and response_id = '5fcb3f9c162e1fcdaadff4405b741080' and item_id = 'nps'",
    ) == [("7",)]
    assert _query(
        pulse_env,
        "select count(*) from raw.survey_responses where _file_name = 'surveymonkey_export.csv'",
    ) == [(3,)]
