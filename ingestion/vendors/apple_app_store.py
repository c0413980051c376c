"""Apple App Store: customer reviews from the public RSS feed and App Store Connect.

- RSS feed as JSON (`/rss/customerreviews/.../json`): `feed.entry[]`, entry 0 describes
  the app itself and is not a review; every scalar is wrapped as `{"label": ...}`; ratings
  are strings (`im:rating`). A feed without reviews has no `entry` at all. A review's time
  stamp is its `updated.label`; older feeds write none per entry, and their reviews get the
  feed's `updated.label` (the latest time the review can have been written).
- App Store Connect API (`/v1/apps/{id}/customerReviews`, ingestion/api/app_store.py):
  JSON:API `data[]` customerReviews (`attributes` rating, title, body, reviewerNickname,
  createdDate, territory) with the developer's reply among `included[]`
  customerReviewResponses (`responseBody`, `lastModifiedDate`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ingestion.records import Record, Row, make_record, whole_number_text
from ingestion.staged import REVIEWS
from ingestion.vendors.base import ApiSource, Vendor
from ingestion.vendors.formats import json_document

NAME = "apple_app_store"
PLATFORM = "app_store"


def _label(entry: dict[str, Any], key: str) -> str | None:
    wrapped = entry.get(key)
    label = wrapped.get("label") if isinstance(wrapped, dict) else None
    return None if label is None else str(label)


def _is_feed(document: Any) -> str | None:
    feed = document.get("feed") if isinstance(document, dict) else None
    if isinstance(feed, dict) and ("entry" in feed or "customerreviews" in json.dumps(feed)):
        return "App Store customer-reviews RSS feed (feed.entry; entry 0 is the app)"
    return None


def feed_rows(document: Any) -> Iterator[Row]:
    feed = document["feed"]
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
            "platform": PLATFORM,
            "product": app_name,
            "rating": whole_number_text(_label(entry, "im:rating")),
            "title": _label(entry, "title"),
            "body": _label(entry, "content"),
            "reviewer_name": _label(author, "name"),
            "created_at": _label(entry, "updated") or feed_updated,
        }


def connect_review_record(
    review: dict[str, Any], replies: dict[str, dict[str, Any]], product: str
) -> Record:
    """A customerReviews item of App Store Connect, with its reply when one is included."""
    attributes = review.get("attributes") or {}
    relation = ((review.get("relationships") or {}).get("response") or {}).get("data") or {}
    reply = replies.get(str(relation.get("id"))) if relation else None
    reply_attributes = (reply or {}).get("attributes") or {}
    row = {
        "review_id": review["id"],
        "platform": PLATFORM,
        "product": product,
        # The storefront the review was written in (ISO 3166-1 alpha-3, e.g. USA).
        "location": attributes.get("territory"),
        "rating": whole_number_text(attributes.get("rating")),
        "title": attributes.get("title"),
        "body": attributes.get("body"),
        "reviewer_name": attributes.get("reviewerNickname"),
        "created_at": attributes.get("createdDate"),
        "reply_body": reply_attributes.get("responseBody"),
        "replied_at": reply_attributes.get("lastModifiedDate"),
    }
    # The reply is hashed with the review: a new or edited reply changes the record.
    return make_record(str(review["id"]), {"review": review, "reply": reply}, {"reviews": [row]})


VENDOR = Vendor(
    name=NAME,
    family="reviews",
    platform=PLATFORM,
    rating_scale=(1, 5),
    description="App Store customer reviews: the public RSS feed and App Store Connect.",
    formats=(
        json_document(
            "app_store_rss_json",
            "reviews",
            REVIEWS,
            _is_feed,
            feed_rows,
            "App Store customer-reviews RSS feed as JSON; entry 0 is the app.",
        ),
    ),
    api=ApiSource(
        client="ingestion.api.app_store",
        settings_name="app_store_connect",
        asset_name="app_store_reviews",
        tables=("reviews",),
    ),
)
