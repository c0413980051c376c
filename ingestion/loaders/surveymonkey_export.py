"""SurveyMonkey response exports ("All individual responses", CSV or XLSX).

The shape followed (SurveyMonkey help, "Exporting responses: all individual responses"):
two header rows. Row 1 starts with the response fields Respondent ID, Collector ID,
Start Date, End Date, IP Address, Email Address, First Name, Last Name, Custom Data 1
(and further Custom Data N), then one column per question, its text written above the
first of its columns only. Row 2 is blank under the response fields and names each
question column: "Response" (or "Open-Ended Response") for single-answer questions, the
choice label for each choice of a multi-select question, the row label for each row of a
matrix, "Other (please specify)" for a write-in. A multi-select cell holds the choice's
label when chosen; a matrix cell holds the chosen column label.

Each (question, sub-column) is one item: its id is the question text, followed by
" | " and the sub-label when the question has several columns. Start and End Date are
written without a zone ("05/01/2024 09:03:07 AM"), in the zone the registry names.
"""

from __future__ import annotations

from ingestion.layouts import normalise_header
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.surveys import SurveyColumn, load_wide_survey, unique_staged_names
from ingestion.sniff import read_head

SURVEYMONKEY_RESPONSE_COLUMNS: dict[str, str | None] = {
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


def is_surveymonkey_export(records: list[list[str]]) -> bool:
    if len(records) < 2 or len(records[0]) < 2:
        return False
    first = [normalise_header(header) for header in records[0][:2]]
    return first == ["respondent_id", "collector_id"]


def surveymonkey_columns(records: list[list[str]]) -> list[SurveyColumn]:
    questions, labels = records[0], records[1]
    columns: list[SurveyColumn] = []
    question = ""
    for position, header in enumerate(questions):
        key = normalise_header(header)
        if key in SURVEYMONKEY_RESPONSE_COLUMNS:
            staged = SURVEYMONKEY_RESPONSE_COLUMNS[key] or f"_dropped_{position}"
            columns.append(SurveyColumn(position, staged, None, header, None))
            continue
        question = header.strip() or question
        label = labels[position].strip() if position < len(labels) else ""
        next_is_same_question = (
            position + 1 < len(questions)
            and not questions[position + 1].strip()
            and position + 1 < len(labels)
        )
        first_of_question = bool(header.strip())
        single = first_of_question and not next_is_same_question
        if single and label.lower() in _SINGLE_ANSWER_LABELS:
            item_id = question
        else:
            item_id = f"{question} | {label}" if label else question
        columns.append(SurveyColumn(position, f"item_{position:04d}", item_id, question, None))
    return unique_staged_names(columns)


def surveymonkey_question_texts(records: list[list[str]]) -> dict[str, str]:
    """Item id -> question text, for guessing instruments at detection."""
    if len(records) < 2:
        return {}
    return {
        column.item_id: column.question_text or ""
        for column in surveymonkey_columns(records)
        if column.item_id is not None
    }


def load_surveymonkey_csv(ctx: LoadContext) -> LoadCounts:
    records = read_head(ctx.path, max_records=2).records
    return load_wide_survey(ctx, surveymonkey_columns(records), header_rows=2, zone=None)
