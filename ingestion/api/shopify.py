"""Shopify-style orders API: orders and their customers, incremental on updated_at.

GET /admin/api/{version}/orders.json?status=any&limit=&updated_at_min=&order=updated_at asc;
further pages come from the Link header (rel="next", a page_info URL carrying every
parameter). The cursor is the newest updated_at loaded; each window re-reads a short
lookback before it (updated_at_min is inclusive and clocks drift), and unchanged orders
write nothing. A backfill pulls one explicit updated_at range (updated_at_min/max)
without touching the cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from ingestion.api.config import VendorSettings, vendor_settings
from ingestion.api.http import HttpClient, HttpResponse, parse_link_header
from ingestion.api.link_paging import ItemRecord, LinkPagedPuller, LinkPaging, Params
from ingestion.vendors.shopify import NAME as SOURCE
from ingestion.vendors.shopify import order_record

VENDOR = "shopify"
DEFAULT_PAGE_SIZE = 250  # the API's maximum limit
DEFAULT_API_VERSION = "2024-10"
DEFAULT_LOOKBACK_MINUTES = 60


def next_link(document: dict[str, Any], response: HttpResponse) -> str | None:
    """The Link header's rel="next" page_info URL (it refuses any other filter)."""
    return parse_link_header(response.headers.get("link")).get("next")


@dataclass
class ShopifyOrders(LinkPagedPuller):
    paging: ClassVar[LinkPaging] = LinkPaging(
        items_key="orders",
        changed_at="updated_at",
        since_param="updated_at_min",
        until_param="updated_at_max",  # inclusive on the vendor's side
        next_link=next_link,
    )

    settings: VendorSettings
    http: HttpClient
    api_version: str
    lookback: timedelta
    vendor: str = VENDOR
    source: str = SOURCE
    endpoint: str = "orders"
    targets: tuple[str, ...] = ("orders", "customers")

    def list_url(self) -> str:
        return f"{self.settings.base_url}/admin/api/{self.api_version}/orders.json"

    def first_page_params(self) -> Params:
        return {"status": "any", "limit": self.settings.page_size, "order": "updated_at asc"}

    def item_record(self) -> ItemRecord:
        return order_record


def from_environment() -> ShopifyOrders:
    settings = vendor_settings(VENDOR, "", DEFAULT_PAGE_SIZE)
    if not settings.base_url:
        settings.option("base_url")  # raises, naming the variable to set
    return ShopifyOrders(
        settings=settings,
        http=settings.client({"X-Shopify-Access-Token": settings.token}),
        api_version=settings.option("api_version", DEFAULT_API_VERSION),
        lookback=timedelta(
            minutes=settings.int_option("lookback_minutes", DEFAULT_LOOKBACK_MINUTES)
        ),
    )
