"""Building blocks for vendor formats: flat tables, JSON documents, refusals.

A vendor module declares its formats with these; each knows how detection recognises it
and which loader reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from ingestion.layouts import TableLayout, normalise_header, shape_layout
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.json_documents import load_document_rows, read_document
from ingestion.loaders.json_lines import load_table_json_array, load_table_json_lines
from ingestion.loaders.spreadsheets import load_workbook_as_csv
from ingestion.loaders.surveys import SurveyColumn, load_wide_survey
from ingestion.loaders.tables import load_table_csv
from ingestion.records import Row
from ingestion.sniff import read_head
from ingestion.staged import SURVEY_RESPONSES, StagedShape
from ingestion.surveys.wording import guess_items
from ingestion.vendors.base import (
    CSV,
    JSON_ARRAY,
    JSON_DOCUMENT,
    JSON_LINES,
    VENDOR_PRIORITY,
    XLSX,
    FileFormat,
    Refusal,
    Sample,
)


def _keys(value: Any) -> list[str]:
    return [str(key) for key in value] if isinstance(value, dict) else []


def csv_table(layout: TableLayout, family: str, priority: int = VENDOR_PRIORITY) -> FileFormat:
    """A CSV export with one header row, told by its required columns."""

    def recognise(sample: Sample) -> str | None:
        if sample.headers and not layout.missing_required(sample.headers):
            return "header matches " + layout.name
        return None

    return FileFormat(
        name=layout.name,
        family=family,
        target=layout.shape,
        containers=frozenset({CSV}),
        recognise=recognise,
        load=lambda ctx: load_table_csv(ctx, layout),
        description=layout.description,
        priority=priority,
        stages_before_writing=True,
    )


def json_lines_table(
    layout: TableLayout, family: str, priority: int = VENDOR_PRIORITY
) -> FileFormat:
    """One flat JSON object per line, told by the first object's keys."""

    def recognise(sample: Sample) -> str | None:
        keys = _keys(sample.first_object)
        if keys and not layout.missing_required(keys):
            return "JSON lines of " + layout.name
        return None

    return FileFormat(
        name=layout.name,
        family=family,
        target=layout.shape,
        containers=frozenset({JSON_LINES}),
        recognise=recognise,
        load=lambda ctx: load_table_json_lines(ctx, layout),
        description=layout.description,
        priority=priority,
    )


def json_array_table(
    layout: TableLayout, family: str, priority: int = VENDOR_PRIORITY
) -> FileFormat:
    """One JSON array of flat objects, told by the first object's keys."""

    def recognise(sample: Sample) -> str | None:
        document = sample.document
        first = document[0] if isinstance(document, list) and document else None
        keys = _keys(first)
        if keys and not layout.missing_required(keys):
            return "JSON array of " + layout.name
        return None

    return FileFormat(
        name=layout.name,
        family=family,
        target=layout.shape,
        containers=frozenset({JSON_ARRAY}),
        recognise=recognise,
        load=lambda ctx: load_table_json_array(ctx, layout),
        description=layout.description,
        priority=priority,
    )


def json_document(
    name: str,
    family: str,
    shape: StagedShape,
    is_document: Callable[[Any], str | None],
    rows: Callable[[Any], Iterator[Row]],
    description: str,
    *,
    containers: frozenset[str] = frozenset({JSON_DOCUMENT}),
    **rules: Any,
) -> FileFormat:
    """A vendor's JSON document (an API page saved as a file, a webhook body), parsed whole
    in Python: such documents are one page of tens or hundreds of records. `rules` are
    layout rules (constants, whole-number columns) applied to the mapped rows."""
    layout = shape_layout(name, shape, **rules)

    def load(ctx: LoadContext) -> LoadCounts:
        return load_document_rows(ctx, layout, list(rows(read_document(ctx))))

    return FileFormat(
        name=name,
        family=family,
        target=shape,
        containers=containers,
        recognise=lambda sample: is_document(sample.document),
        load=load,
        description=description,
    )


def refusal(
    name: str,
    is_refused: Callable[[Sample], str | None],
    containers: frozenset[str],
    family: str | None = None,
    priority: int = VENDOR_PRIORITY,
    *,
    describes_data: bool = False,
) -> Refusal:
    return Refusal(name, containers, is_refused, family, priority, describes_data)


def first_object(document: Any, key: str) -> dict[str, Any]:
    """The first element of document[key] when that is a list of objects, else {}."""
    records = document.get(key) if isinstance(document, dict) else None
    if isinstance(records, list) and records and isinstance(records[0], dict):
        return records[0]
    return {}


def top_level_keys(document: Any) -> str:
    """The document's top-level keys, for a refusal that says what it saw."""
    keys = sorted(normalise_header(key) for key in _keys(document))
    return ", ".join(keys[:10]) + (" ..." if len(keys) > 10 else "")


ReadColumns = Callable[[list[list[str]]], "tuple[list[SurveyColumn], str | None]"]


def wide_survey(
    name: str,
    recognise: Callable[[Sample], str | None],
    read_columns: ReadColumns,
    header_rows: int,
    description: str,
    *,
    content_response_id: bool = False,
) -> FileFormat:
    """A survey export with one row per response and one column per item, below
    `header_rows` header rows that `read_columns` reads (and the zone they name)."""

    def load(ctx: LoadContext) -> LoadCounts:
        records = read_head(ctx.path, max_records=header_rows).records
        columns, zone = read_columns(records)
        return load_wide_survey(
            ctx, columns, header_rows, zone, content_response_id=content_response_id
        )

    def guess(sample: Sample) -> dict[str, str]:
        if len(sample.records) < header_rows:
            return {}
        columns, _ = read_columns(sample.records)
        return guess_items(
            {column.item_id: column.question_text or "" for column in columns if column.item_id}
        )

    return FileFormat(
        name=name,
        family="surveys",
        target=SURVEY_RESPONSES,
        containers=frozenset({CSV}),
        recognise=recognise,
        load=load,
        description=description,
        stages_before_writing=True,
        guess_items=guess,
    )


def workbook(csv_format: FileFormat, name: str) -> FileFormat:
    """The same export saved as an Excel workbook: its first sheet is written out as CSV
    and loaded as the CSV export is."""
    return replace(
        csv_format,
        name=name,
        containers=frozenset({XLSX}),
        load=lambda ctx: load_workbook_as_csv(ctx, csv_format.load),
        description=f"{csv_format.description} Saved as an Excel workbook (first sheet).",
    )
