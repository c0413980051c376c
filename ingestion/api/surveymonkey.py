"""SurveyMonkey API v3: bulk responses of one survey, labelled from the survey details.

GET /v3/surveys/{id}/details gives every question's heading and choice texts, then
GET /v3/surveys/{id}/responses/bulk?start_modified_at=&sort_by=date_modified&sort_order=ASC
&per_page= pages through `links.next`. The cursor is the newest date_modified loaded; each
window starts a lookback before it. Per-minute and per-day limits answer 429 with
Retry-After, which the HTTP client honours. A backfill pulls one explicit date_modified
range (start_modified_at/end_modified_at) without touching the cursor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from ingestion.api.config import VendorSettings, vendor_settings
from ingestion.api.http import HttpClient, HttpResponse
from ingestion.api.link_paging import ItemRecord, LinkPagedPuller, LinkPaging, Params
from ingestion.vendors.surveymonkey import NAME as SOURCE
from ingestion.vendors.surveymonkey import choice_labels, response_record

VENDOR = "surveymonkey"
DEFAULT_BASE_URL = "https://api.surveymonkey.com"
DEFAULT_PAGE_SIZE = 100  # the bulk endpoint's maximum per_page
DEFAULT_LOOKBACK_DAYS = 3


def next_link(document: dict[str, Any], response: HttpResponse) -> str | None:
    return (document.get("links") or {}).get("next")


@dataclass
class SurveyMonkeyResponses(LinkPagedPuller):
    paging: ClassVar[LinkPaging] = LinkPaging(
        items_key="data",
        changed_at="date_modified",
        since_param="start_modified_at",
        until_param="end_modified_at",  # inclusive on the vendor's side
        next_link=next_link,
    )

    settings: VendorSettings
    http: HttpClient
    survey_id: str
    lookback: timedelta
    vendor: str = VENDOR
    source: str = SOURCE
    endpoint: str = "responses"
    targets: tuple[str, ...] = ("survey_responses", "survey_answers")

    def __post_init__(self) -> None:
        self.endpoint = f"responses:{self.survey_id}"

    def list_url(self) -> str:
        return f"{self.settings.base_url}/v3/surveys/{self.survey_id}/responses/bulk"

    def first_page_params(self) -> Params:
        return {
            "per_page": self.settings.page_size,
            "sort_by": "date_modified",
            "sort_order": "ASC",
        }

    def item_record(self) -> ItemRecord:
        details_url = f"{self.settings.base_url}/v3/surveys/{self.survey_id}/details"
        labels = choice_labels(self.http.get(details_url).json())
        return lambda item: response_record(item, self.survey_id, labels)


def from_environment() -> SurveyMonkeyResponses:
    settings = vendor_settings(VENDOR, DEFAULT_BASE_URL, DEFAULT_PAGE_SIZE)
    return SurveyMonkeyResponses(
        settings=settings,
        http=settings.client(),
        survey_id=settings.option("survey_id"),
        lookback=settings.lookback(DEFAULT_LOOKBACK_DAYS),
    )
