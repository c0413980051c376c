"""Yelp: the Open Dataset's review.json and the Fusion API's reviews of a business.

- Open Dataset `review.json`, one review per line: review_id, user_id, business_id,
  stars, useful, funny, cool, text, date ('YYYY-MM-DD HH:MM:SS', no zone: the configured
  default zone applies). Stars are written as decimals (`3.0`): typed to the whole number
  on load. Yelp user ids are pseudonymous but stable: hashed like a name.
- Fusion API (`/v3/businesses/{id}/reviews`, ingestion/api/yelp.py): `reviews[]` with
  `id`, `rating`, `text` (an excerpt), `time_created` in Pacific time, `user.name`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ingestion.layouts import TableLayout
from ingestion.records import Record, make_record, whole_number_text
from ingestion.staged import REVIEWS
from ingestion.timestamps import format_utc
from ingestion.vendors.base import ApiSource, Vendor
from ingestion.vendors.formats import json_lines_table

NAME = "yelp"
PLATFORM = "yelp"
API_TIMEZONE = ZoneInfo("America/Los_Angeles")


class YelpTimeError(ValueError):
    """A Fusion review time that is not 'YYYY-MM-DD HH:MM:SS'."""


def created_utc(review: dict[str, Any]) -> str:
    text = review.get("time_created")
    try:
        local = datetime.strptime(str(text), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise YelpTimeError(
            f"{NAME}: review {review.get('id')!r} has time_created {text!r},"
            " not 'YYYY-MM-DD HH:MM:SS'"
        ) from None
    return format_utc(local.replace(tzinfo=API_TIMEZONE))


def review_record(business_id: str, review: dict[str, Any]) -> Record:
    user = review.get("user") or {}
    row = {
        "review_id": review["id"],
        "platform": PLATFORM,
        "location": business_id,
        "rating": whole_number_text(review.get("rating")),
        "body": review.get("text"),  # Yelp shares an excerpt of the review only
        "reviewer_name": user.get("name"),
        "created_at": created_utc(review),
    }
    return make_record(str(review["id"]), review, {"reviews": [row]})


DATASET_REVIEWS = TableLayout(
    name="yelp_review_jsonl",
    shape=REVIEWS,
    columns={
        "review_id": ("review_id",),
        "location": ("business_id",),
        "reviewer_name": ("user_id",),
        "rating": ("stars",),
        "body": ("text",),
        "created_at": ("date",),
    },
    required=frozenset({"review_id", "location", "rating"}),
    description="Yelp Open Dataset review.json, one review per line.",
    constants={"platform": PLATFORM},
    local_time_columns=("created_at",),
    whole_number_columns=("rating",),
)

VENDOR = Vendor(
    name=NAME,
    family="reviews",
    platform=PLATFORM,
    rating_scale=(1, 5),
    description="Yelp reviews: the Open Dataset's review.json and the Fusion API.",
    formats=(json_lines_table(DATASET_REVIEWS, "reviews"),),
    api=ApiSource(
        client="ingestion.api.yelp",
        settings_name="yelp",
        asset_name="yelp_reviews",
        tables=("reviews",),
    ),
)
