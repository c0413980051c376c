"""Real third-party files (../shared/fixtures/real): detected, loaded with the right counts."""

from pathlib import Path

import duckdb
import pytest

from ingestion.detect import detect
from ingestion.pipeline import ingest
from tests.conftest import RAW_ANSWERS_LONG

SURVEYMONKEY_BULK = (
    "surveymonkey/api_v3/api.surveymonkey.net__v3__surveys__318754279__responses__bulk-eda25e.json"
)
# relative path -> (vendor, layout, rows loaded); layout None: a file with no responses,
# reviews or polls in it, refused with a reason.
EXPECTED = {
    "google_forms/form_responses_1.csv": ("google_forms", "google_forms_csv", 64),
    "qualtrics/export_modern/sample.csv": ("qualtrics", "qualtrics_csv_3_header", 1),
    "qualtrics/export_legacy/sample_legacy.csv": ("qualtrics", "qualtrics_csv_legacy", 1),
    "reviews/apple_app_store_rss/ios_review.json": ("apple_app_store", "app_store_rss_json", 50),
    "reviews/apple_app_store_rss/ios_review_empty.json": (
        "apple_app_store",
        "app_store_rss_json",
        0,
    ),
    "reviews/google_places/PlaceDetailsLookupGoogleSydneyResponse.json": (
        "google_places",
        "google_places_details_json",
        5,
    ),
    "reviews/google_places/PlaceDetailsResponse.json": (
        "google_places",
        "google_places_details_json",
        1,
    ),
    "reviews/google_places/PlacesApiDetailsInFrenchResponse.json": (
        "google_places",
        "google_places_details_json",
        5,
    ),
    "social_polls/x_api_v2/labs_v2_tweets_656974073491156992_with_poll.json": (
        "x",
        "x_api_v2_polls_json",
        2,
    ),
    SURVEYMONKEY_BULK: (
        "surveymonkey",
        "surveymonkey_responses_json",
        2,
    ),
    # Fivetran's seed samples: the answers table names responses the responses table does
    # not hold, so every answer is quarantined for want of its response.
    "qualtrics/fivetran_tables/survey_response.csv": (
        "qualtrics",
        "qualtrics_fivetran_survey_response",
        5,
    ),
    "qualtrics/fivetran_tables/question_response.csv": (
        "qualtrics",
        "qualtrics_fivetran_question_response",
        0,
    ),
}
QUARANTINED = {"qualtrics/fivetran_tables/question_response.csv": 5}


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.parametrize("relative", sorted(EXPECTED))
def test_real_file_is_detected(real_fixtures: Path, relative: str) -> None:
    vendor, layout, _ = EXPECTED[relative]
    detection = detect(real_fixtures / relative)
    assert (detection.vendor, detection.layout) == (vendor, layout)


def test_files_without_responses_are_refused_with_reason(real_fixtures: Path) -> None:
    refused = {
        path.relative_to(real_fixtures).as_posix(): detect(path)
        for path in real_fixtures.rglob("*")
        if path.is_file()
        and path.suffix != ".md"
        and path.relative_to(real_fixtures).as_posix() not in EXPECTED
    }
    assert len(refused) == 12
    for name, detection in refused.items():
        assert detection.layout is None, name
        # Survey definitions and the connector's metadata tables hold no responses.
        assert detection.describes_data, name
        assert "no responses" in detection.reason or "no mart reads" in detection.reason, name
        assert detection.vendor == name.split("/")[0], name


def test_real_files_load_with_their_row_counts_and_only_once(
    real_fixtures: Path, pulse_env: Path
) -> None:
    results = {
        result.file_name: result for result in ingest([real_fixtures], landing_root=real_fixtures)
    }
    loaded = {name: r.rows_loaded for name, r in results.items() if r.status == "loaded"}
    assert loaded == {name: rows for name, (_, _, rows) in EXPECTED.items()}
    assert {name: r.rows_quarantined for name, r in results.items() if r.rows_quarantined} == (
        QUARANTINED
    )

    again = ingest([real_fixtures], landing_root=real_fixtures)
    assert {r.status for r in again if r.file_name in EXPECTED} == {"unchanged"}
    counts = dict(_query(pulse_env, "select _source, count(*) from raw.reviews group by _source"))
    assert counts == {"apple_app_store": 50, "google_places": 11}


def test_real_values_arrive_as_the_vendor_sent_them(real_fixtures: Path, pulse_env: Path) -> None:
    ingest([real_fixtures], landing_root=real_fixtures)
    polls = _query(
        pulse_env,
        "select poll_id, option_position, option_label, votes, voting_status, ends_at"
        " from raw.poll_options order by option_position",
    )
    assert polls == [
        ("656974073113636864", "1", "Roboto", "391", "closed", "2015-10-22T23:23:19.000Z"),
        ("656974073113636864", "2", "San Francisco", "691", "closed", "2015-10-22T23:23:19.000Z"),
    ]
    app_store = _query(
        pulse_env,
        "select review_id, rating, title, product from raw.reviews where review_id = '1205430410'",
    )
    assert app_store == [("1205430410", "4", "あまり", "Apple Store")]
    # The feed's entries carry no time stamp: each review gets the feed's `updated`.
    app_store_dates = _query(
        pulse_env,
        "select _file_name, count(*), count(created_at), min(created_at), max(created_at)"
        " from raw.reviews where _source = 'apple_app_store' group by 1",
    )
    assert app_store_dates == [
        (
            "reviews/apple_app_store_rss/ios_review.json",
            50,
            50,
            "2015-06-18T07:17:49-07:00",
            "2015-06-18T07:17:49-07:00",
        )
    ]
    french = _query(
        pulse_env,
        "select location, language, created_at from raw.reviews"
        " where _source = 'google_places' and created_at = '2017-06-16T23:58:14Z'",
    )
    assert french == [("Sacré-Cœur", "fr", "2017-06-16T23:58:14Z")]
    legacy = _query(
        pulse_env,
        f"select a.item_id, a.answer, r.started_at, r.submitted_at from {RAW_ANSWERS_LONG} as a"
        " inner join raw.survey_responses as r using (_file_name, response_id)"
        " where a._file_name like '%sample_legacy.csv' order by a.item_id",
    )
    assert legacy == [
        ("Q1", "2", "2017-07-18 08:28:09", "2017-07-18 08:28:48"),
        ("Q2", "Hello World!", "2017-07-18 08:28:09", "2017-07-18 08:28:48"),
    ]
    monkey = _query(
        pulse_env,
        f"select response_id, item_id, answer from {RAW_ANSWERS_LONG}"
        " where _source = 'surveymonkey' order by response_id, item_id",
    )
    assert monkey == [
        ("13376299051", "769893650", "5096103935"),
        ("13376299051", "769893903", "Phil, Mango, Donut"),
        ("13376313674", "769893650", "5096103935"),
        ("13376313674", "769893903", "Donut, Mango, Phil"),
    ]


# Survey files: (responses, answers, questions declared by the header rows).
SURVEY_COUNTS = {
    "google_forms/form_responses_1.csv": (64, 433, 8),
    "qualtrics/export_legacy/sample_legacy.csv": (1, 2, 2),
    "qualtrics/export_modern/sample.csv": (1, 2, 3),
    SURVEYMONKEY_BULK: (2, 4, 0),
    "qualtrics/fivetran_tables/survey_response.csv": (5, 0, 0),
    "qualtrics/fivetran_tables/question_response.csv": (0, 0, 0),
}


def test_real_survey_files_load_every_answer(
    real_fixtures: Path, pulse_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSE_DEFAULT_TIMEZONE", "America/New_York")
    survey_files = [
        path
        for path in real_fixtures.rglob("*")
        if path.is_file() and detect(path).family == "surveys" and detect(path).supported
    ]
    assert {path.relative_to(real_fixtures).as_posix() for path in survey_files} == set(
        SURVEY_COUNTS
    )
    ingest(survey_files, landing_root=real_fixtures)
    responses = dict(
        _query(pulse_env, "select _file_name, count(*) from raw.survey_responses group by all")
    )
    answers = dict(
        _query(pulse_env, f"select _file_name, count(*) from {RAW_ANSWERS_LONG} group by all")
    )
    questions = dict(
        _query(pulse_env, "select _file_name, count(*) from raw.survey_questions group by all")
    )
    assert {
        name: (responses.get(name, 0), answers.get(name, 0), questions.get(name, 0))
        for name in SURVEY_COUNTS
    } == SURVEY_COUNTS
    # Google Forms writes no zone: the configured default applies.
    assert _query(
        pulse_env,
        "select distinct source_timezone from raw.survey_responses"
        " where _file_name = 'google_forms/form_responses_1.csv'",
    ) == [("America/New_York",)]
