"""Exports delivered as Excel workbooks (.xlsx), such as SurveyMonkey's and Google Forms'.

The first sheet is read with openpyxl in read-only mode, streamed row by row into a
temporary UTF-8 CSV, and that CSV goes through the same DuckDB reader and loader as the
vendor's CSV export. Cells become the text the CSV export would hold: real Excel
datetimes as `YYYY-MM-DD HH:MM:SS` (still local time, in the zone the registry names),
whole numbers without a trailing `.0`.
"""

from __future__ import annotations

import csv
import dataclasses
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ingestion.loaders.context import LoadContext, LoadCounts

_ZIP_MAGIC = b"PK\x03\x04"


class SpreadsheetError(ValueError):
    """A workbook that cannot be read; the message names the file."""


def is_xlsx(path: Path) -> bool:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return True
    with path.open("rb") as handle:
        if handle.read(4) != _ZIP_MAGIC:
            return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except BadZipFile:
        return False


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sheet_rows(path: Path) -> Iterator[list[str]]:
    """Rows of the first sheet as text; wholly empty rows (formatting only) are skipped."""
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError) as error:
        raise SpreadsheetError(f"{path.name}: not a readable Excel workbook: {error}") from error
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            row = [cell_text(value) for value in values]
            if any(cell.strip() for cell in row):
                yield row
    finally:
        workbook.close()


def read_sheet_head(path: Path, max_records: int = 4) -> list[list[str]]:
    records = []
    for row in sheet_rows(path):
        records.append(row)
        if len(records) >= max_records:
            break
    return records


def load_workbook_as_csv(
    ctx: LoadContext, load_csv: Callable[[LoadContext], LoadCounts]
) -> LoadCounts:
    """Write the first sheet as CSV, then load it as the vendor's CSV export (lineage, hash
    and file name stay the workbook's)."""
    with tempfile.TemporaryDirectory(prefix="pulse-xlsx-") as folder:
        copy = Path(folder) / (ctx.path.stem + ".csv")
        with copy.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            for row in sheet_rows(ctx.path):
                writer.writerow(row)
        return load_csv(dataclasses.replace(ctx, path=copy, encoding="utf-8"))
