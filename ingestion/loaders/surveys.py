"""Survey exports: one wide row per response becomes a response row and an answers row.

Qualtrics (current CSV export): row 1 column ids, row 2 question texts, row 3 ImportId
JSON, which also carries the time zone of the date columns.
Qualtrics 2016 "Insights" export: the same three header rows, the ImportId cells written
as Python-style dicts with single quotes (`{'ImportId': 'QID3-1'}`), sub-parts of a
question separated by dashes, no time zone, and the legacy response field names.
Qualtrics legacy export: UTF-8 BOM, row 1 `V1..Vn` for response fields and question ids
for items, row 2 the field names and question texts, a trailing comma on every line; no
time zone is written, so the registry's (or the default) zone applies.
Google Forms (CSV downloaded from the linked Sheet): one header row of question texts;
`Timestamp` in the form owner's zone, which the registry names.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ingestion.layouts import normalise_header
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.csv_stage import (
    add_missing_columns,
    quarantine_invalid_keys,
    stage_csv,
    staged_count,
)
from ingestion.loaders.mojibake import quarantine_mojibake
from ingestion.loaders.survey_answers import AnswerColumn, insert_survey_answers_sql
from ingestion.sniff import read_head
from ingestion.surveys.qsf import load_definition, parse_import_id
from ingestion.surveys.registry import SurveyDefinition
from ingestion.surveys.wording import guess_items
from ingestion.warehouse import execute_sql_file

log = logging.getLogger(__name__)

# Response-level columns: normalised header -> staged column. Columns mapped to None carry
# personal data the marts never need (IP address, coordinates) and are not loaded.
QUALTRICS_RESPONSE_COLUMNS: dict[str, str | None] = {
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
GOOGLE_FORMS_RESPONSE_COLUMNS: dict[str, str | None] = {
    "email_address": "respondent_email",
    "email": "respondent_email",
    "score": None,
}
RESPONSE_STAGED_COLUMNS = [
    "response_id",
    "started_at",
    "submitted_at",
    "duration_seconds",
    "is_finished",
    "progress",
    "distribution_channel",
    "user_language",
    "external_reference",
    "respondent_email",
    "respondent_first_name",
    "respondent_last_name",
]


@dataclass(frozen=True)
class SurveyColumn:
    position: int
    staged_name: str
    item_id: str | None  # None for response-level columns
    question_text: str | None
    import_id: str | None


def qualtrics_columns(
    records: list[list[str]], response_columns: dict[str, str | None] | None = None
) -> tuple[list[SurveyColumn], str | None]:
    """Columns of a Qualtrics 3-header export, and the zone its dates are written in."""
    ids, texts, import_cells = records[0], records[1], records[2]
    response_columns = response_columns or QUALTRICS_RESPONSE_COLUMNS
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


# Legacy exports name response fields in row 2 under V1..Vn ids.
QUALTRICS_LEGACY_RESPONSE_COLUMNS: dict[str, str | None] = {
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


def qualtrics_legacy_columns(records: list[list[str]]) -> list[SurveyColumn]:
    ids, names = records[0], records[1]
    columns: list[SurveyColumn] = []
    for position, column_id in enumerate(ids):
        name = names[position] if position < len(names) else ""
        if not column_id.strip():  # the empty column after every line's trailing comma
            columns.append(SurveyColumn(position, f"_dropped_{position}", None, None, None))
            continue
        if re.fullmatch(r"V[0-9]+", column_id.strip()):
            staged = QUALTRICS_LEGACY_RESPONSE_COLUMNS.get(normalise_header(name))
            columns.append(
                SurveyColumn(position, staged or f"_dropped_{position}", None, name, None)
            )
            continue
        key = normalise_header(column_id)
        known = {**QUALTRICS_RESPONSE_COLUMNS, **QUALTRICS_LEGACY_RESPONSE_COLUMNS}
        if key in known:
            staged = known[key] or f"_dropped_{position}"
            columns.append(SurveyColumn(position, staged, None, name, None))
        else:
            columns.append(SurveyColumn(position, f"item_{position:04d}", column_id, name, None))
    return unique_staged_names(columns)


# The 2016 "Insights" export names response fields as the legacy export does (ResponseID,
# ResponseSet, EndDate as the submission time: it has no RecordedDate).
QUALTRICS_2016_RESPONSE_COLUMNS = {
    **QUALTRICS_RESPONSE_COLUMNS,
    **QUALTRICS_LEGACY_RESPONSE_COLUMNS,
}


def google_forms_columns(records: list[list[str]]) -> list[SurveyColumn]:
    headers = records[0]
    columns = [SurveyColumn(0, "submitted_at", None, headers[0], None)]
    for position, header in enumerate(headers[1:], start=1):
        key = normalise_header(header)
        if key in GOOGLE_FORMS_RESPONSE_COLUMNS:
            staged = GOOGLE_FORMS_RESPONSE_COLUMNS[key] or f"_dropped_{position}"
            columns.append(SurveyColumn(position, staged, None, header, None))
        else:
            columns.append(
                SurveyColumn(position, f"item_{position:04d}", header.strip(), header, None)
            )
    return unique_staged_names(columns)


def unique_staged_names(columns: list[SurveyColumn]) -> list[SurveyColumn]:
    """A response-level column that appears twice keeps its first position only; an item
    id that appears twice gets a numbered suffix ("Q1", "Q1.1"), as pandas names repeated
    columns, so each column's answers stay apart."""
    seen: set[str] = set()
    item_ids = {column.item_id for column in columns if column.item_id is not None}
    seen_items: set[str] = set()
    unique = []
    for column in columns:
        if column.staged_name in seen:
            column = SurveyColumn(
                column.position, f"_dropped_{column.position}", None, column.question_text, None
            )
        elif column.item_id is not None and column.item_id in seen_items:
            number = 1
            while f"{column.item_id}.{number}" in item_ids:
                number += 1
            renamed = f"{column.item_id}.{number}"
            item_ids.add(renamed)
            column = SurveyColumn(
                column.position,
                column.staged_name,
                renamed,
                column.question_text,
                column.import_id,
            )
        seen.add(column.staged_name)
        if column.item_id is not None:
            seen_items.add(column.item_id)
        unique.append(column)
    return unique


def load_survey_csv(ctx: LoadContext, layout: str) -> LoadCounts:
    records = read_head(ctx.path, max_records=3).records
    if layout == "qualtrics_csv_3_header":
        columns, zone = qualtrics_columns(records)
        header_rows = 3
    elif layout == "qualtrics_csv_2016":
        columns, zone = qualtrics_columns(records, QUALTRICS_2016_RESPONSE_COLUMNS)
        header_rows = 3
    elif layout == "qualtrics_csv_legacy":
        columns, zone = qualtrics_legacy_columns(records), None
        header_rows = 2
    else:
        columns, zone = google_forms_columns(records), None
        header_rows = 1
    return load_wide_survey(
        ctx, columns, header_rows, zone, content_response_id=layout == "google_forms_csv"
    )


def load_wide_survey(
    ctx: LoadContext,
    columns: list[SurveyColumn],
    header_rows: int,
    zone: str | None,
    *,
    content_response_id: bool = False,
) -> LoadCounts:
    """Stage a one-row-per-response CSV whose columns are known, then insert responses,
    answers (decoded through the survey definition when the registry names one) and
    questions."""
    survey = ctx.registry.survey_for(ctx.file_name)
    survey_id = survey.survey_id if survey else PurePosixPath(ctx.file_name).stem
    timezone = zone or (survey.timezone if survey else None) or ctx.default_timezone
    if survey is None:
        guesses = guess_items(
            {column.item_id: column.question_text or "" for column in columns if column.item_id}
        )
        log.warning(
            "%s: no survey registry entry matches this file, so no item feeds a metric;"
            " loaded as survey %r. Wording suggests: %s",
            ctx.file_name,
            survey_id,
            guesses or "nothing recognisable",
        )

    rejected = stage_csv(
        ctx, [column.staged_name for column in columns], header_rows, "raw.survey_responses"
    )
    add_missing_columns(ctx, RESPONSE_STAGED_COLUMNS)
    if content_response_id:
        # Google Forms has no response id: the response's own content identifies it, so
        # the same response in a later, longer download of the Sheet is recognised.
        ctx.conn.execute(
            "update staged set response_id = 'gf_' || md5(cast(content as varchar))"
            " from (select _row_number as row_id, columns(* exclude (_row_number))"
            " from staged) as content where staged._row_number = content.row_id"
        )
    staged = staged_count(ctx)
    garbled = quarantine_mojibake(
        ctx,
        [c.staged_name for c in columns if not c.staged_name.startswith("_dropped_")],
        "raw.survey_responses",
    )
    bad_keys = quarantine_invalid_keys(ctx, "response_id", "raw.survey_responses")

    _stage_item_map(ctx, survey_id, columns)
    decoded = _stage_decodings(ctx, survey, columns)
    params = {
        **ctx.lineage(),
        "survey_id": survey_id,
        "timezone": timezone,
        "pseudonym_key": ctx.pseudonym_key,
    }
    execute_sql_file(ctx.conn, "insert_survey_responses.sql", params)
    answer_columns = [
        AnswerColumn(
            column.staged_name,
            column.item_id,
            decoded=column.staged_name in decoded,
            is_multi=decoded.get(column.staged_name, False),
        )
        for column in columns
        if column.item_id is not None
    ]
    if answer_columns:
        statement = insert_survey_answers_sql(answer_columns)
        item_ids = [column.item_id for column in answer_columns]
        ctx.conn.execute(
            statement,
            {**ctx.lineage(), "survey_id": survey_id, "item_ids": item_ids},
        )
    execute_sql_file(ctx.conn, "insert_survey_questions.sql", params)
    return LoadCounts(
        rows_in=staged + rejected,
        rows_loaded=staged - garbled - bad_keys,
        rows_quarantined=rejected + garbled + bad_keys,
        target_table="raw.survey_responses",
    )


def _stage_item_map(ctx: LoadContext, survey_id: str, columns: list[SurveyColumn]) -> None:
    ctx.conn.execute("drop table if exists staged_items")
    ctx.conn.execute(
        "create temp table staged_items (item_column varchar, item_id varchar,"
        " item_position integer, question_text varchar, import_id varchar)"
    )
    rows = [
        (
            column.staged_name,
            column.item_id,
            column.position + 1,
            column.question_text,
            column.import_id,
        )
        for column in columns
        if column.item_id is not None
    ]
    if rows:
        ctx.conn.executemany("insert into staged_items values (?, ?, ?, ?, ?)", rows)


def _stage_decodings(
    ctx: LoadContext, survey: SurveyDefinition | None, columns: list[SurveyColumn]
) -> dict[str, bool]:
    """Temp table `staged_decodings`: per item column, exported value -> decoded value.

    A registered scored item decodes to the recode value (its score), any other item to
    the choice label. Empty when the registry names no survey definition. Returns the
    decoded columns, each with whether it holds several choices per cell.
    """
    ctx.conn.execute("drop table if exists staged_decodings")
    ctx.conn.execute(
        "create temp table staged_decodings (item_column varchar, exported_value varchar,"
        " decoded_value varchar, is_multi boolean)"
    )
    decoded: dict[str, bool] = {}
    if survey is None or survey.definition is None:
        return decoded
    definition = load_definition(survey.definition)
    rows = []
    for column in columns:
        if column.item_id is None:
            continue
        decoding = definition.decoding_for(column.import_id, column.item_id)
        if decoding is None:
            continue
        scored = survey.is_scored(column.item_id)
        decoded[column.staged_name] = decoding.is_multi
        for exported, (label, score) in decoding.values.items():
            rows.append(
                (column.staged_name, exported, score if scored else label, decoding.is_multi)
            )
    if rows:
        ctx.conn.executemany("insert into staged_decodings values (?, ?, ?, ?)", rows)
    return decoded
