"""Vendor endpoints that list items changed since a time and page by links.

SurveyMonkey, Trustpilot and Shopify share this shape. The first request filters on a
"changed since" parameter: the cursor less a lookback (edits made just before the cursor,
and clocks that drift), or a backfill range's start, with the range's end in a second
parameter. Every later request is the link the previous answer names, which carries every
parameter. The cursor is the newest change time loaded; a backfill leaves it alone and
keeps only the items inside its range, because the vendors treat the end as inclusive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from ingestion.api.http import ApiError, HttpClient, HttpResponse
from ingestion.api.paging import PageGuard
from ingestion.api.window import Page, TimeRange
from ingestion.records import Record
from ingestion.timestamps import format_utc, latest, parse_utc

Params = dict[str, str | int]
ItemRecord = Callable[[dict[str, Any]], Record]


@dataclass(frozen=True)
class LinkPaging:
    """How one endpoint filters, lists and links its pages."""

    items_key: str  # the list in each answer: "data", "reviews", "orders"
    changed_at: str  # the item's time field that the cursor follows
    since_param: str
    until_param: str
    next_link: Callable[[dict[str, Any], HttpResponse], str | None]


class LinkPagedPuller:
    """`pages` and `pages_in` of a puller whose endpoint pages by links (see module doc).

    A subclass (a dataclass) sets `paging`, holds `http` and `lookback`, and says where
    the list starts, its first page's fixed parameters and how an item becomes a record.
    """

    paging: ClassVar[LinkPaging]
    vendor: str
    http: HttpClient
    lookback: timedelta

    def list_url(self) -> str:
        raise NotImplementedError

    def first_page_params(self) -> Params:
        raise NotImplementedError

    def item_record(self) -> ItemRecord:
        """Called once per window, before the first page (it may fetch what items need)."""
        raise NotImplementedError

    def pages(self, cursor: str | None) -> Iterator[Page]:
        params = self.first_page_params()
        if cursor is not None:
            params[self.paging.since_param] = format_utc(parse_utc(cursor) - self.lookback)
        return self.read_pages(params, cursor, None)

    def pages_in(self, time_range: TimeRange) -> Iterator[Page]:
        """Items changed in the range (a backfill day), whatever the cursor."""
        params = self.first_page_params()
        params[self.paging.since_param] = format_utc(time_range.start)
        params[self.paging.until_param] = format_utc(time_range.end)
        return self.read_pages(params, None, time_range)

    def read_pages(
        self, params: Params, cursor: str | None, time_range: TimeRange | None
    ) -> Iterator[Page]:
        to_record = self.item_record()
        paging = self.paging
        url: str | None = self.list_url()
        query: Params | None = params
        guard = PageGuard(self.vendor, (url, sorted(params.items())))
        while url is not None:
            response = self.http.get(url, query)
            document = response.json()
            if not isinstance(document, dict) or not isinstance(
                document.get(paging.items_key), list
            ):
                raise ApiError(
                    f"{self.vendor}: GET {response.url}: no '{paging.items_key}' list in the answer"
                )
            items = document[paging.items_key]
            if time_range is not None:
                items = [item for item in items if time_range.contains(item.get(paging.changed_at))]
            else:
                for item in items:
                    cursor = latest(cursor, item.get(paging.changed_at))
            yield Page(response.body, [to_record(item) for item in items], cursor)
            url = paging.next_link(document, response)
            query = None  # the link carries every parameter
            if url is not None:
                guard.follow(url)
