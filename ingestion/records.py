"""Vendor records as the vendor modules map them: one record, the raw rows it becomes.

A vendor module maps each item of a vendor payload (an API page's review, a survey
response, an order) to rows of the staged shapes (ingestion.staged), once; the file loaders
and the API clients both call that mapping.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Row = Mapping[str, object]


@dataclass(frozen=True)
class Record:
    """One vendor record (a review, a response, an order) and the raw rows it becomes."""

    key: str
    content_hash: str
    rows: Mapping[str, Sequence[Row]]  # staged shape (raw table name) -> rows


def make_record(key: str, content: Any, rows: Mapping[str, Sequence[Row]]) -> Record:
    """A record whose hash covers the vendor's JSON as received (key order ignored)."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return Record(key, hashlib.sha256(canonical.encode("utf-8")).hexdigest(), rows)


def text_or_none(value: object) -> str | None:
    """Raw keeps text as received: numbers and flags become their JSON text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def whole_number_text(value: object) -> str | None:
    """A rating as the text of a whole number when it is one (`3.0` and 3.0 are `3`);
    anything else as received, for the raw gate to refuse."""
    if value is None or isinstance(value, bool):
        return text_or_none(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() and "e" not in text.lower() else text
