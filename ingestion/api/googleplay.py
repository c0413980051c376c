"""Google Play Developer API reviews of one app (androidpublisher v3).

GET /androidpublisher/v3/applications/{packageName}/reviews?maxResults=&token=
&translationLanguage=, paged by `tokenPagination.nextPageToken`. The API answers only
reviews created or modified in the last week and takes no time filter, so every window
reads that week and emits only the reviews whose newest comment (the reviewer's or the
developer's reply) was modified at or after the cursor minus a lookback. The cursor is the
newest modification loaded; unchanged reviews inside the lookback write nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ingestion.api.config import VendorSettings, env_name, vendor_settings
from ingestion.api.http import ApiError, HttpClient
from ingestion.api.paging import PageGuard
from ingestion.api.window import Page
from ingestion.timestamps import latest, parse_utc
from ingestion.vendors.google_play import NAME as SOURCE
from ingestion.vendors.google_play import comments, review_record, timestamp_text

VENDOR = "google_play"
DEFAULT_BASE_URL = "https://androidpublisher.googleapis.com"
DEFAULT_PAGE_SIZE = 100  # the API's maximum maxResults
DEFAULT_LOOKBACK_HOURS = 24


def last_modified(review: dict[str, Any]) -> str | None:
    """When the review or its reply last changed."""
    newest: str | None = None
    for kind in ("userComment", "developerComment"):
        for comment in comments(review, kind):
            newest = latest(newest, timestamp_text(comment.get("lastModified")))
    return newest


def modified_since(review: dict[str, Any], since: datetime | None) -> bool:
    if since is None:
        return True
    modified = last_modified(review)
    return modified is not None and parse_utc(modified) >= since


@dataclass
class GooglePlayReviews:
    settings: VendorSettings
    http: HttpClient
    package_name: str
    lookback: timedelta
    translation_language: str | None = None
    vendor: str = VENDOR
    source: str = SOURCE
    endpoint: str = "reviews"
    targets: tuple[str, ...] = ("reviews",)

    def __post_init__(self) -> None:
        self.endpoint = f"reviews:{self.package_name}"

    def pages(self, cursor: str | None) -> Iterator[Page]:
        url = (
            f"{self.settings.base_url}/androidpublisher/v3/applications/{self.package_name}/reviews"
        )
        since = None if cursor is None else parse_utc(cursor) - self.lookback
        params: dict[str, str | int] = {"maxResults": self.settings.page_size}
        if self.translation_language:
            params["translationLanguage"] = self.translation_language
        guard = PageGuard(VENDOR, None)
        while True:
            response = self.http.get(url, params)
            document = response.json()
            if not isinstance(document, dict):
                raise ApiError(f"{VENDOR}: GET {response.url}: expected a JSON object")
            reviews = document.get("reviews") or []  # an empty week has no `reviews` at all
            wanted = [review for review in reviews if modified_since(review, since)]
            for review in wanted:
                cursor = latest(cursor, last_modified(review))
            yield Page(response.body, [review_record(review) for review in wanted], cursor)
            token = (document.get("tokenPagination") or {}).get("nextPageToken")
            if not token:
                return
            guard.follow(token)
            params = {**params, "token": token}


def from_environment() -> GooglePlayReviews:
    settings = vendor_settings(VENDOR, DEFAULT_BASE_URL, DEFAULT_PAGE_SIZE)
    return GooglePlayReviews(
        settings=settings,
        http=settings.client(),
        package_name=settings.option("package_name"),
        lookback=timedelta(hours=settings.int_option("lookback_hours", DEFAULT_LOOKBACK_HOURS)),
        translation_language=os.environ.get(env_name(VENDOR, "translation_language")) or None,
    )
