"""Google Places: the reviews a "place details" response carries (`result.reviews[]`).

`rating` 1..5, `time` in Unix seconds, `language` (or `original_language` in the newer
redacted shape); reviews carry no id, so one is derived from the place, the author's URL
and the time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from ingestion.records import Row, text_or_none, whole_number_text
from ingestion.staged import REVIEWS
from ingestion.vendors.base import Vendor
from ingestion.vendors.formats import json_document

NAME = "google_places"
PLATFORM = "google"


def _utc_from_unix(seconds: object) -> str | None:
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        return None
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _is_details(document: Any) -> str | None:
    result = document.get("result") if isinstance(document, dict) else None
    if isinstance(result, dict) and "place_id" in result:
        return "Google Places details response (result.place_id, result.reviews)"
    return None


def review_rows(document: Any) -> Iterator[Row]:
    place = document["result"]
    for review in place.get("reviews") or []:
        author_url = text_or_none(review.get("author_url")) or ""
        identity = "|".join((place["place_id"], author_url, text_or_none(review.get("time")) or ""))
        yield {
            "review_id": "gpl_" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24],
            "platform": PLATFORM,
            "location": place.get("name"),
            "rating": whole_number_text(review.get("rating")),
            "body": review.get("text"),
            "language": review.get("original_language") or review.get("language"),
            "reviewer_name": review.get("author_name"),
            "created_at": _utc_from_unix(review.get("time")),
        }


VENDOR = Vendor(
    name=NAME,
    family="reviews",
    platform=PLATFORM,
    rating_scale=(1, 5),
    description="Google Places place-details responses with their reviews.",
    formats=(
        json_document(
            "google_places_details_json",
            "reviews",
            REVIEWS,
            _is_details,
            review_rows,
            "Google Places place-details response with result.reviews[].",
        ),
    ),
)
