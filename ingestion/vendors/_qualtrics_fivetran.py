"""Qualtrics data as Fivetran's Qualtrics connector lands it, one table per CSV file.

- `survey_response`: one row per response (`id`, `survey_id`, `start_date`, `end_date`,
  `recorded_date`, `finished`, `progress`, `duration_in_seconds`, `distribution_channel`,
  `user_language`, `recipient_email`, `recipient_first_name`, `recipient_last_name`,
  `ip_address` and coordinates, which are not loaded). Times are UTC, written
  `YYYY-MM-DD HH:MM:SS.ffffff`.
- `question_response`: one row per answer (`response_id`, `question_id`,
  `sub_question_key` for a matrix row, `loop_id`, `value`, `text`). An item is the question
  id (`QID4`), with `_<sub question key>` for a matrix row and `_<loop id>` inside a loop,
  which is how the registry names these surveys' items. The answer is `value` (the
  recode value of a choice, or what was typed), else `text`. Its survey is its response's:
  the table is loaded after `survey_response`, and an answer whose response is in no load
  is quarantined with that reason.
- `question`, `question_option`, `sub_question` and `survey` describe the surveys, and
  `survey_embedded_data` holds fields no mart reads: they are skipped with the reason.
"""

from __future__ import annotations

from ingestion.layouts import TableLayout
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.csv_stage import stage_csv, staged_count
from ingestion.loaders.staging import insert_staged
from ingestion.loaders.tables import MissingColumnsError, staged_names_for
from ingestion.sniff import read_head
from ingestion.staged import SURVEY_ANSWERS, SURVEY_RESPONSES
from ingestion.vendors.base import CSV, FileFormat, Recognise, Refusal, Sample
from ingestion.vendors.fivetran import is_fivetran_table
from ingestion.vendors.formats import csv_table, refusal
from ingestion.warehouse import execute_sql_file

QUARANTINE_ORPHANS = "quarantine_orphaned_answers.sql"

RESPONSES = TableLayout(
    name="qualtrics_fivetran_survey_response",
    shape=SURVEY_RESPONSES,
    columns={
        "response_id": ("id",),
        "survey_id": ("survey_id",),
        "started_at": ("start_date",),
        "submitted_at": ("recorded_date",),
        "duration_seconds": ("duration_in_seconds",),
        "is_finished": ("finished",),
        "progress": ("progress",),
        "distribution_channel": ("distribution_channel",),
        "user_language": ("user_language",),
        "respondent_email": ("recipient_email",),
        "respondent_first_name": ("recipient_first_name",),
        "respondent_last_name": ("recipient_last_name",),
    },
    required=frozenset({"response_id", "survey_id", "submitted_at"}),
    description="Qualtrics responses as Fivetran lands them (table survey_response, CSV).",
    constants={"source_timezone": "UTC"},
    local_time_columns=("started_at", "submitted_at"),
    timezone="UTC",
    key="response_id",
)
ANSWERS = TableLayout(
    name="qualtrics_fivetran_question_response",
    shape=SURVEY_ANSWERS,
    columns={
        "response_id": ("response_id",),
        "question_id": ("question_id",),
        "sub_question_key": ("sub_question_key",),
        "loop_id": ("loop_id",),
        "value": ("value",),
        "text": ("text",),
    },
    required=frozenset({"response_id", "question_id", "value"}),
    description="Qualtrics answers as Fivetran lands them (table question_response, CSV).",
)
# Columns that tell the connector's tables which describe surveys apart.
DESCRIBING_TABLES: dict[str, frozenset[str]] = {
    "question": frozenset({"data_export_tag", "question_text", "question_type"}),
    "question_option": frozenset({"question_id", "recode_value", "key"}),
    "sub_question": frozenset({"question_id", "choice_data_export_tag", "key"}),
    "survey": frozenset({"survey_name", "survey_status"}),
    "survey_embedded_data": frozenset({"import_id", "key", "response_id", "value"}),
}


def _headers(sample: Sample) -> set[str]:
    return {header.strip().lower() for header in sample.headers}


def _is_table(layout: TableLayout, table: str) -> Recognise:
    def recognise(sample: Sample) -> str | None:
        if is_fivetran_table(sample) and not layout.missing_required(sample.headers):
            return f"Qualtrics {table} table as Fivetran lands it"
        return None

    return recognise


def _describes_surveys(sample: Sample) -> str | None:
    if not is_fivetran_table(sample):
        return None
    headers = _headers(sample)
    for table, columns in DESCRIBING_TABLES.items():
        if columns <= headers and table == "survey_embedded_data":
            return (
                "the Qualtrics connector's survey_embedded_data table: each response's"
                " embedded data fields, which no mart reads"
            )
        if columns <= headers:
            return (
                f"the Qualtrics connector's {table} table: it describes surveys and holds no"
                " responses"
            )
    return None


def load_answers(ctx: LoadContext) -> LoadCounts:
    """Stage the answers, give each its response's survey, quarantine the orphans, and write
    one raw row per response with its answers as lists."""
    headers = read_head(ctx.path, max_records=1).records[0]
    missing = ANSWERS.missing_required(headers)
    if missing:
        raise MissingColumnsError(f"{ANSWERS.name}: required columns missing: {', '.join(missing)}")
    rejected = stage_csv(
        ctx,
        staged_names_for(ANSWERS, headers),
        header_rows=1,
        target_table=SURVEY_ANSWERS.raw_table,
    )
    staged = staged_count(ctx)
    conn = ctx.conn
    # Each answer's survey is its response's, in whichever load the response came.
    conn.execute(
        "create or replace temp table staged_survey_answers as"
        " select responses.survey_id, staged.response_id,"
        " staged.question_id || coalesce('_' || nullif(trim(staged.sub_question_key), ''), '')"
        " || coalesce('_' || nullif(trim(staged.loop_id), ''), '') as item_id,"
        " coalesce(nullif(staged.value, ''), staged.text) as answer, staged._row_number"
        " from staged left join (select response_id, any_value(survey_id) as survey_id"
        " from raw.survey_responses group by response_id) as responses"
        " on staged.response_id = responses.response_id"
    )
    execute_sql_file(
        conn, QUARANTINE_ORPHANS, {**ctx.lineage(), "target_table": SURVEY_ANSWERS.raw_table}
    )
    orphans = conn.execute(
        "select count(*) from staged_survey_answers where survey_id is null"
    ).fetchone()
    orphaned = int(orphans[0]) if orphans else 0
    conn.execute("delete from staged_survey_answers where survey_id is null")
    # The responses the answers belong to, for the insert's join (the first row of each).
    conn.execute(
        "create or replace temp table staged_survey_responses as select survey_id,"
        " response_id, min(_row_number) as _row_number from staged_survey_answers"
        " group by survey_id, response_id"
    )
    insert_staged(ctx.conn, SURVEY_ANSWERS, {**ctx.lineage(), "pseudonym_key": ctx.pseudonym_key})
    return LoadCounts(
        rows_in=staged + rejected,
        rows_loaded=staged - orphaned,
        rows_quarantined=rejected + orphaned,
        target_table=SURVEY_ANSWERS.raw_table,
    )


RESPONSES_TABLE = csv_table(RESPONSES, "surveys")
FORMATS: tuple[FileFormat, ...] = (
    FileFormat(
        name=RESPONSES.name,
        family="surveys",
        target=SURVEY_RESPONSES,
        containers=frozenset({CSV}),
        recognise=_is_table(RESPONSES, "survey_response"),
        load=RESPONSES_TABLE.load,
        description=RESPONSES.description,
        stages_before_writing=True,
    ),
    FileFormat(
        name=ANSWERS.name,
        family="surveys",
        target=SURVEY_ANSWERS,
        containers=frozenset({CSV}),
        recognise=_is_table(ANSWERS, "question_response"),
        load=load_answers,
        description=ANSWERS.description,
        load_order=1,
        stages_before_writing=True,
    ),
)
REFUSALS: tuple[Refusal, ...] = (
    refusal(
        "qualtrics_fivetran_metadata",
        _describes_surveys,
        frozenset({CSV}),
        "surveys",
        describes_data=True,
    ),
)
