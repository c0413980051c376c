"""Tell which vendor and layout wrote a file, from its first records alone."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingestion.layouts import TABLE_LAYOUTS, normalise_header
from ingestion.sniff import FileHead, read_head
from ingestion.surveys.wording import guess_items

# The first column Google Forms writes, in the languages of the form owner's account.
GOOGLE_FORMS_TIMESTAMP_HEADERS = frozenset(
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
MICROSOFT_FORMS_HEADERS = ("id", "start time", "completion time")


@dataclass(frozen=True)
class Detection:
    """What a file is. `layout` is None when the file is not one Customer Pulse reads."""

    path: str
    family: str | None
    vendor: str | None
    layout: str | None
    encoding: str
    reason: str
    # For survey files: item id -> instrument guessed from the question wording. A guess
    # is a hint for the registry, never applied to a metric.
    guessed_items: dict[str, str] = field(default_factory=dict)

    @property
    def supported(self) -> bool:
        return self.layout is not None

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "supported": self.supported}


class UnknownFormatError(ValueError):
    """A file Customer Pulse cannot read, with the reason."""


def _is_qualtrics_import_id(cell: str) -> bool:
    try:
        parsed = json.loads(cell)
    except ValueError:
        return False
    return isinstance(parsed, dict) and "ImportId" in parsed


def _detect_csv(head: FileHead) -> tuple[str | None, str | None, str | None, str]:
    headers = head.records[0] if head.records else []
    lowered = [header.strip().lower() for header in headers]
    if not headers:
        return None, None, None, "empty file: no header row"
    if len(head.records) >= 3 and head.records[2] and _is_qualtrics_import_id(head.records[2][0]):
        return (
            "surveys",
            "qualtrics",
            "qualtrics_csv_3_header",
            "three header rows; row 3 holds ImportId JSON",
        )
    if lowered[:10] == [f"v{i}" for i in range(1, 11)]:
        return (
            "surveys",
            "qualtrics",
            None,
            "Qualtrics legacy export (V1..V10 columns): this layout is not supported yet; "
            "export with 'Use legacy format' switched off",
        )
    if tuple(lowered[:3]) == MICROSOFT_FORMS_HEADERS:
        return (
            "surveys",
            "microsoft_forms",
            None,
            "Microsoft Forms export (ID, Start time, Completion time): not supported",
        )
    if lowered[0] in GOOGLE_FORMS_TIMESTAMP_HEADERS:
        return "surveys", "google_forms", "google_forms_csv", f"first column is {headers[0]!r}"
    for layout in TABLE_LAYOUTS:
        if not layout.missing_required(headers):
            return layout.family, layout.vendor, layout.name, "header matches " + layout.name
    known = ", ".join(normalise_header(header) for header in headers[:8])
    return None, None, None, f"no known layout has the columns [{known}]"


def _detect_json(head: FileHead) -> tuple[str | None, str | None, str | None, str]:
    first_line = head.text.lstrip().split("\n", 1)[0]
    try:
        first = json.loads(first_line)
    except ValueError:
        return None, None, None, "JSON document: only JSON lines (one object per line) is read"
    if isinstance(first, dict):
        fields = {normalise_header(key) for key in first}
        if {"review_id", "rating", "platform"} <= fields:
            return (
                "reviews",
                "generic",
                "generic_review_jsonl",
                "JSON lines with review_id, platform, rating",
            )
        return None, None, None, f"JSON lines with unknown fields {sorted(fields)[:8]}"
    return None, None, None, "JSON lines whose first line is not an object"


def detect(path: Path) -> Detection:
    """Detect vendor and layout of one file; never raises for a readable file."""
    head = read_head(path)
    if not head.text.strip():
        family, vendor, layout, reason = None, None, None, "empty file"
    elif head.first_char in ("{", "["):
        family, vendor, layout, reason = _detect_json(head)
    else:
        family, vendor, layout, reason = _detect_csv(head)
    return Detection(
        path=str(path),
        family=family,
        vendor=vendor,
        layout=layout,
        encoding=head.encoding,
        reason=reason,
        guessed_items=_guess_survey_items(layout, head),
    )


def _guess_survey_items(layout: str | None, head: FileHead) -> dict[str, str]:
    if layout == "qualtrics_csv_3_header":
        ids, texts = head.records[0], head.records[1]
        return guess_items(dict(zip(ids, texts, strict=False)))
    if layout == "google_forms_csv":
        return guess_items({header.strip(): header for header in head.records[0][1:]})
    return {}
