"""Google Business Profile reviews of one location (My Business API v4).

GET /v4/accounts/{account}/locations/{location}/reviews?pageSize=&pageToken=
&orderBy=updateTime desc with an OAuth 2 bearer access token; the answer holds `reviews[]`
(`reviewId`, `starRating` ONE..FIVE, `comment`, `createTime`, `updateTime`,
`reviewer.displayName`, `reviewReply{comment, updateTime}`) and `nextPageToken` (Google
leaves out empty lists and absent tokens). The cursor is the newest updateTime loaded; a
window reads newest first back to a lookback before it and stops paging there, so
reviewers' edits (which move updateTime) and replies to recent reviews are picked up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ingestion.api.config import VendorSettings, vendor_settings
from ingestion.api.http import ApiError, HttpClient
from ingestion.api.paging import PageGuard
from ingestion.api.window import Page
from ingestion.timestamps import latest, parse_utc
from ingestion.vendors.google_business_profile import NAME as SOURCE
from ingestion.vendors.google_business_profile import review_record

VENDOR = "google_business"
DEFAULT_BASE_URL = "https://mybusiness.googleapis.com"
DEFAULT_PAGE_SIZE = 50  # the API's maximum pageSize
DEFAULT_LOOKBACK_DAYS = 14


@dataclass
class GoogleBusinessReviews:
    settings: VendorSettings
    http: HttpClient
    account_id: str
    location_id: str
    location_name: str
    lookback: timedelta
    vendor: str = VENDOR
    source: str = SOURCE
    endpoint: str = "reviews"
    targets: tuple[str, ...] = ("reviews",)

    def __post_init__(self) -> None:
        self.endpoint = f"reviews:{self.account_id}/{self.location_id}"

    def pages(self, cursor: str | None) -> Iterator[Page]:
        url = (
            f"{self.settings.base_url}/v4/accounts/{self.account_id}"
            f"/locations/{self.location_id}/reviews"
        )
        params: dict[str, str | int] = {
            "pageSize": self.settings.page_size,
            "orderBy": "updateTime desc",
        }
        since: datetime | None = None if cursor is None else parse_utc(cursor) - self.lookback
        guard = PageGuard(VENDOR, None)
        while True:
            response = self.http.get(url, params)
            document = response.json()
            reviews = document.get("reviews", []) if isinstance(document, dict) else None
            if not isinstance(reviews, list):
                raise ApiError(f"{VENDOR}: GET {response.url}: no 'reviews' list in the answer")
            fresh = [review for review in reviews if since is None or updated(review) >= since]
            for review in fresh:
                cursor = latest(cursor, review.get("updateTime"))
            records = [review_record(review, self.location_name) for review in fresh]
            yield Page(response.body, records, cursor)
            if len(fresh) < len(reviews) or not document.get("nextPageToken"):
                return  # past the lookback (newest first), or the last page
            guard.follow(document["nextPageToken"])
            params = {**params, "pageToken": document["nextPageToken"]}


def updated(review: dict[str, Any]) -> datetime:
    if not isinstance(review.get("updateTime"), str):
        raise ApiError(f"{VENDOR}: review {review.get('reviewId')!r} has no updateTime")
    return parse_utc(review["updateTime"])


def from_environment() -> GoogleBusinessReviews:
    settings = vendor_settings(VENDOR, DEFAULT_BASE_URL, DEFAULT_PAGE_SIZE)
    location_id = settings.option("location_id")
    return GoogleBusinessReviews(
        settings=settings,
        http=settings.client(),
        account_id=settings.option("account_id"),
        location_id=location_id,
        location_name=settings.option("location_name", location_id),
        lookback=settings.lookback(DEFAULT_LOOKBACK_DAYS),
    )
