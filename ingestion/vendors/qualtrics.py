"""Qualtrics: survey exports (three CSV layouts), API v3 exports, and what it is not.

Current CSV export: row 1 column ids, row 2 question texts, row 3 ImportId JSON, which
also carries the time zone of the date columns. The 2016 "Insights" export: the same
three header rows, ImportId cells written as Python-style dicts with single quotes
(`{'ImportId': 'QID3-1'}`), no time zone, and the legacy response field names. The legacy
export: UTF-8 BOM, row 1 `V1..Vn` for response fields and question ids for items, row 2
the field names and question texts, a trailing comma on every line; no time zone is
written, so the registry's (or the default) zone applies.

Fivetran's Qualtrics connector tables are read too (see _qualtrics_fivetran).

The API v3 response export (ingestion/api/qualtrics.py) downloads the current CSV layout
and maps its rows with `export_response_record`, reading the header rows as a file is.
Survey definitions (`.qsf`) and API metadata bodies describe a survey: they hold no
responses and are refused as data (a `.qsf` is named in the registry instead).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ingestion.layouts import normalise_header
from ingestion.loaders.surveys import SurveyColumn, unique_staged_names
from ingestion.records import Record, make_record
from ingestion.surveys.qsf import is_qsf, parse_import_id
from ingestion.vendors import _qualtrics_fivetran as fivetran
from ingestion.vendors.base import JSON_DOCUMENT, ApiSource, Sample, Vendor
from ingestion.vendors.formats import refusal, wide_survey

NAME = "qualtrics"

# Response-level columns: normalised header -> staged column. Columns mapped to None carry
# personal data the marts never need (IP address, coordinates) and are not loaded.
RESPONSE_COLUMNS: dict[str, str | None] = {
    "startdate": "started_at",
    "enddate": None,
    "status": None,
    "ipaddress": None,
    "progress": "progress",
    "duration_(in_seconds)": "duration_seconds",
    "finished": "is_finished",
    "recordeddate": "submitted_at",
    "responseid": "response_id",
    "recipientlastname": "respondent_last_name",
    "recipientfirstname": "respondent_first_name",
    "recipientemail": "respondent_email",
    "externalreference": "external_reference",
    "externaldatareference": "external_reference",
    "locationlatitude": None,
    "locationlongitude": None,
    "distributionchannel": "distribution_channel",
    "userlanguage": "user_language",
}
# Legacy exports name response fields in row 2 under V1..Vn ids.
LEGACY_RESPONSE_COLUMNS: dict[str, str | None] = {
    "responseid": "response_id",
    "responseset": None,
    "name": None,  # the panel's recipient display name ("Anonymous")
    "externaldatareference": "external_reference",
    "emailaddress": "respondent_email",
    "ipaddress": None,
    "status": None,
    "startdate": "started_at",
    "enddate": "submitted_at",  # legacy exports have no RecordedDate
    "finished": "is_finished",
    "locationaccuracy": None,
}
# The 2016 "Insights" export names response fields as the legacy export does (ResponseID,
# ResponseSet, EndDate as the submission time: it has no RecordedDate).
INSIGHTS_2016_RESPONSE_COLUMNS = {**RESPONSE_COLUMNS, **LEGACY_RESPONSE_COLUMNS}


def three_header_columns(
    records: list[list[str]], response_columns: dict[str, str | None] | None = None
) -> tuple[list[SurveyColumn], str | None]:
    """Columns of a three-header export, and the zone its dates are written in."""
    ids, texts, import_cells = records[0], records[1], records[2]
    response_columns = response_columns or RESPONSE_COLUMNS
    columns: list[SurveyColumn] = []
    zone: str | None = None
    for position, column_id in enumerate(ids):
        import_id, column_zone = parse_import_id(
            import_cells[position] if position < len(import_cells) else ""
        )
        zone = zone or column_zone
        text = texts[position] if position < len(texts) else None
        key = normalise_header(column_id)
        if key in response_columns:
            staged = response_columns[key] or f"_dropped_{position}"
            columns.append(SurveyColumn(position, staged, None, text, import_id))
        else:
            columns.append(
                SurveyColumn(position, f"item_{position:04d}", column_id, text, import_id)
            )
    return unique_staged_names(columns), zone


def legacy_columns(records: list[list[str]]) -> tuple[list[SurveyColumn], str | None]:
    ids, names = records[0], records[1]
    columns: list[SurveyColumn] = []
    for position, column_id in enumerate(ids):
        name = names[position] if position < len(names) else ""
        if not column_id.strip():  # the empty column after every line's trailing comma
            columns.append(SurveyColumn(position, f"_dropped_{position}", None, None, None))
            continue
        if re.fullmatch(r"V[0-9]+", column_id.strip()):
            staged = LEGACY_RESPONSE_COLUMNS.get(normalise_header(name))
            columns.append(
                SurveyColumn(position, staged or f"_dropped_{position}", None, name, None)
            )
            continue
        key = normalise_header(column_id)
        if key in INSIGHTS_2016_RESPONSE_COLUMNS:
            staged = INSIGHTS_2016_RESPONSE_COLUMNS[key] or f"_dropped_{position}"
            columns.append(SurveyColumn(position, staged, None, name, None))
        else:
            columns.append(SurveyColumn(position, f"item_{position:04d}", column_id, name, None))
    return unique_staged_names(columns), None


def _import_id_row(sample: Sample) -> str | None:
    records = sample.records
    if len(records) >= 3 and records[2] and parse_import_id(records[2][0])[0] is not None:
        return records[2][0].lstrip()
    return None


def _is_three_header(sample: Sample) -> str | None:
    cell = _import_id_row(sample)
    if cell is not None and not cell.startswith("{'"):
        return "three header rows; row 3 holds ImportId JSON"
    return None


def _is_insights_2016(sample: Sample) -> str | None:
    cell = _import_id_row(sample)
    if cell is not None and cell.startswith("{'"):
        return (
            "three header rows; row 3 holds ImportId written with single quotes"
            " (2016 Insights export)"
        )
    return None


def _is_legacy(sample: Sample) -> str | None:
    lowered = [header.strip().lower() for header in sample.headers]
    if lowered[:10] == [f"v{i}" for i in range(1, 11)]:
        return "Qualtrics legacy export (V1..V10 columns; row 2 names them)"
    return None


def _is_api_metadata(sample: Sample) -> str | None:
    document = sample.document
    if (
        isinstance(document, dict)
        and isinstance(document.get("result"), dict)
        and isinstance(document.get("meta"), dict)
    ):
        return (
            "Qualtrics API v3 body (survey metadata or definition): holds no responses; "
            "it describes a survey for recoding, it is not an export"
        )
    return None


def _is_definition(sample: Sample) -> str | None:
    if is_qsf(sample.document):
        return (
            "Qualtrics survey definition (.qsf): holds no responses; name it as a survey's"
            " definition in the registry to decode recode values"
        )
    return None


def export_response_record(
    survey_id: str,
    columns: Sequence[SurveyColumn],
    column_ids: Sequence[str],
    values: Sequence[Any],
    timezone: str,
) -> Record:
    """One row of an API export (the current CSV layout) as a response and its answers."""
    cells = {column.staged_name: value for column, value in zip(columns, values, strict=True)}
    response_id = (cells.get("response_id") or "").strip()
    response = {
        "survey_id": survey_id,
        "response_id": response_id,
        "started_at": cells.get("started_at"),
        "submitted_at": cells.get("submitted_at"),
        "source_timezone": timezone,
        "duration_seconds": cells.get("duration_seconds"),
        "is_finished": cells.get("is_finished"),
        "progress": cells.get("progress"),
        "distribution_channel": cells.get("distribution_channel"),
        "user_language": cells.get("user_language"),
        "external_reference": cells.get("external_reference"),
        "respondent_email": cells.get("respondent_email"),
        "respondent_first_name": cells.get("respondent_first_name"),
        "respondent_last_name": cells.get("respondent_last_name"),
    }
    answers = [
        {
            "survey_id": survey_id,
            "response_id": response_id,
            "item_id": column.item_id,
            "answer": cells.get(column.staged_name),
        }
        for column in columns
        if column.item_id is not None
    ]
    content = dict(zip(column_ids, values, strict=False))
    return make_record(
        f"{survey_id}:{response_id}",
        content,
        {"survey_responses": [response], "survey_answers": answers},
    )


THREE_HEADER_CSV = wide_survey(
    "qualtrics_csv_3_header",
    _is_three_header,
    three_header_columns,
    header_rows=3,
    description=(
        "Qualtrics CSV export, current layout: row 1 column ids, row 2 question texts,"
        " row 3 ImportId JSON naming the time zone of the dates."
    ),
)

VENDOR = Vendor(
    name=NAME,
    family="surveys",
    description=(
        "Qualtrics survey exports (CSV, three layouts), API v3 response exports, and the"
        " tables Fivetran's Qualtrics connector lands."
    ),
    formats=(
        THREE_HEADER_CSV,
        wide_survey(
            "qualtrics_csv_2016",
            _is_insights_2016,
            lambda records: three_header_columns(records, INSIGHTS_2016_RESPONSE_COLUMNS),
            header_rows=3,
            description="Qualtrics 2016 Insights CSV export (single-quoted ImportIds).",
        ),
        wide_survey(
            "qualtrics_csv_legacy",
            _is_legacy,
            legacy_columns,
            header_rows=2,
            description="Qualtrics legacy CSV export (V1..Vn response fields, BOM).",
        ),
        *fivetran.FORMATS,
    ),
    refusals=(
        *fivetran.REFUSALS,
        refusal(
            "qualtrics_api_metadata",
            _is_api_metadata,
            frozenset({JSON_DOCUMENT}),
            "surveys",
            describes_data=True,
        ),
        refusal(
            "qualtrics_definition",
            _is_definition,
            frozenset({JSON_DOCUMENT}),
            "surveys",
            describes_data=True,
        ),
    ),
    api=ApiSource(
        client="ingestion.api.qualtrics",
        settings_name="qualtrics",
        asset_name="qualtrics_responses",
        tables=("survey_responses", "survey_answers"),
    ),
)
