"""Vendor API bodies saved as one JSON document (not JSON lines).

These bodies are one page of a paginated API, so they are small (tens of records) and are
parsed in Python; each record becomes one staged row. The shapes followed:

- App Store customer-reviews RSS feed as JSON (`/rss/customerreviews/.../json`):
  `feed.entry[]`, entry 0 describes the app itself and is not a review; every scalar is
  wrapped as `{"label": ...}`; ratings are strings (`im:rating`). A feed without reviews
  has no `entry` at all. A review's time stamp is its `updated.label`; older feeds write
  none per entry, and their reviews get the feed's `updated.label` (an upper bound).
- Google Business Profile `accounts.locations.reviews.list` body: `reviews[]` with `name`
  (`accounts/{a}/locations/{l}/reviews/{r}`), `reviewId`, `reviewer{displayName,
  isAnonymous}`, `starRating` as a word (`ONE`..`FIVE`, kept as sent; staging reads it),
  `comment`, `createTime`, `updateTime`, `reviewReply{comment, updateTime}`.
- Google Places "place details" (`result.reviews[]`): `rating` 1..5, `time` in Unix
  seconds, `language` (or `original_language`); reviews carry no id, so one is derived
  from the place, author and time.
- X API v2 tweets lookup with `expansions=attachments.poll_ids`: `includes.polls[]`, each
  with `options[]` (`position`, `label`, `votes`), `voting_status`, `end_datetime`,
  `duration_minutes`; the question is the text of the tweet that carries the poll.
- SurveyMonkey API v3 bulk responses (`/surveys/{id}/responses/bulk`): `data[]` responses
  with `pages[].questions[].answers[]`; answers name choice ids, not labels.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from ingestion.layouts import TableLayout
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.csv_stage import add_missing_columns, quarantine_invalid_keys, staged_count
from ingestion.loaders.surveys import RESPONSE_STAGED_COLUMNS
from ingestion.loaders.tables import finish_table_load
from ingestion.warehouse import execute_sql_file, quote_identifier

Record = dict[str, str | None]


class DocumentShapeError(ValueError):
    """The document is valid JSON but not the shape its layout expects."""


def read_document(ctx: LoadContext) -> Any:
    text = ctx.path.read_text(encoding=ctx.encoding)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DocumentShapeError(
            f"{ctx.file_name}: not a valid JSON document (line {error.lineno}: {error.msg})"
        ) from error


def text_or_none(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _label(entry: dict[str, Any], key: str) -> str | None:
    wrapped = entry.get(key)
    return text_or_none(wrapped.get("label")) if isinstance(wrapped, dict) else None


def _utc_from_unix(seconds: object) -> str | None:
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        return None
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def app_store_reviews(document: Any) -> Iterator[Record]:
    feed = document.get("feed") if isinstance(document, dict) else None
    if not isinstance(feed, dict):
        raise DocumentShapeError("App Store RSS JSON: no `feed` object")
    entries = feed.get("entry", [])
    if isinstance(entries, dict):  # a feed with a single entry holds the app only
        entries = [entries]
    app = entries[0] if entries else {}
    app_name = _label(app, "im:name")
    feed_updated = _label(feed, "updated")
    for entry in entries[1:]:
        author = entry.get("author") if isinstance(entry.get("author"), dict) else {}
        yield {
            "review_id": _label(entry, "id"),
            "platform": "app_store",
            "product": app_name,
            "rating": _label(entry, "im:rating"),
            "title": _label(entry, "title"),
            "body": _label(entry, "content"),
            "reviewer_name": _label(author, "name"),
            # Older feeds carry no date per review; newer ones add `updated`.
            "created_at": _label(entry, "updated") or feed_updated,
        }


def google_places_reviews(document: Any) -> Iterator[Record]:
    place = document.get("result") if isinstance(document, dict) else None
    if not isinstance(place, dict) or "place_id" not in place:
        raise DocumentShapeError("Google Places details JSON: no `result.place_id`")
    for review in place.get("reviews", []):
        author_url = text_or_none(review.get("author_url")) or ""
        identity = "|".join((place["place_id"], author_url, text_or_none(review.get("time")) or ""))
        yield {
            "review_id": "gpl_" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24],
            "platform": "google",
            "location": text_or_none(place.get("name")),
            "rating": text_or_none(review.get("rating")),
            "body": text_or_none(review.get("text")),
            "language": text_or_none(review.get("original_language") or review.get("language")),
            "reviewer_name": text_or_none(review.get("author_name")),
            "created_at": _utc_from_unix(review.get("time")),
        }


def google_business_profile_reviews(document: Any) -> Iterator[Record]:
    reviews = document.get("reviews") if isinstance(document, dict) else None
    if not isinstance(reviews, list):
        raise DocumentShapeError("Google Business Profile reviews JSON: no `reviews` list")
    for review in reviews:
        reviewer = review.get("reviewer") or {}
        reply = review.get("reviewReply") or {}
        location = re.search(r"locations/[^/]+", text_or_none(review.get("name")) or "")
        yield {
            "review_id": text_or_none(review.get("reviewId")),
            "platform": "google",
            "location": location.group(0) if location else None,
            "rating": text_or_none(review.get("starRating")),
            "body": text_or_none(review.get("comment")),
            "reviewer_name": (
                None if reviewer.get("isAnonymous") else text_or_none(reviewer.get("displayName"))
            ),
            "created_at": text_or_none(review.get("createTime")),
            "reply_body": text_or_none(reply.get("comment")),
            "replied_at": text_or_none(reply.get("updateTime")),
        }


def x_poll_options(document: Any) -> Iterator[Record]:
    includes = document.get("includes") if isinstance(document, dict) else None
    if not isinstance(includes, dict) or not isinstance(includes.get("polls"), list):
        raise DocumentShapeError("X API v2 JSON: no `includes.polls`")
    tweets = {}
    for tweet in document.get("data") or []:
        for poll_id in (tweet.get("attachments") or {}).get("poll_ids", []):
            tweets[poll_id] = tweet
    for poll in includes["polls"]:
        tweet = tweets.get(poll.get("id"), {})
        ends_at = text_or_none(poll.get("end_datetime"))
        started_at = text_or_none(tweet.get("created_at"))
        if started_at is None and ends_at and isinstance(poll.get("duration_minutes"), int):
            end = datetime.fromisoformat(ends_at.replace("Z", "+00:00"))
            started_at = (end - timedelta(minutes=poll["duration_minutes"])).isoformat()
        for option in poll.get("options", []):
            yield {
                "poll_id": text_or_none(poll.get("id")),
                "platform": "x",
                "question": text_or_none(tweet.get("text")),
                "option_position": text_or_none(option.get("position")),
                "option_label": text_or_none(option.get("label")),
                "votes": text_or_none(option.get("votes")),
                "voting_status": text_or_none(poll.get("voting_status")),
                "started_at": started_at,
                "ends_at": ends_at,
            }


DOCUMENT_PARSERS: dict[str, Callable[[Any], Iterator[Record]]] = {
    "app_store_rss_json": app_store_reviews,
    "google_places_details_json": google_places_reviews,
    "google_business_profile_reviews_json": google_business_profile_reviews,
    "x_api_v2_polls_json": x_poll_options,
}


def stage_records(ctx: LoadContext, table: str, columns: list[str], rows: list[Record]) -> None:
    """Temp table of text columns plus `_row_number` (1-based record number in the file)."""
    ctx.conn.execute(f"drop table if exists {quote_identifier(table)}")
    definitions = ", ".join(f"{quote_identifier(column)} varchar" for column in columns)
    ctx.conn.execute(
        f"create temp table {quote_identifier(table)} ({definitions}, _row_number bigint)"
    )
    if rows:
        placeholders = ", ".join("?" for _ in range(len(columns) + 1))
        ctx.conn.executemany(
            f"insert into {quote_identifier(table)} values ({placeholders})",
            [[row.get(column) for column in columns] + [row["_row_number"]] for row in rows],
        )


def load_table_document(ctx: LoadContext, layout: TableLayout) -> LoadCounts:
    records = list(DOCUMENT_PARSERS[layout.name](read_document(ctx)))
    columns = list(layout.columns)
    rows: list[Record] = [
        {**record, "_row_number": str(number)} for number, record in enumerate(records, start=1)
    ]
    stage_records(ctx, "staged", columns, rows)
    return finish_table_load(ctx, layout, rejected=0)


def _surveymonkey_answer_rows(response: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(item id, answer) per answered item; a multi-select item joins its choice ids."""
    answers: dict[str, list[str]] = {}
    for page in response.get("pages", []):
        for question in page.get("questions", []):
            for answer in question.get("answers", []):
                item = str(question["id"])
                if answer.get("row_id"):
                    item += "_" + str(answer["row_id"])
                if answer.get("other_id"):
                    item += "_other"
                value = answer.get("choice_id") or answer.get("text")
                if value not in (None, ""):
                    answers.setdefault(item, []).append(str(value))
    for item, values in answers.items():
        yield item, ",".join(values)


def load_surveymonkey_responses(ctx: LoadContext) -> LoadCounts:
    document = read_document(ctx)
    responses = document.get("data") if isinstance(document, dict) else None
    if not isinstance(responses, list):
        raise DocumentShapeError("SurveyMonkey bulk responses JSON: no `data` list")
    survey = ctx.registry.survey_for(ctx.file_name)
    survey_id = survey.survey_id if survey else None
    rows: list[Record] = []
    answers: list[Record] = []
    for number, response in enumerate(responses, start=1):
        survey_id = survey_id or text_or_none(response.get("survey_id"))
        rows.append(
            {
                "response_id": text_or_none(response.get("id")),
                "started_at": text_or_none(response.get("date_created")),
                "submitted_at": text_or_none(response.get("date_modified")),
                "duration_seconds": text_or_none(response.get("total_time")),
                "is_finished": text_or_none(response.get("response_status") == "completed"),
                "distribution_channel": text_or_none(response.get("collection_mode")),
                "external_reference": text_or_none(response.get("custom_value")) or None,
                "respondent_email": text_or_none(response.get("email_address")) or None,
                "respondent_first_name": text_or_none(response.get("first_name")) or None,
                "respondent_last_name": text_or_none(response.get("last_name")) or None,
                "_row_number": str(number),
            }
        )
        for item_id, answer in _surveymonkey_answer_rows(response):
            answers.append(
                {
                    "response_id": text_or_none(response.get("id")),
                    "item_id": item_id,
                    "answer": answer,
                    "_row_number": str(number),
                }
            )
    stage_records(ctx, "staged", RESPONSE_STAGED_COLUMNS, rows)
    stage_records(ctx, "staged_answers", ["response_id", "item_id", "answer"], answers)
    add_missing_columns(ctx, RESPONSE_STAGED_COLUMNS)
    staged = staged_count(ctx)
    bad_keys = quarantine_invalid_keys(ctx, "response_id", "raw.survey_responses")
    params = {
        **ctx.lineage(),
        "survey_id": survey_id or PurePosixPath(ctx.file_name).stem,
        "timezone": (survey.timezone if survey else None) or "UTC",
        "pseudonym_key": ctx.pseudonym_key,
    }
    execute_sql_file(ctx.conn, "insert_survey_responses.sql", params)
    execute_sql_file(ctx.conn, "insert_survey_answers_long.sql", params)
    return LoadCounts(
        rows_in=staged,
        rows_loaded=staged - bad_keys,
        rows_quarantined=bad_keys,
        target_table="raw.survey_responses",
    )
