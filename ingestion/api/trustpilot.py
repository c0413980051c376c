"""Trustpilot business-unit reviews (private reviews API).

GET /v1/private/business-units/{id}/reviews?startDateTime=&orderBy=createdat.asc&perPage=
&page=, paged by the `links` entry with rel "next-page". The cursor is the newest
createdAt loaded; each window starts a lookback before it, so replies and edits made to
recent reviews are picked up (unchanged reviews write nothing). A backfill pulls one
explicit createdAt range (startDateTime/endDateTime) without touching the cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from ingestion.api.config import VendorSettings, vendor_settings
from ingestion.api.http import HttpClient, HttpResponse
from ingestion.api.link_paging import ItemRecord, LinkPagedPuller, LinkPaging, Params
from ingestion.vendors.trustpilot import NAME as SOURCE
from ingestion.vendors.trustpilot import review_record

VENDOR = "trustpilot"
DEFAULT_BASE_URL = "https://api.trustpilot.com"
DEFAULT_PAGE_SIZE = 100  # the API's maximum perPage
DEFAULT_LOOKBACK_DAYS = 30


def next_page_link(document: dict[str, Any], response: HttpResponse) -> str | None:
    for link in document.get("links") or []:
        if link.get("rel") == "next-page":
            return str(link["href"])
    return None


@dataclass
class TrustpilotReviews(LinkPagedPuller):
    paging: ClassVar[LinkPaging] = LinkPaging(
        items_key="reviews",
        changed_at="createdAt",
        since_param="startDateTime",
        until_param="endDateTime",  # inclusive on the vendor's side
        next_link=next_page_link,
    )

    settings: VendorSettings
    http: HttpClient
    business_unit_id: str
    lookback: timedelta
    vendor: str = VENDOR
    source: str = SOURCE
    endpoint: str = "reviews"
    targets: tuple[str, ...] = ("reviews",)

    def list_url(self) -> str:
        return f"{self.settings.base_url}/v1/private/business-units/{self.business_unit_id}/reviews"

    def first_page_params(self) -> Params:
        return {"orderBy": "createdat.asc", "perPage": self.settings.page_size, "page": 1}

    def item_record(self) -> ItemRecord:
        return review_record


def from_environment() -> TrustpilotReviews:
    settings = vendor_settings(VENDOR, DEFAULT_BASE_URL, DEFAULT_PAGE_SIZE)
    return TrustpilotReviews(
        settings=settings,
        http=settings.client(),
        business_unit_id=settings.option("business_unit_id"),
        lookback=settings.lookback(DEFAULT_LOOKBACK_DAYS),
    )
