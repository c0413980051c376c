"""Tell which vendor and format wrote a file, from its first records alone.

Detection reads the file as what it is (a workbook, one JSON document, JSON lines, or
delimited text), then asks the vendor registry's formats, most specific first. A file no
format recognises is refused with what was seen; a compressed or binary file is refused as
such.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingestion.errors import one_line
from ingestion.layouts import normalise_header
from ingestion.limits import (
    MAX_JSON_DOCUMENT,
    MAX_TEXT_FILE,
    MAX_WORKBOOK,
    LimitExceeded,
    loads_strict,
    refuse_size,
)
from ingestion.loaders.spreadsheets import SpreadsheetError, is_xlsx, read_sheet_head
from ingestion.sniff import binary_kind, file_encoding, read_head
from ingestion.vendors import file_formats, refusals
from ingestion.vendors.base import (
    CSV,
    JSON_ARRAY,
    JSON_DOCUMENT,
    JSON_LINES,
    XLSX,
    FileFormat,
    Refusal,
    Sample,
    Vendor,
)
from ingestion.vendors.formats import top_level_keys


@dataclass(frozen=True)
class Detection:
    """What a file is. `layout` (the format's name) is None when Customer Pulse does not
    read it; `reason` says what was seen either way."""

    path: str
    family: str | None
    vendor: str | None
    layout: str | None
    encoding: str
    reason: str
    # For survey files: item id -> instrument guessed from the question wording. A guess
    # is a hint for the registry, never applied to a metric.
    guessed_items: dict[str, str] = field(default_factory=dict)
    # Refused, but only because it describes data (a survey definition): skipped, not failed.
    describes_data: bool = False

    @property
    def supported(self) -> bool:
        return self.layout is not None

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "supported": self.supported}


def detect(path: Path) -> Detection:
    """Detect vendor and format of one file; never raises (a file that cannot be read at
    all is refused with the reason)."""
    try:
        return _detect(path)
    except LimitExceeded as error:
        return _refused(path, "unknown", str(error))
    except Exception as error:  # a hostile file must not stop the files after it
        return _refused(path, "unknown", f"could not be read: {one_line(error)}")


def _detect(path: Path) -> Detection:
    size = path.stat().st_size
    if is_xlsx(path):
        too_big = refuse_size(size, MAX_WORKBOOK, "a workbook")
        return _refused(path, "xlsx", too_big) if too_big else _detect_workbook(path)
    kind = binary_kind(path)
    if kind is not None:
        return _refused(path, "binary", kind)
    too_big = refuse_size(size, MAX_TEXT_FILE, "a file")
    if too_big:
        return _refused(path, "unknown", too_big)
    head = read_head(path)
    if not head.text.strip():
        return _refused(path, head.encoding, "empty file")
    encoding = file_encoding(path, head.encoding)
    if head.first_char in ("{", "["):
        sample, unknown = _json_sample(path, head.text, encoding)
    else:
        sample = Sample(path, encoding, CSV, records=head.records)
        if not sample.headers:
            return _refused(path, head.encoding, "empty file: no header row")
        known = ", ".join(normalise_header(header) for header in sample.headers[:8])
        unknown = f"no known layout has the columns [{known}]"
    detection = _match(sample, unknown)
    if detection.layout is None and sample.container == JSON_DOCUMENT and sample.document:
        # One object is also a file of JSON lines with one line: a day with one review.
        as_lines = _match(Sample(path, encoding, JSON_LINES, first_object=sample.document), "")
        if as_lines.layout is not None:
            return as_lines
    return detection


def _detect_workbook(path: Path) -> Detection:
    """A workbook's first sheet is judged by the rules of the vendors' workbook formats;
    one that only a CSV format recognises is refused, saying so."""
    try:
        records = read_sheet_head(path)
    except SpreadsheetError as error:
        return _refused(path, "xlsx", str(error))
    sample = Sample(path, "xlsx", XLSX, records=records)
    detection = _match(sample, "")
    if detection.layout is not None or detection.vendor is not None:
        return detection
    as_csv = _match(Sample(path, "xlsx", CSV, records=records), "")
    if as_csv.layout is not None:
        reason = f"{as_csv.reason}; this layout is read from CSV only, not from a workbook"
        return Detection(str(path), as_csv.family, as_csv.vendor, None, "xlsx", reason)
    known = ", ".join(normalise_header(header) for header in (records[0] if records else [])[:8])
    return _refused(path, "xlsx", f"workbook: no known layout has the columns [{known}]")


def _json_sample(path: Path, text: str, encoding: str) -> tuple[Sample, str]:
    """The file as one JSON document, else as JSON lines; and what to say when no format
    recognises it."""
    document = _parse_document(path, text, encoding)
    if isinstance(document, dict):
        keys = top_level_keys(document)
        return Sample(path, encoding, JSON_DOCUMENT, document=document), (
            f"valid JSON, unknown shape: top-level keys {keys or '(none)'}"
        )
    if isinstance(document, list):
        first = document[0] if document else None
        seen = (
            f"first element's keys {top_level_keys(first)}"
            if isinstance(first, dict)
            else "no objects"
        )
        return Sample(path, encoding, JSON_ARRAY, document=document), (
            f"valid JSON array, unknown shape: {seen}"
        )
    first_line = text.lstrip().split("\n", 1)[0]
    try:
        first = json.loads(first_line)
    except (ValueError, RecursionError):
        if path.stat().st_size > MAX_JSON_DOCUMENT.value() and "\n" not in text.strip():
            # One document too big to parse whole, not lines: say so rather than guess.
            raise LimitExceeded(
                refuse_size(path.stat().st_size, MAX_JSON_DOCUMENT, "a JSON document") or ""
            ) from None
        return Sample(path, encoding, JSON_LINES), "not valid JSON, nor JSON lines"
    if isinstance(first, dict):
        seen = f"JSON lines of unknown shape: first line's keys {top_level_keys(first)}"
    else:
        seen = "JSON lines whose first line is not an object"
    return Sample(path, encoding, JSON_LINES, first_object=first), seen


def _parse_document(path: Path, text: str, encoding: str) -> Any:
    """The whole file as one JSON document, or None when it is not one (JSON lines).

    A document nested beyond the depth limit, or naming a key twice in one object, is
    refused (LimitExceeded) rather than parsed."""
    size = path.stat().st_size
    if size > len(text.encode("utf-8")):
        if size > MAX_JSON_DOCUMENT.value():
            return None  # not read whole: JSON lines, else refused by the caller
        try:
            text = path.read_text(encoding=encoding)
        except UnicodeError:
            return None
    try:
        json.loads(text)
    except RecursionError:
        pass  # loads_strict says why
    except ValueError:
        return None  # not one document: JSON lines, or not JSON
    return loads_strict(text)


def _match(sample: Sample, unknown: str) -> Detection:
    candidates: list[tuple[int, int, Vendor, FileFormat | Refusal]] = [
        (fmt.priority, 0, vendor, fmt) for vendor, fmt in file_formats()
    ]
    candidates += [(refused.priority, 1, vendor, refused) for vendor, refused in refusals()]
    candidates.sort(key=lambda candidate: (candidate[0], candidate[1]))
    for _, _, vendor, candidate in candidates:
        if sample.container not in candidate.containers:
            continue
        reason = candidate.recognise(sample)
        if reason is None:
            continue
        if isinstance(candidate, Refusal):
            return Detection(
                str(sample.path),
                candidate.family,
                vendor.name,
                None,
                sample.encoding,
                reason,
                describes_data=candidate.describes_data,
            )
        guesses = candidate.guess_items(sample) if candidate.guess_items else {}
        return Detection(
            str(sample.path),
            candidate.family,
            vendor.name,
            candidate.name,
            sample.encoding,
            reason,
            guesses,
        )
    return _refused(sample.path, sample.encoding, unknown)


def _refused(path: Path, encoding: str, reason: str) -> Detection:
    return Detection(str(path), None, None, None, encoding, reason)
