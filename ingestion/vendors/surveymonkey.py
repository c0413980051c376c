"""SurveyMonkey: "All individual responses" exports (CSV, workbook) and API v3 bulk responses.

Export (SurveyMonkey help, "Exporting responses: all individual responses"): two header
rows. Row 1 starts with the response fields Respondent ID, Collector ID, Start Date, End
Date, IP Address, Email Address, First Name, Last Name, Custom Data 1, then one column per
question, its text written above the first of its columns only. Row 2 is blank under the
response fields and names each question column: "Response" (or "Open-Ended Response") for
single-answer questions, the choice label for each choice of a multi-select question, the
row label for each row of a matrix, "Other (please specify)" for a write-in. Each
(question, sub-column) is one item: its id is the question text, followed by " | " and the
sub-label when the question has several columns. Start and End Date are written without a
zone ("05/01/2024 09:03:07 AM"), in the zone the registry names.

API v3 bulk responses (`/surveys/{id}/responses/bulk`, also what a saved page or an EL
tool's `survey_responses` stream holds): `data[]` responses with
`pages[].questions[].answers[]`; answers name choice and row ids, not labels. The API
client reads the labels from the survey's details (`/surveys/{id}/details`); a file gets
them when the registry names the saved details as the survey's `definition`, else the ids
stay as delivered. An item is the question id, with `_<row id>` for a matrix row and
`_other` for a write-in; several choices of one item are joined with "; ".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ingestion.layouts import normalise_header
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.json_documents import DocumentShapeError, read_document
from ingestion.loaders.survey_records import load_survey_records
from ingestion.loaders.surveys import SurveyColumn, unique_staged_names
from ingestion.records import Record, make_record
from ingestion.staged import SURVEY_RESPONSES
from ingestion.vendors.base import (
    JSON_DOCUMENT,
    ApiSource,
    FileFormat,
    ItemMapping,
    Sample,
    Vendor,
)
from ingestion.vendors.formats import refusal, wide_survey, workbook

NAME = "surveymonkey"

EXPORT_RESPONSE_COLUMNS: dict[str, str | None] = {
    "respondent_id": "response_id",
    "start_date": "started_at",
    "end_date": "submitted_at",
    "ip_address": None,  # personal data the marts never need
    "email_address": "respondent_email",
    "first_name": "respondent_first_name",
    "last_name": "respondent_last_name",
    "custom_data_1": "external_reference",
}
# Sub-labels that mean "the only answer column of this question".
_SINGLE_ANSWER_LABELS = frozenset({"", "response", "open-ended response"})
MULTI_ANSWER_SEPARATOR = "; "


def export_columns(records: list[list[str]]) -> tuple[list[SurveyColumn], str | None]:
    questions, labels = records[0], records[1]
    columns: list[SurveyColumn] = []
    question = ""
    for position, header in enumerate(questions):
        key = normalise_header(header)
        if key in EXPORT_RESPONSE_COLUMNS:
            staged = EXPORT_RESPONSE_COLUMNS[key] or f"_dropped_{position}"
            columns.append(SurveyColumn(position, staged, None, header, None))
            continue
        question = header.strip() or question
        label = labels[position].strip() if position < len(labels) else ""
        next_is_same_question = (
            position + 1 < len(questions)
            and not questions[position + 1].strip()
            and position + 1 < len(labels)
        )
        single = bool(header.strip()) and not next_is_same_question
        if single and label.lower() in _SINGLE_ANSWER_LABELS:
            item_id = question
        else:
            item_id = f"{question} | {label}" if label else question
        columns.append(SurveyColumn(position, f"item_{position:04d}", item_id, question, None))
    return unique_staged_names(columns), None


def _is_export(sample: Sample) -> str | None:
    records = sample.records
    if len(records) < 2 or len(records[0]) < 2:
        return None
    if [normalise_header(header) for header in records[0][:2]] == [
        "respondent_id",
        "collector_id",
    ]:
        return "two header rows starting Respondent ID, Collector ID (SurveyMonkey export)"
    return None


# --- API v3 bodies -------------------------------------------------------------------


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


def is_details(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and "pages" in document
        and "surveymonkey" in str(document.get("href", ""))
    )


def is_bulk_response(item: Any) -> bool:
    return isinstance(item, dict) and "pages" in item and "response_status" in item


def _answers(item: dict[str, Any], labels: dict[str, str]) -> dict[str, list[str]]:
    """Item id -> the answers given to it, in delivery order."""
    answers: dict[str, list[str]] = {}
    for page in item.get("pages") or []:
        for question in page.get("questions") or []:
            for answer in question.get("answers") or []:
                item_id = str(question["id"])
                if answer.get("row_id") is not None:  # matrix question: one item per row
                    item_id += f"_{answer['row_id']}"
                if answer.get("other_id") is not None:
                    item_id += "_other"
                if answer.get("choice_id") is not None:
                    value = labels.get(str(answer["choice_id"]), str(answer["choice_id"]))
                else:
                    value = answer.get("text")
                if value not in (None, ""):
                    answers.setdefault(item_id, []).append(str(value))
    return answers


def _contact(item: dict[str, Any], field: str, fallback: str) -> str | None:
    contact = (item.get("metadata") or {}).get("contact") or {}
    value = (contact.get(field) or {}).get("value") or item.get(fallback)
    return str(value) if value else None


def response_record(
    item: dict[str, Any], survey_id: str | None, labels: dict[str, str] | None = None
) -> Record:
    """One bulk response as a response row and its answer rows."""
    survey = survey_id or (str(item["survey_id"]) if item.get("survey_id") else None)
    completed = item.get("response_status") == "completed"
    custom = item.get("custom_variables") or {}
    response = {
        "survey_id": survey,
        "response_id": item.get("id"),
        "started_at": item.get("date_created"),
        "submitted_at": item.get("date_modified") if completed else None,
        "source_timezone": "UTC",  # the API writes offsets
        "duration_seconds": item.get("total_time"),
        "is_finished": "true" if completed else "false",
        "progress": None,
        "distribution_channel": item.get("collection_mode"),
        "user_language": custom.get("language"),
        "external_reference": custom.get("customer_id") or item.get("custom_value") or None,
        "respondent_email": _contact(item, "email", "email_address"),
        "respondent_first_name": _contact(item, "first_name", "first_name"),
        "respondent_last_name": _contact(item, "last_name", "last_name"),
    }
    answers = [
        {
            "survey_id": survey,
            "response_id": item.get("id"),
            "item_id": item_id,
            "answer": MULTI_ANSWER_SEPARATOR.join(values),
        }
        for item_id, values in _answers(item, labels or {}).items()
    ]
    return make_record(
        f"{survey}:{item.get('id')}",
        item,
        {"survey_responses": [response], "survey_answers": answers},
    )


def _definition_labels(ctx: LoadContext) -> dict[str, str]:
    """Choice labels from the survey details the registry names as the definition."""
    survey = ctx.registry.survey_for(ctx.file_name)
    path: Path | None = survey.definition if survey else None
    if path is None or not path.is_file():
        return {}
    try:
        details = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DocumentShapeError(f"{path}: not a readable SurveyMonkey details JSON") from error
    return choice_labels(details) if is_details(details) else {}


def load_bulk_responses(ctx: LoadContext) -> LoadCounts:
    document = read_document(ctx)
    items = document.get("data") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise DocumentShapeError("SurveyMonkey bulk responses JSON: no `data` list")
    survey = ctx.registry.survey_for(ctx.file_name)
    labels = _definition_labels(ctx)
    records = [
        (number, response_record(item, survey.survey_id if survey else None, labels))
        for number, item in enumerate(items, start=1)
    ]
    return load_survey_records(ctx, records)


def _is_bulk_document(sample: Sample) -> str | None:
    document = sample.document
    records = document.get("data") if isinstance(document, dict) else None
    if isinstance(records, list) and records and is_bulk_response(records[0]):
        return "SurveyMonkey API v3 bulk responses (data[].pages[].questions[].answers[])"
    return None


def _is_list(sample: Sample) -> str | None:
    document = sample.document
    records = document.get("data") if isinstance(document, dict) else None
    first = records[0] if isinstance(records, list) and records else None
    if isinstance(first, dict) and "surveymonkey" in str(first.get("href", "")):
        return "SurveyMonkey API v3 list (surveys or collectors): holds no responses"
    return None


def _is_details(sample: Sample) -> str | None:
    if is_details(sample.document):
        return "SurveyMonkey API v3 survey details: the survey definition, holds no responses"
    return None


EXPORT_CSV = wide_survey(
    "surveymonkey_csv",
    _is_export,
    export_columns,
    header_rows=2,
    description="SurveyMonkey 'All individual responses' export, two header rows (CSV).",
)

VENDOR = Vendor(
    name=NAME,
    family="surveys",
    description="SurveyMonkey response exports (CSV, workbook) and API v3 bulk responses.",
    formats=(
        EXPORT_CSV,
        workbook(EXPORT_CSV, "surveymonkey_xlsx"),
        FileFormat(
            name="surveymonkey_responses_json",
            family="surveys",
            target=SURVEY_RESPONSES,
            containers=frozenset({JSON_DOCUMENT}),
            recognise=_is_bulk_document,
            load=load_bulk_responses,
            description="SurveyMonkey API v3 bulk responses body saved as a file.",
        ),
    ),
    refusals=(
        refusal("surveymonkey_api_list", _is_list, frozenset({JSON_DOCUMENT}), describes_data=True),
        refusal(
            "surveymonkey_details",
            _is_details,
            frozenset({JSON_DOCUMENT}),
            "surveys",
            describes_data=True,
        ),
    ),
    items=(
        ItemMapping(
            streams=frozenset({"survey_responses", "responses"}),
            target=SURVEY_RESPONSES,
            matches=is_bulk_response,
            to_record=lambda item, survey_id: response_record(item, survey_id),
        ),
    ),
    api=ApiSource(
        client="ingestion.api.surveymonkey",
        settings_name="surveymonkey",
        asset_name="surveymonkey_responses",
        tables=("survey_responses", "survey_answers"),
        by_day=True,
    ),
)
