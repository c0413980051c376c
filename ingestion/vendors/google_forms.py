"""Google Forms: responses downloaded from the form's linked Sheet, as CSV or workbook.

One header row of question texts, the first column the submission time (`Timestamp`, in
the language of the form owner's account) in the owner's zone, which the registry names;
written `M/D/YYYY H:MM:SS` (or without seconds, or `YYYY/MM/DD`). A response has no id:
its own content identifies it, so a later, longer download of the Sheet is recognised.
"""

from __future__ import annotations

from ingestion.layouts import normalise_header
from ingestion.loaders.surveys import SurveyColumn, unique_staged_names
from ingestion.vendors.base import Sample, Vendor
from ingestion.vendors.formats import wide_survey, workbook

NAME = "google_forms"

# The first column Google Forms writes, in the languages of the form owner's account.
TIMESTAMP_HEADERS = frozenset(
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
RESPONSE_COLUMNS: dict[str, str | None] = {
    "email_address": "respondent_email",
    "email": "respondent_email",
    "score": None,
}


def columns(records: list[list[str]]) -> tuple[list[SurveyColumn], str | None]:
    headers = records[0]
    found = [SurveyColumn(0, "submitted_at", None, headers[0], None)]
    for position, header in enumerate(headers[1:], start=1):
        key = normalise_header(header)
        if key in RESPONSE_COLUMNS:
            staged = RESPONSE_COLUMNS[key] or f"_dropped_{position}"
            found.append(SurveyColumn(position, staged, None, header, None))
        else:
            found.append(
                SurveyColumn(position, f"item_{position:04d}", header.strip(), header, None)
            )
    return unique_staged_names(found), None


def _is_responses_sheet(sample: Sample) -> str | None:
    headers = sample.headers
    if headers and headers[0].strip().lower() in TIMESTAMP_HEADERS:
        return f"first column is {headers[0]!r}"
    return None


RESPONSES_CSV = wide_survey(
    "google_forms_csv",
    _is_responses_sheet,
    columns,
    header_rows=1,
    description="Google Forms responses downloaded from the linked Sheet as CSV.",
    content_response_id=True,
)

VENDOR = Vendor(
    name=NAME,
    family="surveys",
    description="Google Forms responses from the form's linked Sheet (CSV or workbook).",
    formats=(RESPONSES_CSV, workbook(RESPONSES_CSV, "google_forms_xlsx")),
)
