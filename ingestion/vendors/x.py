"""X (Twitter) polls: API v2 tweets with the `attachments.poll_ids` expansion.

`data[]` tweets and `includes.polls[]`, each poll with `options[]` (`position`, `label`,
`votes`), `voting_status`, `end_datetime`, `duration_minutes`; the question is the text of
the tweet that carries the poll, and the poll opens with its tweet (`created_at`, else the
end less the duration). The API client (ingestion/api/x_polls.py) and a saved response map
each poll with `poll_rows`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from ingestion.records import Row
from ingestion.staged import POLL_OPTIONS
from ingestion.vendors.base import JSON_DOCUMENT, ApiSource, Sample, Vendor
from ingestion.vendors.formats import json_document, refusal

NAME = "x"
PLATFORM = "x"


def _started_at(tweet: Mapping[str, Any], poll: Mapping[str, Any]) -> str | None:
    if tweet.get("created_at"):
        return str(tweet["created_at"])
    ends_at, minutes = poll.get("end_datetime"), poll.get("duration_minutes")
    if ends_at and isinstance(minutes, int):
        end = datetime.fromisoformat(str(ends_at).replace("Z", "+00:00"))
        return (end - timedelta(minutes=minutes)).isoformat()
    return None


def poll_rows(tweet: Mapping[str, Any], poll: Mapping[str, Any]) -> list[Row]:
    return [
        {
            "poll_id": poll.get("id"),
            "platform": PLATFORM,
            "question": tweet.get("text"),
            "option_position": option.get("position"),
            "option_label": option.get("label"),
            "votes": option.get("votes"),
            "voting_status": poll.get("voting_status"),
            "started_at": _started_at(tweet, poll),
            "ends_at": poll.get("end_datetime"),
        }
        for option in poll.get("options") or []
    ]


def tweets_by_poll(document: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    tweets: dict[str, Mapping[str, Any]] = {}
    for tweet in document.get("data") or []:
        for poll_id in (tweet.get("attachments") or {}).get("poll_ids") or []:
            tweets[str(poll_id)] = tweet
    return tweets


def _is_response(document: Any) -> str | None:
    includes = document.get("includes") if isinstance(document, dict) else None
    if isinstance(includes, dict) and "polls" in includes:
        return "X API v2 response with includes.polls"
    return None


def option_rows(document: Any) -> Iterator[Row]:
    tweets = tweets_by_poll(document)
    for poll in document["includes"]["polls"]:
        yield from poll_rows(tweets.get(str(poll.get("id")), {}), poll)


def _is_response_without_polls(sample: Sample) -> str | None:
    document = sample.document
    if (
        isinstance(document, dict)
        and isinstance(document.get("data"), list)
        and isinstance(document.get("includes"), dict)
        and "polls" not in document["includes"]
    ):
        return "X API v2 response without includes.polls: no poll to load"
    return None


VENDOR = Vendor(
    name=NAME,
    family="polls",
    platform=PLATFORM,
    description="X (Twitter) polls from API v2 tweets with includes.polls.",
    formats=(
        json_document(
            "x_api_v2_polls_json",
            "polls",
            POLL_OPTIONS,
            _is_response,
            option_rows,
            "X API v2 tweets response with includes.polls.",
            unique_key=False,
        ),
    ),
    refusals=(
        refusal(
            "x_api_v2_without_polls",
            _is_response_without_polls,
            frozenset({JSON_DOCUMENT}),
            describes_data=True,
        ),
    ),
    api=ApiSource(
        client="ingestion.api.x_polls",
        settings_name="x",
        asset_name="x_polls",
        tables=("poll_options",),
        by_day=True,
    ),
)
