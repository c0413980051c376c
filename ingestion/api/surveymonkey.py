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
from ingestion.api.window import Record, make_record

VENDOR = "surveymonkey"
DEFAULT_BASE_URL = "https://api.surveymonkey.com"
DEFAULT_PAGE_SIZE = 100  # the bulk endpoint's maximum per_page
DEFAULT_LOOKBACK_DAYS = 3


def choice_labels(details: dict[str, Any]) -> dict[str, str]:
    """Choice, row and other ids of every question -> the text respondents saw."""
    labels: dict[str, str] = {}
    for page in details.get("pages") or []:
        for question in page.get("questions") or []:
            answers = question.get("answers") or {}
            for group in ("choices", "rows", "other"):
                entries = answers.get(group) or []
                for entry in entries if isinstance(entries, list) else [entries]:
                    if entry.get("id") is not None:
                        labels[str(entry["id"])] = str(entry.get("text", ""))
    return labels


def response_record(survey_id: str, item: dict[str, Any], labels: dict[str, str]) -> Record:
    answers = []
    for page in item.get("pages") or []:
        for question in page.get("questions") or []:
            for answer in question.get("answers") or []:
                item_id = str(question["id"])
                if answer.get("row_id") is not None:  # matrix question: one item per row
                    item_id = f"{item_id}_{answer['row_id']}"
                if answer.get("choice_id") is not None:
                    value = labels.get(str(answer["choice_id"]), str(answer["choice_id"]))
                else:
                    value = answer.get("text")
                answers.append(
                    {
                        "survey_id": survey_id,
                        "response_id": item["id"],
                        "item_id": item_id,
                        "answer": value,
                    }
                )
    contact = (item.get("metadata") or {}).get("contact") or {}
    custom = item.get("custom_variables") or {}
    response = {
        "survey_id": survey_id,
        "response_id": item["id"],
        "started_at": item.get("date_created"),
        "submitted_at": item.get("date_modified")
        if item.get("response_status") == "completed"
        else None,
        "source_timezone": "UTC",
        "duration_seconds": item.get("total_time"),
        "is_finished": "true" if item.get("response_status") == "completed" else "false",
        "progress": None,
        "distribution_channel": item.get("collection_mode"),
        "user_language": custom.get("language"),
        "external_reference": custom.get("customer_id"),
        "respondent_email": (contact.get("email") or {}).get("value"),
        "respondent_name": " ".join(
            str((contact.get(part) or {}).get("value") or "")
            for part in ("first_name", "last_name")
        ).strip()
        or None,
    }
    return make_record(
        f"{survey_id}:{item['id']}",
        item,
        {"survey_responses": [response], "survey_answers": answers},
    )


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
        return lambda item: response_record(self.survey_id, item, labels)


def from_environment() -> SurveyMonkeyResponses:
    settings = vendor_settings(VENDOR, DEFAULT_BASE_URL, DEFAULT_PAGE_SIZE)
    return SurveyMonkeyResponses(
        settings=settings,
        http=HttpClient(
            VENDOR, settings.token_env_var, {"Authorization": f"Bearer {settings.token}"}
        ),
        survey_id=settings.option("survey_id"),
        lookback=timedelta(days=settings.int_option("lookback_days", DEFAULT_LOOKBACK_DAYS)),
    )
