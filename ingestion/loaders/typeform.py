"""Typeform responses saved as files.

Two shapes, both of the responses API (GET /forms/{form_id}/responses):
- the response body as one JSON document: `{"total_items", "page_count", "items": [...]}`;
- one response per line: JSON lines of the same item objects.

An item carries `response_id` (older bodies: only `token`), `landed_at`, `submitted_at`
(absent for a partial response, loaded as not finished), `metadata`, `hidden`,
`calculated` and `answers[]`, each answer naming its `field` (`id`, `type`, `ref`) and
holding its value under the key its `type` names (`number`, `text`, `choice.label`,
`choices.labels`, `boolean`, `email`, ...). Items are mapped by the same function the
Typeform API pull uses, so a file and a pull of the same response load the same rows.
Time stamps are ISO 8601 in UTC.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from ingestion.api.typeform import response_record
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.csv_stage import (
    add_missing_columns,
    quarantine_invalid_keys,
    readable_by_duckdb,
    staged_count,
)
from ingestion.loaders.json_documents import (
    DocumentShapeError,
    Record,
    read_document,
    stage_records,
)
from ingestion.loaders.surveys import RESPONSE_STAGED_COLUMNS
from ingestion.warehouse import execute_sql_file

TARGET_TABLE = "raw.survey_responses"


def is_typeform_item(value: object) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("answers", []), list)
        and ("token" in value or "response_id" in value)
        and "landed_at" in value
    )


def is_typeform_body(document: object) -> bool:
    if not isinstance(document, dict) or "total_items" not in document:
        return False
    items = document.get("items")
    return isinstance(items, list) and all(is_typeform_item(item) for item in items[:1])


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _rows(form_id: str, item: dict[str, Any], number: int) -> tuple[Record, list[Record]]:
    """The response row and its answer rows, as the API pull maps them."""
    item = {**item, "response_id": item.get("response_id") or item.get("token")}
    mapped = response_record(form_id, item).rows
    response = dict(mapped["survey_responses"][0])
    response["respondent_first_name"] = response.pop("respondent_name", None)
    row: Record = {column: _text(response.get(column)) for column in RESPONSE_STAGED_COLUMNS}
    row["_row_number"] = str(number)
    answers: list[Record] = [
        {
            "response_id": _text(answer["response_id"]),
            "item_id": _text(answer["item_id"]),
            "answer": _text(answer["answer"]),
            "_row_number": str(number),
        }
        for answer in mapped["survey_answers"]
    ]
    return row, answers


def _load_items(
    ctx: LoadContext, numbered_items: list[tuple[int, dict[str, Any]]], rejected: int
) -> LoadCounts:
    survey = ctx.registry.survey_for(ctx.file_name)
    survey_id = survey.survey_id if survey else PurePosixPath(ctx.file_name).stem
    rows: list[Record] = []
    answers: list[Record] = []
    for number, item in numbered_items:
        row, item_answers = _rows(survey_id, item, number)
        rows.append(row)
        answers.extend(item_answers)
    stage_records(ctx, "staged", RESPONSE_STAGED_COLUMNS, rows)
    stage_records(ctx, "staged_answers", ["response_id", "item_id", "answer"], answers)
    add_missing_columns(ctx, RESPONSE_STAGED_COLUMNS)
    staged = staged_count(ctx)
    bad_keys = quarantine_invalid_keys(ctx, "response_id", TARGET_TABLE)
    params = {
        **ctx.lineage(),
        "survey_id": survey_id,
        "timezone": "UTC",
        "pseudonym_key": ctx.pseudonym_key,
    }
    execute_sql_file(ctx.conn, "insert_survey_responses.sql", params)
    execute_sql_file(ctx.conn, "insert_survey_answers_long.sql", params)
    return LoadCounts(
        rows_in=staged + rejected,
        rows_loaded=staged - bad_keys,
        rows_quarantined=rejected + bad_keys,
        target_table=TARGET_TABLE,
    )


def load_typeform_json(ctx: LoadContext) -> LoadCounts:
    document = read_document(ctx)
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise DocumentShapeError(f"{ctx.file_name}: Typeform responses JSON has no `items` list")
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise DocumentShapeError(f"{ctx.file_name}: items[{number - 1}] is not an object")
    return _load_items(ctx, list(enumerate(items, start=1)), rejected=0)


def load_typeform_json_lines(ctx: LoadContext) -> LoadCounts:
    """Lines that are not JSON objects (a truncated last line, say) are quarantined."""
    conn = ctx.conn
    conn.execute("drop table if exists staged_lines")
    with readable_by_duckdb(ctx.path, ctx.encoding) as (readable, encoding):
        execute_sql_file(
            conn, "stage_json_lines.sql", {"path": str(readable), "encoding": encoding}
        )
    execute_sql_file(
        conn, "quarantine_invalid_json_lines.sql", {**ctx.lineage(), "target_table": TARGET_TABLE}
    )
    rejected_row = conn.execute("select count(*) from staged_lines where not is_object").fetchone()
    lines = conn.execute(
        "select line_number, line from staged_lines where is_object order by line_number"
    ).fetchall()
    items = [(int(number), json.loads(line)) for number, line in lines]
    return _load_items(ctx, items, rejected=int(rejected_row[0]) if rejected_row else 0)
