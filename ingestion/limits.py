"""How much of a file the parsers take on: limits that refuse with a reason, never crash.

A landing folder is written by other systems and by people; a file may be huge, nested
without end or hold one enormous line. Each reader has a limit of its own, and a file or
record beyond it is refused (the file failed, the record quarantined) with a reason that
names the limit and its setting. The limits are settings (environment variables, read
when asked for), so a deployment with unusual exports can raise them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    setting: str  # the environment variable
    default: int
    unit: int = 1  # the setting's unit in bytes (MB) or 1

    def value(self) -> int:
        text = os.environ.get(self.setting, "").strip()
        try:
            number = int(text) if text else self.default
        except ValueError:
            raise ValueError(f"{self.setting}={text!r} is not a whole number") from None
        return max(number, 1) * self.unit


# Delimited text and JSON lines are streamed by DuckDB: only the disk limits them.
MAX_TEXT_FILE = Limit("PULSE_MAX_FILE_MB", 20 * 1024, MB)
# openpyxl unpacks a workbook's sheet XML, which is many times the size of the file.
MAX_WORKBOOK = Limit("PULSE_MAX_WORKBOOK_MB", 200, MB)
# A JSON document is one page of a vendor API, parsed whole in Python.
MAX_JSON_DOCUMENT = Limit("PULSE_MAX_JSON_DOCUMENT_MB", 20, MB)
# No vendor nests its records more than a dozen levels deep.
MAX_JSON_DEPTH = Limit("PULSE_MAX_JSON_DEPTH", 64)
# One record (a CSV row, a JSON line); DuckDB's own default.
MAX_LINE = Limit("PULSE_MAX_LINE_MB", 2, MB)


class LimitExceeded(ValueError):
    """A file or document beyond a parser's limit; the message names the limit."""


def refuse_size(size: int, limit: Limit, what: str) -> str | None:
    """The reason a file of `size` bytes is refused, or None when it is within the limit."""
    allowed = limit.value()
    if size <= allowed:
        return None
    return (
        f"{what} of {_megabytes(size)}: larger than the limit of {_megabytes(allowed)}"
        f" ({limit.setting})"
    )


def _megabytes(size: int) -> str:
    return f"{size / MB:,.1f} MB"


def json_depth(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (a scalar is 0)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise LimitExceeded(
                f"the JSON object names the key {key!r} twice: ambiguous, not loaded"
            )
        document[key] = value
    return document


def loads_strict(text: str, loads: Callable[..., Any] = json.loads) -> Any:
    """Parse one JSON document, refusing what no reader should guess at: a key named twice
    in one object, and nesting beyond MAX_JSON_DEPTH (Python's parser would give up with
    a RecursionError far deeper, after using the whole stack)."""
    try:
        document = loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except RecursionError:
        document = None
        depth = None
    else:
        depth = json_depth(document)
    allowed = MAX_JSON_DEPTH.value()
    if depth is None or depth > allowed:
        raise LimitExceeded(
            f"JSON nested more than {allowed} levels deep ({MAX_JSON_DEPTH.setting})"
        )
    return document
