"""Survey responses a vendor module mapped in Python (JSON bodies, JSON lines, EL-tool
envelopes): each record is one response row and its answer rows, staged and written by
the same statements as the API pulls use."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.csv_stage import quarantine_invalid_keys, staged_count
from ingestion.loaders.quarantine import quarantine_records
from ingestion.loaders.staging import insert_staged, promote_staged, stage_rows
from ingestion.loaders.survey_scores import WHOLE_NUMBER, ScoredColumn, scored_columns
from ingestion.records import Record, Row
from ingestion.staged import SURVEY_ANSWERS, SURVEY_RESPONSES


def default_survey_id(ctx: LoadContext) -> str:
    """The survey a file's responses belong to when neither registry nor record says:
    the file's name without its suffix."""
    return PurePosixPath(ctx.file_name).stem


def load_survey_records(
    ctx: LoadContext, numbered: Sequence[tuple[int, Record]], rejected: int = 0
) -> LoadCounts:
    """Write each record's response (numbered by its place in the file) and answers.

    A response without an id, or repeating one already in the file, is quarantined with
    its answers; `rejected` counts records quarantined before mapping (bad JSON lines).
    """
    fallback = default_survey_id(ctx)
    responses: list[Row] = []
    numbers: list[int] = []
    answers: list[tuple[int, Row]] = []
    for number, record in numbered:
        for response in record.rows.get(SURVEY_RESPONSES.table, ()):
            responses.append({**response, "survey_id": response.get("survey_id") or fallback})
            numbers.append(number)
        for answer in record.rows.get(SURVEY_ANSWERS.table, ()):
            answers.append((number, {**answer, "survey_id": answer.get("survey_id") or fallback}))
    invalid = _invalid_scores(ctx, answers)
    if invalid:
        quarantine_records(
            ctx,
            SURVEY_RESPONSES.raw_table,
            [
                (
                    number,
                    {"response": response, "answers": [a for n, a in answers if n == number]},
                    invalid[number],
                )
                for number, response in zip(numbers, responses, strict=True)
                if number in invalid
            ],
        )
        kept_rows = [(n, r) for n, r in zip(numbers, responses, strict=True) if n not in invalid]
        numbers = [number for number, _ in kept_rows]
        responses = [response for _, response in kept_rows]
        answers = [(number, answer) for number, answer in answers if number not in invalid]
        rejected += len(invalid)
    conn = ctx.conn
    stage_rows(conn, SURVEY_RESPONSES, responses, numbers, table="staged")
    staged = staged_count(ctx)
    bad_keys = quarantine_invalid_keys(ctx, "response_id", SURVEY_RESPONSES.raw_table)
    if bad_keys:  # a quarantined response takes its answers with it
        kept = {row[0] for row in conn.execute("select _row_number from staged").fetchall()}
        answers = [(number, answer) for number, answer in answers if number in kept]
    promote_staged(conn, SURVEY_RESPONSES)
    stage_rows(conn, SURVEY_ANSWERS, [answer for _, answer in answers], range(1, len(answers) + 1))
    params = {**ctx.lineage(), "pseudonym_key": ctx.pseudonym_key}
    insert_staged(conn, SURVEY_RESPONSES, params)
    insert_staged(conn, SURVEY_ANSWERS, params)
    return LoadCounts(
        rows_in=staged + rejected,
        rows_loaded=staged - bad_keys,
        rows_quarantined=rejected + bad_keys,
        target_table=SURVEY_RESPONSES.raw_table,
    )


def _invalid_scores(ctx: LoadContext, answers: Sequence[tuple[int, Row]]) -> dict[int, str]:
    """Record number -> why, for records with a scored answer that is not a whole number
    on its item's registered scale (see ingestion.loaders.survey_scores)."""
    by_file = ctx.registry.survey_for(ctx.file_name)
    surveys = {survey.survey_id: survey for survey in ctx.registry.surveys}
    scored: dict[str, dict[str, ScoredColumn]] = {}
    invalid: dict[int, str] = {}
    for number, answer in answers:
        survey_id = str(answer.get("survey_id") or "")
        if survey_id not in scored:
            survey = by_file or surveys.get(survey_id)
            items = [(str(item.item_id), item.item_id) for item in survey.items] if survey else []
            scored[survey_id] = {column.item_id: column for column in scored_columns(survey, items)}
        column = scored[survey_id].get(str(answer.get("item_id") or ""))
        value = str(answer.get("answer") or "").strip()
        if column is None or not value or number in invalid:
            continue
        if re.fullmatch(WHOLE_NUMBER, value) and (
            column.scale_min <= int(value.split(".")[0]) <= column.scale_max
        ):
            continue
        invalid[number] = (
            f"answer {value!r} to {column.item_id} ({column.instrument} of survey"
            f" {survey_id}) is not a whole number on its scale"
            f" {column.scale_min}..{column.scale_max}"
        )
    return invalid
