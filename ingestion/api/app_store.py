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
from ingestion.api.timestamps import latest, parse_utc
from ingestion.api.window import Page, Record, make_record

VENDOR = "app_store_connect"
PLATFORM = "app_store"
DEFAULT_BASE_URL = "https://api.appstoreconnect.apple.com"
DEFAULT_PAGE_SIZE = 200  # the API's maximum limit
DEFAULT_LOOKBACK_DAYS = 14
RESPONSE_TYPE = "customerReviewResponses"


def review_record(
    review: dict[str, Any], replies: dict[str, dict[str, Any]], product: str
) -> Record:
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
        "rating": attributes.get("rating"),
        "title": attributes.get("title"),
        "body": attributes.get("body"),
        "language": None,
        "reviewer_email": None,
        "reviewer_name": attributes.get("reviewerNickname"),
        "customer_reference": None,
        "created_at": attributes.get("createdDate"),
        "reply_body": reply_attributes.get("responseBody"),
        "replied_at": reply_attributes.get("lastModifiedDate"),
    }
    # The reply is hashed with the review: a new or edited reply changes the record.
    return make_record(str(review["id"]), {"review": review, "reply": reply}, {"reviews": [row]})


@dataclass
class AppStoreReviews:
    settings: VendorSettings
    http: HttpClient
    app_id: str
    product: str
    lookback: timedelta
    vendor: str = VENDOR
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
            records = [review_record(review, replies, self.product) for review in fresh]
            yield Page(response.body, records, cursor)
            if len(fresh) < len(reviews):
                return  # past the lookback: the rest is older still
            url = (document.get("links") or {}).get("next")
            params = None  # links.next carries every parameter


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
        http=HttpClient(
            VENDOR, settings.token_env_var, {"Authorization": f"Bearer {settings.token}"}
        ),
        app_id=app_id,
        product=settings.option("product", app_id),
        lookback=timedelta(days=settings.int_option("lookback_days", DEFAULT_LOOKBACK_DAYS)),
    )
