"""Flat layouts: how the columns (or JSON keys) of a vendor's file map to a staged shape.

A layout names the accepted header spellings of every staged column. Headers are compared
after normalising (lower case, spaces and dashes to underscores), so `Order ID` and
`order_id` are the same column. Columns a layout does not know are not loaded. The
layouts themselves are declared by the vendor modules (`ingestion/vendors/`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingestion.staged import StagedShape


def normalise_header(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def same_names(*names: str) -> dict[str, tuple[str, ...]]:
    """Staged columns whose file column has the same name."""
    return {name: (name,) for name in names}


@dataclass(frozen=True)
class TableLayout:
    """A flat file whose rows become rows of one staged shape."""

    name: str
    shape: StagedShape
    # staged column -> accepted header spellings (normalised)
    columns: dict[str, tuple[str, ...]]
    required: frozenset[str]
    description: str = ""
    # Values for staged columns the vendor's file does not carry (the platform it is from).
    constants: dict[str, str] = field(default_factory=dict)
    # Staged columns holding wall-clock time stamps without a zone, rewritten as ISO 8601
    # UTC; `timezone` names the zone they are in (None: the configured default zone).
    local_time_columns: tuple[str, ...] = ()
    timezone: str | None = None
    # Staged columns holding a whole number some vendors write as a decimal (Yelp's `3.0`
    # stars): typed to the whole number's text on load, anything else kept as sent.
    whole_number_columns: tuple[str, ...] = ()
    # Statement files (ingestion/sql) run on the staged rows before they are checked.
    derive_sql: tuple[str, ...] = ()
    # Rows are keyed by `key` (by default the shape's first key column), unique within
    # the file; a poll export repeats its poll id once per option, so it is not checked.
    unique_key: bool = True
    key: str | None = None

    @property
    def key_column(self) -> str:
        return self.key or self.shape.key[0]

    def match_headers(self, headers: list[str]) -> dict[int, str]:
        """Position in the file -> staged column, for the headers this layout knows."""
        spellings = {
            spelling: column for column, names in self.columns.items() for spelling in names
        }
        matched: dict[int, str] = {}
        for position, header in enumerate(headers):
            column = spellings.get(normalise_header(header))
            if column is not None and column not in matched.values():
                matched[position] = column
        return matched

    def duplicated(self, headers: list[str]) -> str | None:
        """Why the file is refused when two of its columns fill the same staged column
        (`rating` twice, or `rating` and `stars`): which one holds the value is a guess."""
        spellings = {
            spelling: column for column, names in self.columns.items() for spelling in names
        }
        seen: dict[str, int] = {}
        for position, header in enumerate(headers):
            column = spellings.get(normalise_header(header))
            if column is None:
                continue
            if column in seen:
                first = seen[column]
                return (
                    f"columns {first + 1} ({headers[first]!r}) and {position + 1}"
                    f" ({header!r}) both give {column}: remove one and deliver the file again"
                )
            seen[column] = position
        return None

    def missing_required(self, headers: list[str]) -> list[str]:
        found = set(self.match_headers(headers).values())
        return sorted(self.required - found)


def shape_layout(name: str, shape: StagedShape, **rules: object) -> TableLayout:
    """The layout of rows already mapped to a shape's columns (JSON documents, API items):
    nothing to match, the shape's own rules still apply."""
    return TableLayout(
        name=name,
        shape=shape,
        columns=same_names(*shape.columns),
        required=frozenset(shape.key[:1]),
        **rules,  # type: ignore[arg-type]
    )
