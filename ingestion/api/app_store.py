"""App Store customer reviews of one app, with the developer's replies (App Store Connect API).

GET /v1/apps/{id}/customerReviews?sort=-createdDate&limit=&include=response with a bearer
JSON Web Token (signed elsewhere and supplied in the environment; it lives at most 20
minutes). The JSON:API answer holds `data[]` customerReviews (`attributes` rating, title,
body, reviewerNickname, createdDate, territory; `relationships.response.data` naming the
reply), `included[]` customerReviewResponses (`responseBody`, `lastModifiedDate`), and
`links.next` to the next page. The cursor is the newest createdDate loaded; a window reads
newest first back to a lookback before it and stops paging there, so replies written or
edited after a review was first loaded are picked up.
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
from ingestion.vendors.apple_app_store import NAME as SOURCE
from ingestion.vendors.apple_app_store import connect_review_record

VENDOR = "app_store_connect"
DEFAULT_BASE_URL = "https://api.appstoreconnect.apple.com"
DEFAULT_PAGE_SIZE = 200  # the API's maximum limit
DEFAULT_LOOKBACK_DAYS = 14
RESPONSE_TYPE = "customerReviewResponses"


@dataclass
class AppStoreReviews:
    settings: VendorSettings
    http: HttpClient
    app_id: str
    product: str
    lookback: timedelta
    vendor: str = VENDOR
    source: str = SOURCE
    endpoint: str = "customerReviews"
    targets: tuple[str, ...] = ("reviews",)

    def __post_init__(self) -> None:
        self.endpoint = f"customerReviews:{self.app_id}"

    def pages(self, cursor: str | None) -> Iterator[Page]:
        url: str | None = f"{self.settings.base_url}/v1/apps/{self.app_id}/customerReviews"
        params: dict[str, str | int] | None = {
            "sort": "-createdDate",
            "limit": self.settings.page_size,
            "include": "response",
        }
        since: datetime | None = None if cursor is None else parse_utc(cursor) - self.lookback
        guard = PageGuard(VENDOR, url)
        while url is not None:
            response = self.http.get(url, params)
            document = response.json()
            reviews = document.get("data") if isinstance(document, dict) else None
            if not isinstance(reviews, list):
                raise ApiError(f"{VENDOR}: GET {response.url}: no 'data' list in the answer")
            replies = {
                str(item["id"]): item
                for item in document.get("included") or []
                if item.get("type") == RESPONSE_TYPE
            }
            fresh = [review for review in reviews if since is None or created(review) >= since]
            for review in fresh:
                cursor = latest(cursor, (review.get("attributes") or {}).get("createdDate"))
            records = [connect_review_record(review, replies, self.product) for review in fresh]
            yield Page(response.body, records, cursor)
            if len(fresh) < len(reviews):
                return  # past the lookback: the rest is older still
            url = (document.get("links") or {}).get("next")
            params = None  # links.next carries every parameter
            if url is not None:
                guard.follow(url)


def created(review: dict[str, Any]) -> datetime:
    text = (review.get("attributes") or {}).get("createdDate")
    if not isinstance(text, str):
        raise ApiError(f"{VENDOR}: customer review {review.get('id')!r} has no createdDate")
    return parse_utc(text)


def from_environment() -> AppStoreReviews:
    settings = vendor_settings(VENDOR, DEFAULT_BASE_URL, DEFAULT_PAGE_SIZE)
    app_id = settings.option("app_id")
    return AppStoreReviews(
        settings=settings,
        http=settings.client(),
        app_id=app_id,
        product=settings.option("product", app_id),
        lookback=settings.lookback(DEFAULT_LOOKBACK_DAYS),
    )
