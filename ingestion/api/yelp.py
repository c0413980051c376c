"""Yelp Fusion reviews of one business.

GET /v3/businesses/{id}/reviews?limit=&offset=&sort_by=newest with the API key as a bearer
token, paged by offset up to `total`. Yelp answers only a few recent reviews per call and
takes no time filter, so each window reads newest first and stops at the first page that
reaches back past the cursor (the newest time_created loaded) minus a lookback; reviews
inside the lookback are emitted again and their content hash tells whether one was edited.
`time_created` is "YYYY-MM-DD HH:MM:SS" in Pacific time, as Yelp documents it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from ingestion.api.config import VendorSettings, vendor_settings
from ingestion.api.http import ApiError, HttpClient
from ingestion.api.paging import PageGuard
from ingestion.api.window import Page
from ingestion.timestamps import latest, parse_utc
from ingestion.vendors.yelp import NAME as SOURCE
from ingestion.vendors.yelp import YelpTimeError, created_utc, review_record

VENDOR = "yelp"
DEFAULT_BASE_URL = "https://api.yelp.com"
DEFAULT_PAGE_SIZE = 50  # the most `limit` allows
DEFAULT_LOOKBACK_DAYS = 14


@dataclass
class YelpReviews:
    settings: VendorSettings
    http: HttpClient
    business_id: str
    lookback: timedelta
    vendor: str = VENDOR
    source: str = SOURCE
    endpoint: str = "reviews"
    targets: tuple[str, ...] = ("reviews",)

    def __post_init__(self) -> None:
        self.endpoint = f"reviews:{self.business_id}"

    def pages(self, cursor: str | None) -> Iterator[Page]:
        url = f"{self.settings.base_url}/v3/businesses/{self.business_id}/reviews"
        since = None if cursor is None else parse_utc(cursor) - self.lookback
        offset = 0
        guard = PageGuard(VENDOR, offset)
        while True:
            params: dict[str, str | int] = {
                "limit": self.settings.page_size,
                "offset": offset,
                "sort_by": "newest",
            }
            response = self.http.get(url, params)
            document = response.json()
            if not isinstance(document, dict) or not isinstance(document.get("reviews"), list):
                raise ApiError(f"{VENDOR}: GET {response.url}: no 'reviews' list in the answer")
            reviews = document["reviews"]
            try:
                created = [created_utc(review) for review in reviews]
            except YelpTimeError as error:
                raise ApiError(str(error)) from None
            wanted = [
                review
                for review, at in zip(reviews, created, strict=True)
                if since is None or parse_utc(at) >= since
            ]
            for at in created:
                cursor = latest(cursor, at)
            records = [review_record(self.business_id, review) for review in wanted]
            yield Page(response.body, records, cursor)
            offset += len(reviews)
            reached_back = len(wanted) < len(reviews)  # newest first: the rest is older
            if not reviews or reached_back or offset >= int(document.get("total") or 0):
                return
            guard.follow(offset)


def from_environment() -> YelpReviews:
    settings = vendor_settings(VENDOR, DEFAULT_BASE_URL, DEFAULT_PAGE_SIZE)
    return YelpReviews(
        settings=settings,
        http=settings.client(),
        business_id=settings.option("business_id"),
        lookback=settings.lookback(DEFAULT_LOOKBACK_DAYS),
    )
