"""Google Play: the Play Console reviews report (CSV) and the Developer API's reviews.

- Reviews report (`reviews_<package>_<yyyymm>.csv` from the Cloud Storage bucket), UTF-16
  with BOM: Package Name, App Version Code, App Version Name, Reviewer Language, Device,
  Review Submit Date and Time, Review Submit Millis Since Epoch, Review Last Update Date
  and Time, ..., Star Rating, Review Title, Review Text, Developer Reply Date and Time,
  Developer Reply Millis Since Epoch, Developer Reply Text, Review Link. The review id is
  the reviewId of the Review Link (else derived from package and submit millis).
- androidpublisher v3 reviews (ingestion/api/googleplay.py): `reviews[]` with `reviewId`,
  `authorName`, `comments[]` of `userComment{text, starRating, reviewerLanguage,
  lastModified}` and `developerComment{text, lastModified}` (protobuf time stamps).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ingestion.layouts import TableLayout
from ingestion.records import Record, make_record, whole_number_text
from ingestion.staged import REVIEWS
from ingestion.timestamps import format_utc
from ingestion.vendors.base import ApiSource, Vendor
from ingestion.vendors.formats import csv_table

NAME = "google_play"
PLATFORM = "google_play"


def timestamp_text(value: dict[str, Any] | None) -> str | None:
    """A protobuf Timestamp ({"seconds": "1453978803", "nanos": 796000000}) as UTC text."""
    if not value or value.get("seconds") is None:
        return None
    return format_utc(datetime.fromtimestamp(int(value["seconds"]), tz=UTC))


def comments(review: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [entry[kind] for entry in review.get("comments") or [] if entry.get(kind)]


def review_record(review: dict[str, Any]) -> Record:
    user = (comments(review, "userComment") or [{}])[0]
    reply = (comments(review, "developerComment") or [{}])[0]
    row = {
        "review_id": review["reviewId"],
        "platform": PLATFORM,
        "product": "app",
        "location": "app",
        "rating": whole_number_text(user.get("starRating")),
        "body": user.get("text"),
        "language": user.get("reviewerLanguage"),
        "reviewer_name": review.get("authorName"),
        # the API keeps no creation time: the reviewer's comment's last change stands in
        "created_at": timestamp_text(user.get("lastModified")),
        "reply_body": reply.get("text"),
        "replied_at": timestamp_text(reply.get("lastModified")),
    }
    return make_record(str(review["reviewId"]), review, {"reviews": [row]})


REVIEWS_REPORT = TableLayout(
    name="google_play_review_csv",
    shape=REVIEWS,
    columns={
        "product": ("package_name",),
        "language": ("reviewer_language",),
        "created_at": ("review_submit_date_and_time",),
        "submitted_millis": ("review_submit_millis_since_epoch",),
        "rating": ("star_rating",),
        "title": ("review_title",),
        "body": ("review_text",),
        "replied_at": ("developer_reply_date_and_time",),
        "reply_body": ("developer_reply_text",),
        "review_link": ("review_link",),
        "review_id": ("review_id",),
    },
    required=frozenset({"product", "created_at", "rating"}),
    description="Google Play Console reviews report (UTF-16 CSV from the reports bucket).",
    constants={"platform": PLATFORM},
    local_time_columns=("created_at", "replied_at"),
    timezone="UTC",
    whole_number_columns=("rating",),
    derive_sql=("derive_google_play_review_ids.sql",),
)

VENDOR = Vendor(
    name=NAME,
    family="reviews",
    platform=PLATFORM,
    rating_scale=(1, 5),
    description="Google Play reviews: the Play Console report and the Developer API.",
    formats=(csv_table(REVIEWS_REPORT, "reviews"),),
    api=ApiSource(
        client="ingestion.api.googleplay",
        settings_name="google_play",
        asset_name="google_play_reviews",
        tables=("reviews",),
    ),
)
