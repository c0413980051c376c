"""Tell which vendor and layout wrote a file, from its first records alone."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingestion.followup.layout import FOLLOWUP_LAYOUTS
from ingestion.layouts import (
    JSON_ARRAY_LAYOUTS,
    JSON_LINES_LAYOUTS,
    TABLE_LAYOUTS,
    TableLayout,
    normalise_header,
)
from ingestion.loaders.spreadsheets import (
    XLSX_LAYOUTS,
    SpreadsheetError,
    is_xlsx,
    read_sheet_head,
)
from ingestion.loaders.surveymonkey_export import (
    is_surveymonkey_export,
    surveymonkey_question_texts,
)
from ingestion.loaders.typeform import is_typeform_body, is_typeform_item
from ingestion.sniff import FileHead, read_head
from ingestion.surveys.qsf import is_qsf, parse_import_id
from ingestion.surveys.wording import guess_items

# The first column Google Forms writes, in the languages of the form owner's account.
GOOGLE_FORMS_TIMESTAMP_HEADERS = frozenset(
    {
        "timestamp",
        "zeitstempel",
        "horodateur",
        "marca temporal",
        "aikaleima",
        "ajatempel",
        "vremenska oznaka",
        "marcaj de timp",
        "marcă temporală",
        "タイムスタンプ",
    }
)
MICROSOFT_FORMS_HEADERS = ("id", "start time", "completion time")


@dataclass(frozen=True)
class Detection:
    """What a file is. `layout` is None when the file is not one Customer Pulse reads."""

    path: str
    family: str | None
    vendor: str | None
    layout: str | None
    encoding: str
    reason: str
    # For survey files: item id -> instrument guessed from the question wording. A guess
    # is a hint for the registry, never applied to a metric.
    guessed_items: dict[str, str] = field(default_factory=dict)

    @property
    def supported(self) -> bool:
        return self.layout is not None

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "supported": self.supported}


class UnknownFormatError(ValueError):
    """A file Customer Pulse cannot read, with the reason."""


# Vendor API bodies are single pages of a paginated API; bigger JSON documents are not
# something any supported vendor writes, so detection does not read past this size.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
Verdict = tuple[str | None, str | None, str | None, str]


def _is_qualtrics_import_id(cell: str) -> bool:
    return parse_import_id(cell)[0] is not None


def _detect_csv(head: FileHead) -> Verdict:
    headers = head.records[0] if head.records else []
    lowered = [header.strip().lower() for header in headers]
    if not headers:
        return None, None, None, "empty file: no header row"
    if len(head.records) >= 3 and head.records[2] and _is_qualtrics_import_id(head.records[2][0]):
        if head.records[2][0].lstrip().startswith("{'"):
            return (
                "surveys",
                "qualtrics",
                "qualtrics_csv_2016",
                "three header rows; row 3 holds ImportId written with single quotes"
                " (2016 Insights export)",
            )
        return (
            "surveys",
            "qualtrics",
            "qualtrics_csv_3_header",
            "three header rows; row 3 holds ImportId JSON",
        )
    if lowered[:10] == [f"v{i}" for i in range(1, 11)]:
        return (
            "surveys",
            "qualtrics",
            "qualtrics_csv_legacy",
            "Qualtrics legacy export (V1..V10 columns; row 2 names them)",
        )
    if "_fivetran_synced" in lowered:
        return (
            None,
            "fivetran",
            None,
            "a table as the Fivetran connector lands it in a warehouse, not a vendor export:"
            " declare it as a dbt source instead of dropping it in the landing folder",
        )
    if tuple(lowered[:3]) == MICROSOFT_FORMS_HEADERS:
        return (
            "surveys",
            "microsoft_forms",
            None,
            "Microsoft Forms export (ID, Start time, Completion time): not supported",
        )
    if lowered[0] in GOOGLE_FORMS_TIMESTAMP_HEADERS:
        return "surveys", "google_forms", "google_forms_csv", f"first column is {headers[0]!r}"
    if is_surveymonkey_export(head.records):
        return (
            "surveys",
            "surveymonkey",
            "surveymonkey_csv",
            "two header rows starting Respondent ID, Collector ID (SurveyMonkey export)",
        )
    for layout in (*TABLE_LAYOUTS, *FOLLOWUP_LAYOUTS):
        if not layout.missing_required(headers):
            return layout.family, layout.vendor, layout.name, "header matches " + layout.name
    known = ", ".join(normalise_header(header) for header in headers[:8])
    return None, None, None, f"no known layout has the columns [{known}]"


def _parse_document(path: Path, head: FileHead) -> object | None:
    """The whole file as one JSON document, or None when it is not one (JSON lines)."""
    try:
        return json.loads(head.text)
    except ValueError:
        pass
    if path.stat().st_size <= len(head.text.encode("utf-8")) or (
        path.stat().st_size > MAX_DOCUMENT_BYTES
    ):
        return None
    try:
        return json.loads(path.read_text(encoding=head.encoding))
    except (ValueError, UnicodeError):
        return None


def _first_layout(layouts: tuple[TableLayout, ...], keys: list[str]) -> TableLayout | None:
    return next((layout for layout in layouts if not layout.missing_required(keys)), None)


def _detect_json_array(document: list[object]) -> Verdict | None:
    if not document or not isinstance(document[0], dict):
        return None
    layout = _first_layout(JSON_ARRAY_LAYOUTS, list(document[0]))
    if layout is None:
        fields = sorted(normalise_header(key) for key in document[0])[:8]
        return None, None, None, f"JSON array of objects with unknown fields {fields}"
    return layout.family, layout.vendor, layout.name, "JSON array of " + layout.name


def _first_object(document: dict[str, Any], key: str) -> dict[str, Any]:
    """The first element of document[key] when that is a list of objects, else {}."""
    records = document.get(key)
    if isinstance(records, list) and records and isinstance(records[0], dict):
        return records[0]
    return {}


def _detect_commerce_or_review_body(document: dict[str, Any]) -> Verdict | None:
    order = _first_object(document, "orders")
    if {"id", "line_items"} <= set(order) or "financial_status" in order:
        return (
            "commerce",
            "shopify",
            "shopify_orders_json",
            "Shopify Admin REST orders body (orders[] with line_items)",
        )
    if {"reviewId", "starRating"} & set(_first_object(document, "reviews")):
        return (
            "reviews",
            "google_business_profile",
            "google_business_profile_reviews_json",
            "Google Business Profile reviews body (reviews[].reviewId, starRating)",
        )
    return None


def _detect_json_document(document: object) -> Verdict | None:
    """Vendor API bodies, told apart by their top-level shape."""
    if isinstance(document, list):
        return _detect_json_array(document)
    if not isinstance(document, dict):
        return None
    body = _detect_commerce_or_review_body(document)
    if body is not None:
        return body
    feed = document.get("feed")
    if isinstance(feed, dict) and ("entry" in feed or "customerreviews" in json.dumps(feed)):
        return (
            "reviews",
            "apple_app_store",
            "app_store_rss_json",
            "App Store customer-reviews RSS feed (feed.entry; entry 0 is the app)",
        )
    result = document.get("result")
    if isinstance(result, dict) and "place_id" in result:
        return (
            "reviews",
            "google_places",
            "google_places_details_json",
            "Google Places details response (result.place_id, result.reviews)",
        )
    if isinstance(result, dict) and isinstance(document.get("meta"), dict):
        return (
            "surveys",
            "qualtrics",
            None,
            "Qualtrics API v3 body (survey metadata or definition): holds no responses; "
            "it describes a survey for recoding, it is not an export",
        )
    includes = document.get("includes")
    if isinstance(includes, dict) and "polls" in includes:
        return "polls", "x", "x_api_v2_polls_json", "X API v2 response with includes.polls"
    if isinstance(document.get("data"), list) and isinstance(includes, dict):
        return None, "x", None, "X API v2 response without includes.polls: no poll to load"
    if is_typeform_body(document):
        return (
            "surveys",
            "typeform",
            "typeform_responses_json",
            "Typeform responses API body (total_items, items[].answers[])",
        )
    if is_qsf(document):
        return (
            "surveys",
            "qualtrics",
            None,
            "Qualtrics survey definition (.qsf): holds no responses; name it as a survey's"
            " definition in the registry to decode recode values",
        )
    return _detect_surveymonkey(document)


def _detect_surveymonkey(document: dict[str, Any]) -> Verdict | None:
    records = document.get("data")
    if isinstance(records, list) and records and isinstance(records[0], dict):
        first = records[0]
        if "pages" in first and "response_status" in first:
            return (
                "surveys",
                "surveymonkey",
                "surveymonkey_responses_json",
                "SurveyMonkey API v3 bulk responses (data[].pages[].questions[].answers[])",
            )
        if "surveymonkey" in str(first.get("href", "")):
            return (
                None,
                "surveymonkey",
                None,
                "SurveyMonkey API v3 list (surveys or collectors): holds no responses",
            )
    if "pages" in document and "surveymonkey" in str(document.get("href", "")):
        return (
            "surveys",
            "surveymonkey",
            None,
            "SurveyMonkey API v3 survey details: the survey definition, holds no responses",
        )
    return None


def _detect_json(path: Path, head: FileHead) -> Verdict:
    document = _parse_document(path, head)
    verdict = _detect_json_document(document)
    if verdict is not None:
        return verdict
    first_line = head.text.lstrip().split("\n", 1)[0]
    try:
        first = json.loads(first_line)
    except ValueError:
        return None, None, None, "not valid JSON, nor JSON lines"
    if is_typeform_item(first):
        return (
            "surveys",
            "typeform",
            "typeform_responses_jsonl",
            "JSON lines of Typeform responses (token, landed_at, answers)",
        )
    if isinstance(first, dict):
        layout = _first_layout(JSON_LINES_LAYOUTS, list(first))
        if layout is not None:
            return layout.family, layout.vendor, layout.name, "JSON lines of " + layout.name
        fields = {normalise_header(key) for key in first}
        return None, None, None, f"JSON with unknown fields {sorted(fields)[:8]}"
    return None, None, None, "JSON lines whose first line is not an object"


def detect(path: Path) -> Detection:
    """Detect vendor and layout of one file; never raises for a readable file."""
    if is_xlsx(path):
        return _detect_xlsx(path)
    head = read_head(path)
    if not head.text.strip():
        family, vendor, layout, reason = None, None, None, "empty file"
    elif head.first_char in ("{", "["):
        family, vendor, layout, reason = _detect_json(path, head)
    else:
        family, vendor, layout, reason = _detect_csv(head)
    return Detection(
        path=str(path),
        family=family,
        vendor=vendor,
        layout=layout,
        encoding=head.encoding,
        reason=reason,
        guessed_items=_guess_survey_items(layout, head),
    )


def _detect_xlsx(path: Path) -> Detection:
    """A workbook's first sheet is judged by the same rules as a CSV file."""
    try:
        head = FileHead(encoding="xlsx", text="", records=read_sheet_head(path))
    except SpreadsheetError as error:
        return Detection(str(path), None, None, None, "xlsx", str(error))
    family, vendor, layout, reason = _detect_csv(head)
    spreadsheet_layout = XLSX_LAYOUTS.get(layout or "")
    if layout is not None and spreadsheet_layout is None:
        family, vendor, layout, reason = (
            family,
            vendor,
            None,
            f"{reason}; this layout is read from CSV only, not from a workbook",
        )
    elif spreadsheet_layout is not None:
        layout, reason = spreadsheet_layout, f"workbook: {reason}"
    return Detection(
        path=str(path),
        family=family,
        vendor=vendor,
        layout=layout,
        encoding="xlsx",
        reason=reason,
        guessed_items=_guess_survey_items(layout, head),
    )


def _guess_survey_items(layout: str | None, head: FileHead) -> dict[str, str]:
    if layout in ("qualtrics_csv_3_header", "qualtrics_csv_legacy", "qualtrics_csv_2016"):
        ids, texts = head.records[0], head.records[1]
        return guess_items(dict(zip(ids, texts, strict=False)))
    if layout in ("surveymonkey_csv", "surveymonkey_xlsx"):
        return guess_items(surveymonkey_question_texts(head.records))
    if layout in ("google_forms_csv", "google_forms_xlsx"):
        return guess_items({header.strip(): header for header in head.records[0][1:]})
    return {}
