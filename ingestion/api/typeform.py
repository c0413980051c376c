"""Typeform responses API: one form's completed and partial responses.

GET /forms/{form_id}/responses?page_size=&since=&response_type=partial,completed answers
newest first; older pages follow with before=<token of the last response on the page>.
`since` is inclusive, so the cursor keeps the newest time stamp loaded and the tokens
seen at that instant: responses already loaded at the cursor are not emitted again. A
partial response completed later comes back with a newer submitted_at and replaces the
partial one (same response id). A backfill pulls one explicit range (since/until)
without touching the cursor.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ingestion.api.config import VendorSettings, vendor_settings
from ingestion.api.http import ApiError, HttpClient
from ingestion.api.paging import PageGuard
from ingestion.api.window import Page, TimeRange
from ingestion.timestamps import format_utc, parse_utc
from ingestion.vendors.typeform import NAME as SOURCE
from ingestion.vendors.typeform import response_record

VENDOR = "typeform"
DEFAULT_BASE_URL = "https://api.typeform.com"
DEFAULT_PAGE_SIZE = 1000  # the API's maximum page_size


@dataclass(frozen=True)
class TypeformCursor:
    """Newest response time loaded, and the tokens of the responses at exactly that time."""

    at: str | None = None
    tokens: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def parse(cls, text: str | None) -> TypeformCursor:
        if text is None:
            return cls()
        state = json.loads(text)
        return cls(state["at"], frozenset(state["tokens"]))

    def dump(self) -> str | None:
        if self.at is None:
            return None
        return json.dumps({"at": self.at, "tokens": sorted(self.tokens)})

    def after(self, at: datetime, token: str) -> TypeformCursor:
        current = parse_utc(self.at) if self.at else None
        if current is None or at > current:
            return TypeformCursor(format_utc(at), frozenset({token}))
        if at == current:
            return TypeformCursor(self.at, self.tokens | {token})
        return self


def response_time(item: dict[str, Any]) -> datetime:
    """submitted_at for completed responses; landed_at for partial ones."""
    return parse_utc(item.get("submitted_at") or item["landed_at"])


@dataclass
class TypeformResponses:
    settings: VendorSettings
    http: HttpClient
    form_id: str
    vendor: str = VENDOR
    source: str = SOURCE
    endpoint: str = "responses"
    targets: tuple[str, ...] = ("survey_responses", "survey_answers")

    def __post_init__(self) -> None:
        self.endpoint = f"responses:{self.form_id}"

    def pages(self, cursor: str | None) -> Iterator[Page]:
        previous = TypeformCursor.parse(cursor)
        params = self.first_page_params()
        if previous.at is not None:
            params["since"] = previous.at
        return self.read_pages(params, previous, None)

    def pages_in(self, time_range: TimeRange) -> Iterator[Page]:
        """Responses submitted (partial ones: landed) in the range, whatever the cursor."""
        params = self.first_page_params()
        params["since"] = format_utc(time_range.start)
        params["until"] = format_utc(time_range.end)
        return self.read_pages(params, TypeformCursor(), time_range)

    def first_page_params(self) -> dict[str, str | int]:
        return {"page_size": self.settings.page_size, "response_type": "partial,completed"}

    def read_pages(
        self,
        params: dict[str, str | int],
        previous: TypeformCursor,
        time_range: TimeRange | None,
    ) -> Iterator[Page]:
        reached = previous
        url = f"{self.settings.base_url}/forms/{self.form_id}/responses"
        guard = PageGuard(VENDOR, params.get("before"))
        while True:
            response = self.http.get(url, params)
            document = response.json()
            if not isinstance(document, dict) or not isinstance(document.get("items"), list):
                raise ApiError(f"{VENDOR}: GET {response.url}: no 'items' list in the answer")
            items = document["items"]
            if not items:
                return
            if time_range is not None:  # `until` is inclusive on the vendor's side
                fresh = [item for item in items if time_range.holds(response_time(item))]
                records = [response_record(item, self.form_id) for item in fresh]
                yield Page(response.body, records, None)
            else:
                fresh = [item for item in items if not already_loaded(previous, item)]
                for item in fresh:
                    reached = reached.after(response_time(item), item["token"])
                records = [response_record(item, self.form_id) for item in fresh]
                yield Page(response.body, records, reached.dump())
            if len(items) < self.settings.page_size:
                return  # a short page is the last one
            guard.follow(items[-1]["token"])
            params = {**params, "before": items[-1]["token"]}


def already_loaded(cursor: TypeformCursor, item: dict[str, Any]) -> bool:
    """The inclusive `since` re-sends responses at the cursor's instant: skip those."""
    if cursor.at is None:
        return False
    return response_time(item) == parse_utc(cursor.at) and item["token"] in cursor.tokens


def from_environment() -> TypeformResponses:
    settings = vendor_settings(VENDOR, DEFAULT_BASE_URL, DEFAULT_PAGE_SIZE)
    return TypeformResponses(
        settings=settings,
        http=settings.client(),
        form_id=settings.option("form_id"),
    )
