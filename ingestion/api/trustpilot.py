"""Trustpilot business-unit reviews (private reviews API).

GET /v1/private/business-units/{id}/reviews?startDateTime=&orderBy=createdat.asc&perPage=
&page=, paged by the `links` entry with rel "next-page". The cursor is the newest
createdAt loaded; each window starts a lookback before it, so replies and edits made to
recent reviews are picked up (unchanged reviews write nothing). A backfill pulls one
explicit createdAt range (startDateTime/endDateTime) without touching the cursor.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ingestion.api.config import VendorSettings, vendor_settings
from ingestion.api.http import ApiError, HttpClient
from ingestion.api.timestamps import format_utc, latest, parse_utc
from ingestion.api.window import Page, Record, TimeRange, make_record

VENDOR = "trustpilot"
DEFAULT_BASE_URL = "https://api.trustpilot.com"
DEFAULT_PAGE_SIZE = 100  # the API's maximum perPage
DEFAULT_LOOKBACK_DAYS = 30


def review_record(review: dict[str, Any]) -> Record:
    reply = review.get("companyReply") or {}
    consumer = review.get("consumer") or {}
    location = review.get("location") or {}
    row = {
        "review_id": review["id"],
        "platform": VENDOR,
        "product": None,
        "location": location.get("name"),
        "rating": review.get("stars"),
        "title": review.get("title"),
        "body": review.get("text"),
        "language": review.get("language"),
        "reviewer_email": review.get("referralEmail"),
        "reviewer_name": consumer.get("displayName"),
        "customer_reference": review.get("referenceId"),
        "created_at": review.get("createdAt"),
        "reply_body": reply.get("text"),
        "replied_at": reply.get("updatedAt") or reply.get("createdAt"),
    }
    return make_record(str(review["id"]), review, {"reviews": [row]})


@dataclass
class TrustpilotReviews:
    settings: VendorSettings
    http: HttpClient
    business_unit_id: str
    lookback: timedelta
    vendor: str = VENDOR
    endpoint: str = "reviews"
    targets: tuple[str, ...] = ("reviews",)

    def pages(self, cursor: str | None) -> Iterator[Page]:
        params = self.first_page_params()
        if cursor is not None:
            params["startDateTime"] = format_utc(parse_utc(cursor) - self.lookback)
        return self.read_pages(params, cursor, None)

    def pages_in(self, time_range: TimeRange) -> Iterator[Page]:
        """Reviews created in the range (a backfill day), whatever the cursor."""
        params = self.first_page_params()
        params["startDateTime"] = format_utc(time_range.start)
        params["endDateTime"] = format_utc(time_range.end)
        return self.read_pages(params, None, time_range)

    def first_page_params(self) -> dict[str, str | int]:
        return {"orderBy": "createdat.asc", "perPage": self.settings.page_size, "page": 1}

    def read_pages(
        self, params: dict[str, str | int], cursor: str | None, time_range: TimeRange | None
    ) -> Iterator[Page]:
        url: str | None = (
            f"{self.settings.base_url}/v1/private/business-units/{self.business_unit_id}/reviews"
        )
        query: dict[str, str | int] | None = params
        while url is not None:
            response = self.http.get(url, query)
            document = response.json()
            if not isinstance(document, dict) or not isinstance(document.get("reviews"), list):
                raise ApiError(f"{VENDOR}: GET {response.url}: no 'reviews' list in the answer")
            reviews = document["reviews"]
            if time_range is not None:  # the end bound is inclusive on the vendor's side
                reviews = [
                    review for review in reviews if time_range.contains(review.get("createdAt"))
                ]
            else:
                for review in reviews:
                    cursor = latest(cursor, review.get("createdAt"))
            yield Page(response.body, [review_record(review) for review in reviews], cursor)
            url = next_page_link(document)
            query = None  # the next-page link carries every parameter


def next_page_link(document: dict[str, Any]) -> str | None:
    for link in document.get("links") or []:
        if link.get("rel") == "next-page":
            return str(link["href"])
    return None


def from_environment() -> TrustpilotReviews:
    settings = vendor_settings(VENDOR, DEFAULT_BASE_URL, DEFAULT_PAGE_SIZE)
    return TrustpilotReviews(
        settings=settings,
        http=HttpClient(
            VENDOR, settings.token_env_var, {"Authorization": f"Bearer {settings.token}"}
        ),
        business_unit_id=settings.option("business_unit_id"),
        lookback=timedelta(days=settings.int_option("lookback_days", DEFAULT_LOOKBACK_DAYS)),
    )
