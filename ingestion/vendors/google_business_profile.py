"""Google Business Profile: reviews of a location (My Business API v4).

`accounts.locations.reviews.list` answers `reviews[]` with `name`
(`accounts/{a}/locations/{l}/reviews/{r}`), `reviewId`, `reviewer{displayName,
isAnonymous}`, `starRating` as a word (`ONE`..`FIVE`), `comment`, `createTime`,
`updateTime`, `reviewReply{comment, updateTime}`, and `nextPageToken`. The API client
(ingestion/api/google_business.py) and a saved body map each review with `review_row`; the
star word is typed to its number there, and anything else (STAR_RATING_UNSPECIFIED) is
kept as sent for the raw gate to refuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ingestion.records import Record, Row, make_record
from ingestion.staged import REVIEWS
from ingestion.vendors.base import ApiSource, ItemMapping, Vendor
from ingestion.vendors.formats import first_object, json_document

NAME = "google_business_profile"
PLATFORM = "google"
STAR_RATINGS = {"ONE": "1", "TWO": "2", "THREE": "3", "FOUR": "4", "FIVE": "5"}


def star_rating(value: object) -> object:
    return STAR_RATINGS.get(value, value) if isinstance(value, str) else value


def review_row(review: dict[str, Any], location: str | None = None) -> Row:
    reply = review.get("reviewReply") or {}
    reviewer = review.get("reviewer") or {}
    named = re.search(r"locations/[^/]+", str(review.get("name") or ""))
    return {
        "review_id": review.get("reviewId"),
        "platform": PLATFORM,
        "location": location or (named.group(0) if named else None),
        "rating": star_rating(review.get("starRating")),
        "body": review.get("comment"),
        "reviewer_name": None if reviewer.get("isAnonymous") else reviewer.get("displayName"),
        "created_at": review.get("createTime"),
        "reply_body": reply.get("comment"),
        "replied_at": reply.get("updateTime"),
    }


def review_record(review: dict[str, Any], location: str | None = None) -> Record:
    return make_record(str(review["reviewId"]), review, {"reviews": [review_row(review, location)]})


def is_review(item: Any) -> bool:
    return isinstance(item, dict) and bool({"reviewId", "starRating"} & set(item))


def _is_body(document: Any) -> str | None:
    if is_review(first_object(document, "reviews")):
        return "Google Business Profile reviews body (reviews[].reviewId, starRating)"
    return None


def _rows(document: Any) -> Iterator[Row]:
    for review in document.get("reviews") or []:
        yield review_row(review)


VENDOR = Vendor(
    name=NAME,
    family="reviews",
    platform=PLATFORM,
    rating_scale=(1, 5),
    description="Google Business Profile reviews (API v4 and saved bodies).",
    formats=(
        json_document(
            "google_business_profile_reviews_json",
            "reviews",
            REVIEWS,
            _is_body,
            _rows,
            "Google Business Profile accounts.locations.reviews.list body saved as a file.",
        ),
    ),
    items=(
        ItemMapping(
            streams=frozenset({"reviews"}),
            target=REVIEWS,
            matches=is_review,
            to_record=lambda item, _survey: review_record(item),
        ),
    ),
    api=ApiSource(
        client="ingestion.api.google_business",
        settings_name="google_business",
        asset_name="google_business_reviews",
        tables=("reviews",),
    ),
)
