"""Wide survey exports: one row per response becomes a response row and an answers row.

The vendor module reads the export's header rows into `SurveyColumn`s (which column is a
response field, which an item, with its question text and import id); this module stages
the rows with DuckDB's CSV reader, quarantines what cannot be loaded, and writes the
responses, their answers (decoded through the survey definition the registry names) and
the questions the header declares.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import PurePosixPath

from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.csv_stage import quarantine_invalid_keys, stage_csv, staged_count
from ingestion.loaders.mojibake import quarantine_mojibake
from ingestion.loaders.staging import add_missing_columns, insert_staged, promote_staged
from ingestion.loaders.survey_answers import AnswerColumn, insert_survey_answers_sql
from ingestion.loaders.survey_scores import quarantine_invalid_scores, scored_columns
from ingestion.staged import SURVEY_RESPONSES
from ingestion.surveys.qsf import load_definition
from ingestion.surveys.registry import SurveyDefinition
from ingestion.surveys.wording import guess_items
from ingestion.warehouse import execute_sql_file

log = logging.getLogger(__name__)

NO_REGISTRY_ENTRY_HINT = "`pulse registry suggest FILE` proposes an entry to review"


@dataclass(frozen=True)
class SurveyColumn:
    position: int
    staged_name: str
    item_id: str | None  # None for response-level columns
    question_text: str | None
    import_id: str | None


class DuplicatedColumnsError(ValueError):
    """A response field appears twice in the export; nothing of it is loaded."""


def unique_staged_names(columns: list[SurveyColumn]) -> list[SurveyColumn]:
    """An item id that appears twice gets a numbered suffix ("Q1", "Q1.1"), as pandas
    names repeated columns, so each column's answers stay apart. A response field that
    appears twice (two ResponseId columns) refuses the file: which one is the response's
    is a guess."""
    seen: set[str] = set()
    item_ids = {column.item_id for column in columns if column.item_id is not None}
    seen_items: set[str] = set()
    unique: list[SurveyColumn] = []
    for column in columns:
        if column.staged_name in seen:
            first = next(other for other in unique if other.staged_name == column.staged_name)
            raise DuplicatedColumnsError(
                f"columns {first.position + 1} and {column.position + 1} both give the"
                f" response's {column.staged_name}: remove one and deliver the file again"
            )
        if column.item_id is not None and column.item_id in seen_items:
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
            " loaded as survey %r. Wording suggests: %s; %s",
            ctx.file_name,
            survey_id,
            guesses or "nothing recognisable",
            NO_REGISTRY_ENTRY_HINT,
        )

    rejected = stage_csv(
        ctx, [column.staged_name for column in columns], header_rows, SURVEY_RESPONSES.raw_table
    )
    add_missing_columns(ctx.conn, "staged", SURVEY_RESPONSES.columns)
    if content_response_id:
        # Google Forms has no response id: the response's own content identifies it, so
        # the same response in a later, longer download of the Sheet is recognised.
        ctx.conn.execute(
            "update staged set response_id = 'gf_' || md5(cast(content as varchar))"
            " from (select _row_number as row_id,"
            " columns(* exclude (_row_number, survey_id, source_timezone))"
            " from staged) as content where staged._row_number = content.row_id"
        )
    staged = staged_count(ctx)
    garbled = quarantine_mojibake(
        ctx,
        [c.staged_name for c in columns if not c.staged_name.startswith("_dropped_")],
        SURVEY_RESPONSES.raw_table,
    )
    bad_keys = quarantine_invalid_keys(ctx, "response_id", SURVEY_RESPONSES.raw_table)
    decoded = _stage_decodings(ctx, survey, columns)
    bad_scores = quarantine_invalid_scores(
        ctx,
        survey_id,
        scored_columns(survey, [(column.staged_name, column.item_id) for column in columns]),
        SURVEY_RESPONSES.raw_table,
    )
    # Every response of the file belongs to one survey, in one zone.
    ctx.conn.execute(
        "update staged set survey_id = $survey_id, source_timezone = $timezone",
        {"survey_id": survey_id, "timezone": timezone},
    )
    promote_staged(ctx.conn, SURVEY_RESPONSES)

    _stage_item_map(ctx, columns)
    params = {**ctx.lineage(), "survey_id": survey_id, "pseudonym_key": ctx.pseudonym_key}
    insert_staged(ctx.conn, SURVEY_RESPONSES, params)
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
        rows_loaded=staged - garbled - bad_keys - bad_scores,
        rows_quarantined=rejected + garbled + bad_keys + bad_scores,
        target_table=SURVEY_RESPONSES.raw_table,
    )


def _stage_item_map(ctx: LoadContext, columns: list[SurveyColumn]) -> None:
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
