"""Typeform: responses API bodies (one JSON document or one response per line).

GET /forms/{form_id}/responses answers `{"total_items", "page_count", "items": [...]}`.
An item carries `response_id` (older bodies: only `token`), `landed_at`, `submitted_at`
(absent for a partial response, loaded as not finished), `metadata`, `hidden`,
`calculated` and `answers[]`, each answer naming its `field` (`id`, `type`, `ref`) and
holding its value under the key its `type` names (`number`, `text`, `choice.label`,
`choices.labels`, `boolean`, `email`, ...). Items are mapped by `response_record`, for the
API client, a saved body or JSON lines, and an EL tool's `responses` stream alike. An
item is named by its field `ref` (else its id); an email answer is personal data,
pseudonymised as the respondent's, never an answer. Time stamps are ISO 8601 in UTC.
"""

from __future__ import annotations

import json
from typing import Any

from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.json_documents import DocumentShapeError, read_document
from ingestion.loaders.json_lines import read_object_lines
from ingestion.loaders.survey_records import load_survey_records
from ingestion.records import Record, make_record
from ingestion.staged import SURVEY_RESPONSES
from ingestion.timestamps import parse_utc
from ingestion.vendors.base import (
    JSON_DOCUMENT,
    JSON_LINES,
    ApiSource,
    FileFormat,
    ItemMapping,
    Sample,
    Vendor,
)

NAME = "typeform"


def is_item(value: object) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("answers", []), list)
        and ("token" in value or "response_id" in value)
        and "landed_at" in value
    )


def is_body(document: object) -> bool:
    if not isinstance(document, dict) or "total_items" not in document:
        return False
    items = document.get("items")
    return isinstance(items, list) and all(is_item(item) for item in items[:1])


def answer_text(answer: dict[str, Any]) -> object:
    kind = answer.get("type")
    value = answer.get(kind) if isinstance(kind, str) else None
    if kind == "choice" and isinstance(value, dict):
        return value.get("label") or value.get("other")
    if kind == "choices" and isinstance(value, dict):
        labels = list(value.get("labels") or [])
        return "; ".join(labels + ([value["other"]] if value.get("other") else []))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def response_record(item: dict[str, Any], form_id: str | None) -> Record:
    """One response item as a response row and its answer rows."""
    response_id = item.get("response_id") or item.get("token")
    form = form_id or item.get("form_id")
    hidden = item.get("hidden") or {}
    metadata = item.get("metadata") or {}
    completed = item.get("response_type", "completed" if item.get("submitted_at") else "partial")
    email = hidden.get("email")
    answers = []
    for answer in item.get("answers") or []:
        if answer.get("type") == "email":
            email = email or answer.get("email")
            continue
        field = answer.get("field") or {}
        answers.append(
            {
                "survey_id": form,
                "response_id": response_id,
                "item_id": field.get("ref") or field.get("id"),
                "answer": answer_text(answer),
            }
        )
    submitted = item.get("submitted_at") if completed == "completed" else None
    duration = (
        (parse_utc(submitted) - parse_utc(item["landed_at"])).total_seconds()
        if submitted and item.get("landed_at")
        else None
    )
    response = {
        "survey_id": form,
        "response_id": response_id,
        "started_at": item.get("landed_at"),
        "submitted_at": submitted,
        "source_timezone": "UTC",
        "duration_seconds": None if duration is None else str(int(duration)),
        "is_finished": "true" if completed == "completed" else "false",
        "progress": None,
        "distribution_channel": hidden.get("channel") or metadata.get("platform"),
        "user_language": hidden.get("language"),
        "external_reference": hidden.get("customer_id"),
        "respondent_email": email,
        "respondent_first_name": hidden.get("name"),
        "respondent_last_name": None,
    }
    return make_record(
        f"{form}:{response_id}",
        item,
        {"survey_responses": [response], "survey_answers": answers},
    )


def _registered_form(ctx: LoadContext) -> str | None:
    survey = ctx.registry.survey_for(ctx.file_name)
    return survey.survey_id if survey else None


def load_body(ctx: LoadContext) -> LoadCounts:
    document = read_document(ctx)
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise DocumentShapeError(f"{ctx.file_name}: Typeform responses JSON has no `items` list")
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise DocumentShapeError(f"{ctx.file_name}: items[{number - 1}] is not an object")
    form = _registered_form(ctx)
    return load_survey_records(
        ctx, [(number, response_record(item, form)) for number, item in enumerate(items, 1)]
    )


def load_lines(ctx: LoadContext) -> LoadCounts:
    """Lines that are not JSON objects (a truncated last line, say) are quarantined."""
    objects, rejected = read_object_lines(ctx, SURVEY_RESPONSES.raw_table)
    form = _registered_form(ctx)
    return load_survey_records(
        ctx, [(number, response_record(item, form)) for number, item in objects], rejected
    )


def _is_body(sample: Sample) -> str | None:
    if is_body(sample.document):
        return "Typeform responses API body (total_items, items[].answers[])"
    return None


def _is_lines(sample: Sample) -> str | None:
    if is_item(sample.first_object):
        return "JSON lines of Typeform responses (token, landed_at, answers)"
    return None


VENDOR = Vendor(
    name=NAME,
    family="surveys",
    description="Typeform responses API bodies, saved whole or one response per line.",
    formats=(
        FileFormat(
            name="typeform_responses_json",
            family="surveys",
            target=SURVEY_RESPONSES,
            containers=frozenset({JSON_DOCUMENT}),
            recognise=_is_body,
            load=load_body,
            description="Typeform responses API body saved as one JSON document.",
        ),
        FileFormat(
            name="typeform_responses_jsonl",
            family="surveys",
            target=SURVEY_RESPONSES,
            containers=frozenset({JSON_LINES}),
            recognise=_is_lines,
            load=load_lines,
            description="Typeform response items, one JSON object per line.",
        ),
    ),
    items=(
        ItemMapping(
            streams=frozenset({"responses"}),
            target=SURVEY_RESPONSES,
            matches=is_item,
            to_record=response_record,
        ),
    ),
    api=ApiSource(
        client="ingestion.api.typeform",
        settings_name="typeform",
        asset_name="typeform_responses",
        tables=("survey_responses", "survey_answers"),
        by_day=True,
    ),
)
