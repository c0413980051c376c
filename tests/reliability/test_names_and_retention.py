"""Known customers' names in free text are masked at load, whichever file came first;
single common words are not; the retention period redacts old free text and personal
fields in raw and quarantine, and marks the tables for a full rebuild."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from ingestion.names import mask_runs
from ingestion.pipeline import ingest
from orchestration.cli import main

REVIEW_HEADER = (
    "review_id,platform,product,location,rating,title,body,language,reviewer_name,"
    "reviewer_email,customer_reference,created_at,reply_body,replied_at"
)


def _rows(warehouse: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def _write_reviews(path: Path, rows: list[str]) -> None:
    path.write_text(REVIEW_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")


def test_mask_runs_keeps_what_is_around_the_name() -> None:
    text = "Thanks to (aino  VIRTANEN), great! Aino came back."
    assert mask_runs(text, ["aino virtanen"]) == "Thanks to ([name]), great! Aino came back."
    assert mask_runs("Anna Maria Svensson", ["anna maria svensson", "anna maria"]) == "[name]"


def test_names_in_free_text_are_masked_at_load(pulse_env: Path, landing: Path) -> None:
    # customers_small.csv holds Aino Virtanen and Mari Tamm; a customer named "Will May"
    # shows that two common words are masked only together.
    customers = landing / "commerce" / "customers_small.csv"
    customers.write_text(
        customers.read_text(encoding="utf-8")
        + "C000077,will.may@example.com,,Will,May,2024-05-03T10:00:00Z,FI,Oulu,,\n",
        encoding="utf-8",
    )
    _write_reviews(
        landing / "reviews" / "reviews_names.csv",
        [
            'nm-000001,trustpilot,footwear,web,5,Thanks Aino,"Aino Virtanen, at the till,'
            ' was kind. I will come back in May.",en,,,,2025-03-09T10:00:00Z,'
            '"Thank you, MARI TAMM!",2025-03-10T10:00:00Z',
            "nm-000002,trustpilot,footwear,web,4,Ok,Will May helped me,en,,,,"
            "2025-03-09T11:00:00Z,,",
        ],
    )
    survey = landing / "surveys" / "google_forms_post_purchase.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    # The open answer of the last response names a customer.
    lines[-1] = lines[-1].rsplit(",", 1)[0] + ',"ask for aino virtanen please"'
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")

    results = {result.file_name: result for result in ingest()}

    assert all(result.status == "loaded" for result in results.values()), results
    bodies = dict(
        _rows(
            pulse_env,
            "select review_id, body || ' | ' || coalesce(reply_body, '')"
            " from raw.reviews where review_id like 'nm-%'",
        )
    )
    assert bodies["nm-000001"] == (
        "[name], at the till, was kind. I will come back in May. | Thank you, [name]!"
    )
    assert bodies["nm-000002"] == "[name] helped me | "
    titles = _rows(pulse_env, "select title from raw.reviews where review_id = 'nm-000001'")
    assert titles == [("Thanks Aino",)]  # a first name alone stays
    answers = _rows(
        pulse_env,
        "select answer from (select unnest(answers) as answer from raw.survey_answers)"
        " where answer like '%please%'",
    )
    assert answers == [("ask for [name] please",)]


def test_names_in_quarantined_records_are_masked(pulse_env: Path, landing: Path) -> None:
    # A review id seen twice in one file: the second record is quarantined as it stood
    # (a JSON object of its fields), but not the name in it.
    _write_reviews(
        landing / "reviews" / "reviews_names.csv",
        [
            "nm-000003,trustpilot,footwear,web,4,Hi,Fine,en,,,,2025-03-09T10:00:00Z,,",
            "nm-000003,trustpilot,footwear,web,1,Hi,Aino Virtanen was rude,en,,,,"
            "2025-03-09T11:00:00Z,,",
        ],
    )

    ingest()

    [(line,)] = _rows(
        pulse_env,
        "select original_line from raw.quarantine where original_line like '%nm-000003%'",
    )
    assert '"body":"[name] was rude"' in line
    assert "Virtanen" not in line


def test_a_later_customers_file_masks_texts_loaded_before(pulse_env: Path, landing: Path) -> None:
    _write_reviews(
        landing / "reviews" / "reviews_names.csv",
        [
            "nm-000003,trustpilot,footwear,web,5,Hi,Ask Ville Niemi about boots,en,,,,"
            "2025-03-09T10:00:00Z,,"
        ],
    )
    ingest()
    (landing / "commerce" / "customers_late.csv").write_text(
        "customer_id,email,phone,first_name,last_name,signed_up_at,country,city,birth_date,"
        "referred_by_customer_id\n"
        "C000088,ville@example.com,,Ville,Niemi,2024-05-03T10:00:00Z,FI,Oulu,,\n",
        encoding="utf-8",
    )

    ingest()

    body = _rows(pulse_env, "select body from raw.reviews where review_id = 'nm-000003'")
    assert body == [("Ask [name] about boots",)]
    assert _rows(pulse_env, "select table_name, revision from raw.table_edits") == [("reviews", 1)]


def test_the_retention_period_redacts_old_text_and_personal_fields(
    pulse_env: Path, landing: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_reviews(
        landing / "reviews" / "reviews_recent.csv",
        [
            "rt-000001,trustpilot,footwear,web,5,Fresh,Brand new text,en,Ann Lee,ann@example.com,,"
            "2999-01-01T10:00:00Z,,"
        ],
    )
    ingest()  # the fixture reviews, answers and notes date from 2024-2025
    before = _rows(pulse_env, "select count(*) from raw.reviews where body is not null")[0][0]
    assert before > 1

    assert main(["forget", "--older-than", "365", "--no-run"]) == 0

    line = capsys.readouterr().out.strip().splitlines()[0]
    assert line.startswith("retention (365 days): free text and personal fields of records")
    assert f"reviews {before - 1}," in line
    assert _rows(
        pulse_env,
        "select review_id from raw.reviews where body is not null or title is not null"
        " or reviewer_email_hash is not null or reviewer_name_hash is not null",
    ) == [("rt-000001",)]
    assert _rows(
        pulse_env,
        "select count(*) from raw.survey_responses where respondent_email_hash is not null"
        " or respondent_name_hash is not null",
    ) == [(0,)]
    # Scores stay: only the open answers went.
    scores = _rows(
        pulse_env,
        "select count(*) from (select unnest(answers) as a from raw.survey_answers)"
        " where try_cast(a as integer) is not null",
    )[0][0]
    assert scores > 0
    assert _rows(
        pulse_env,
        "select count(*) from (select unnest(answers) as a from raw.survey_answers)"
        " where a like '% %'",
    ) == [(0,)]
    edited = {row[0] for row in _rows(pulse_env, "select table_name from raw.table_edits")}
    assert {"reviews", "survey_responses", "survey_answers"} <= edited

    # PULSE_RETENTION_DAYS applies the same at load time to a re-delivered old file.
    os.environ["PULSE_RETENTION_DAYS"] = "365"
    try:
        _write_reviews(
            landing / "reviews" / "reviews_old.csv",
            ["rt-000002,trustpilot,footwear,web,2,Old,Old text,en,,,,2020-01-01T10:00:00Z,,"],
        )
        ingest()
    finally:
        del os.environ["PULSE_RETENTION_DAYS"]
    assert _rows(pulse_env, "select body from raw.reviews where review_id = 'rt-000002'") == [
        (None,)
    ]
