"""Vendor JSON documents saved as files (an API page, a webhook body, a page's data).

Such a document is one page of a paginated API or one delivery: tens or hundreds of
records, parsed whole in Python by the vendor module's mapping, each record becoming one
staged row numbered by its place in the document.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ingestion.layouts import TableLayout
from ingestion.limits import MAX_JSON_DOCUMENT, LimitExceeded, loads_strict, refuse_size
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.staging import stage_rows
from ingestion.loaders.tables import finish_table_load
from ingestion.records import Row


class DocumentShapeError(ValueError):
    """The document is valid JSON but not the shape its format expects."""


def read_document(ctx: LoadContext) -> Any:
    """The file as one JSON document; a key named twice in one object or nesting beyond
    the depth limit refuses the file (LimitExceeded names which)."""
    too_big = refuse_size(ctx.path.stat().st_size, MAX_JSON_DOCUMENT, "a JSON document")
    if too_big:
        raise LimitExceeded(too_big)
    text = ctx.path.read_text(encoding=ctx.encoding)
    try:
        return loads_strict(text)
    except json.JSONDecodeError as error:
        raise DocumentShapeError(
            f"{ctx.file_name}: not a valid JSON document (line {error.lineno}: {error.msg})"
        ) from error


def load_document_rows(ctx: LoadContext, layout: TableLayout, rows: Sequence[Row]) -> LoadCounts:
    """Stage the mapped rows, then check and insert them as a flat file's rows are."""
    stage_rows(ctx.conn, layout.shape, rows, range(1, len(rows) + 1), table="staged")
    return finish_table_load(ctx, layout, rejected=0)
