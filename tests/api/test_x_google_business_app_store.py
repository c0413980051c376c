"""X polls, Google Business Profile, App Store Connect: rules beyond the shared acceptance list."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.parse
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingestion.api import x_polls as x_polls_client
from ingestion.api.config import ApiConfigError
from ingestion.api.window import WindowResult, run_window
from ingestion.settings import DBT_PROJECT_DIR
from orchestration.defs.api.assets import API_ASSETS
from orchestration.lib.quality.gx_runner import audit_new_loads
from orchestration.project import dbt_executable
from tests.api.cases_x_google_business_app_store import app_store_case, google_business_case, x_case
from tests.api.fake_vendors import FakeVendor, json_answer, serve
from tests.api.vendor_cases import VendorCase

app_store_reviews = API_ASSETS["app_store_connect"]
google_business_reviews = API_ASSETS["google_business"]
x_polls = API_ASSETS["x"]


@pytest.fixture(autouse=True)
def pseudonym_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")


def pull(
    case: VendorCase,
    conn: duckdb.DuckDBPyConnection,
    monkeypatch: pytest.MonkeyPatch,
    sleeps: list[float] | None = None,
) -> WindowResult:
    puller = case.puller(monkeypatch, [] if sleeps is None else sleeps, FakeVendor.token)
    return run_window(conn, puller)


def looked_up_ids(request: str) -> list[str]:
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request).query)
    return query["ids"][0].split(",")


def test_open_polls_are_refreshed_until_closed_then_never_asked_for_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = x_case()
    conn = duckdb.connect()
    with serve(case.fake):
        case.seed(5)  # polls 4 and 5 are open
        first = pull(case, conn, monkeypatch)
        tweet_ids = [tweet["id"] for tweet in case.fake.tweets if "attachments" in tweet]
        assert json.loads(first.cursor_after or "")["open_tweet_ids"] == tweet_ids[3:]

        poll = case.fake.records()[4]
        poll["voting_status"] = "closed"
        poll["options"][1]["votes"] = 99
        closing = pull(case, conn, monkeypatch)
        assert looked_up_ids(case.fake.requests[-1]) == tweet_ids[3:]
        assert (closing.records_changed, closing.records_unchanged) == (1, 1)

        after_close = pull(case, conn, monkeypatch)
        assert looked_up_ids(case.fake.requests[-1]) == tweet_ids[3:4]
        assert after_close.rows_loaded == 0

        case.fake.tweets = [t for t in case.fake.tweets if t["id"] != tweet_ids[3]]  # deleted
        pull(case, conn, monkeypatch)
        quiet = pull(case, conn, monkeypatch)
    assert json.loads(quiet.cursor_after or "")["open_tweet_ids"] == []
    assert not case.fake.requests[-1].startswith("/2/tweets?")  # nothing left to refresh
    rows = conn.execute(
        "select option_position, votes, voting_status, question, started_at, ends_at"
        " from raw.poll_options where poll_id = ? order by option_position",
        [poll["id"]],
    ).fetchall()
    assert [row[:3] for row in rows[:2]] == [("1", "5", "closed"), ("2", "99", "closed")]
    assert rows[0][3] == "Which delivery option do you prefer? (5)"
    assert rows[0][4:] == ("2026-01-01T05:00:00Z", "2026-01-02T05:00:00Z")


def test_a_spent_rate_limit_window_waits_until_its_reset(monkeypatch: pytest.MonkeyPatch) -> None:
    case = x_case()
    conn = duckdb.connect()
    sleeps: list[float] = []
    with serve(case.fake):
        case.seed(5)
        case.fake.rate_limit_remaining[1] = 0  # the first page spends the window
        result = pull(case, conn, monkeypatch, sleeps)
    assert result.pages == 3
    assert len(sleeps) == 1 and 25 < sleeps[0] <= 30  # reset is 30 s after the answer


def test_a_429_waits_for_the_x_rate_limit_reset_even_beyond_two_minutes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = x_case()
    conn = duckdb.connect()
    sleeps: list[float] = []
    with serve(case.fake):
        case.seed(2)
        reset = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(int(time.time()) + 600)}
        case.fake.script[1] = json_answer(
            {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank",
             "status": 429},
            429,
            reset,
        )  # fmt: skip
        puller = case.puller(monkeypatch, sleeps, FakeVendor.token)
        puller.http.retry = x_polls_client.from_environment().http.retry  # the client's own
        run_window(conn, puller)
    assert len(sleeps) == 1 and 590 < sleeps[0] <= 600


def test_x_page_size_must_be_what_the_timeline_accepts(monkeypatch: pytest.MonkeyPatch) -> None:
    case = x_case()
    case.settings["PAGE_SIZE"] = "2"
    with pytest.raises(ApiConfigError, match="PULSE_API_X_PAGE_SIZE must be between 5 and 100"):
        case.puller(monkeypatch, [], FakeVendor.token)


def test_google_star_ratings_become_numbers_and_paging_stops_past_the_lookback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = google_business_case()
    conn = duckdb.connect()
    with serve(case.fake):
        case.seed(10)
        pull(case, conn, monkeypatch)
        requests_before = len(case.fake.requests)
        case.add_new()
        second = pull(case, conn, monkeypatch)
    # newest first: [11, 10], [9, 8] within two days of review 10, [7, 6] past it: stop
    assert len(case.fake.requests) - requests_before == 3
    assert (second.records_changed, second.records_unchanged) == (1, 3)
    ratings = conn.execute(
        "select review_id, rating, platform, location from raw.reviews order by created_at"
    ).fetchall()
    assert ratings[:5] == [
        ("g1", "2", "google", "9281"), ("g2", "3", "google", "9281"),
        ("g3", "4", "google", "9281"), ("g4", "5", "google", "9281"),
        ("g5", "1", "google", "9281"),
    ]  # fmt: skip


def test_app_store_replies_are_joined_from_included_responses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = app_store_case()
    conn = duckdb.connect()
    with serve(case.fake):
        case.seed(3)
        review_id, reply = case.edit_old()
        first = pull(case, conn, monkeypatch)
    assert case.fake.requests[0].startswith("/v1/apps/1234567890/customerReviews?")
    assert "include=response" in case.fake.requests[0]
    assert first.cursor_after == "2026-01-04T00:00:00Z"  # createdDate is Pacific time
    rows = conn.execute(
        "select review_id, rating, location, reply_body, replied_at from raw.reviews"
        " where reply_body is not null"
    ).fetchall()
    assert rows == [(review_id, "3", "DEU", reply, "2026-01-20T17:00:00-07:00")]


def configure(case: VendorCase, monkeypatch: pytest.MonkeyPatch) -> None:
    case.puller(monkeypatch, [], FakeVendor.token)  # sets PULSE_API_<VENDOR>_*


@pytest.mark.integration
def test_assets_load_the_new_platforms_and_staging_accepts_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("PULSE_WAREHOUSE", str(warehouse))
    cases = [x_case(), google_business_case(), app_store_case()]
    assets = [x_polls, google_business_reviews, app_store_reviews]
    with serve(cases[0].fake), serve(cases[1].fake), serve(cases[2].fake):
        for case in cases:
            case.seed(5)
            configure(case, monkeypatch)
        cases[2].edit_old()
        result = dg.materialize(assets)
    assert result.success
    for asset, expected_rows in zip(assets, (16, 5, 5), strict=True):
        [materialization] = result.asset_materializations_for_node(asset.op.name)
        assert materialization.metadata["rows_loaded"] == dg.IntMetadataValue(expected_rows)
        assert materialization.metadata["pages"] == dg.IntMetadataValue(3)

    # Staging reads the loads the raw gates published, as a pipeline run's checks do.
    assert all(not outcome.held for outcome in audit_new_loads(warehouse))
    build = subprocess.run(
        [dbt_executable(), "build", "--indirect-selection", "cautious",
         "--select", "stg_vendors__feedback_sources",
         "stg_reviews__reviews", "stg_polls__poll_options",
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        cwd=DBT_PROJECT_DIR, env={**os.environ}, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stdout[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        reviews = conn.execute(
            "select platform, min(rating), max(rating), count(*), count(replied_at)"
            " from staging.stg_reviews__reviews group by platform order by platform"
        ).fetchall()
        polls = conn.execute(
            "select platform, count(distinct poll_id), count(*), count(*) filter"
            " (where voting_status = 'open') from staging.stg_polls__poll_options group by 1"
        ).fetchall()
    assert reviews == [("app_store", 1, 5, 5, 1), ("google", 1, 5, 5, 0)]
    assert polls == [("x", 5, 16, 7)]  # polls 4 and 5 (3 and 4 options) are open
