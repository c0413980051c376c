"""Qualtrics API v3 response export of one survey.

POST /API/v3/surveys/{surveyId}/export-responses {"format": "csv", "useLabels": false,
"startDate": ...} starts an export and answers a progressId; GET
.../export-responses/{progressId} is polled until its status is "complete" (then it names
a fileId; "failed" is an error); GET .../export-responses/{fileId}/file answers a ZIP
holding one CSV in the current 3-header format. The CSV is parsed by the survey-file
loader's own Qualtrics header reading and DuckDB's CSV reader, and its responses go
through the API window in pages of `page_size` responses. The cursor is the newest
RecordedDate loaded; the next export starts a lookback before it. The credential travels
in the X-API-TOKEN header.
"""

from __future__ import annotations

import io
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from ingestion import settings as pulse_settings
from ingestion.api.config import VendorSettings, vendor_settings
from ingestion.api.http import ApiError, HttpClient
from ingestion.api.window import Page
from ingestion.loaders.csv_stage import read_csv_into_staged, readable_by_duckdb
from ingestion.loaders.surveys import SurveyColumn
from ingestion.records import Record
from ingestion.sniff import read_head
from ingestion.timestamps import format_utc, latest, parse_utc
from ingestion.vendors.qualtrics import NAME as SOURCE
from ingestion.vendors.qualtrics import export_response_record, three_header_columns

VENDOR = "qualtrics"
DEFAULT_PAGE_SIZE = 500  # responses committed per transaction; the export itself is one file
DEFAULT_LOOKBACK_DAYS = 3
DEFAULT_POLL_SECONDS = 2
DEFAULT_MAX_POLLS = 300


@dataclass(frozen=True)
class ExportFile:
    """The export's CSV as DuckDB reads it, and what its three header rows say."""

    name: str
    path: Path
    encoding: str
    column_ids: list[str]
    columns: list[SurveyColumn]
    timezone: str


def read_export_zip(body: bytes, folder: Path, export_name: str) -> ExportFile:
    """Unpack the one CSV of an export ZIP into `folder` and read its headers."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
    except zipfile.BadZipFile:
        raise ApiError(f"{VENDOR}: {export_name} is not a ZIP file") from None
    with archive:
        members = [name for name in archive.namelist() if name.lower().endswith(".csv")]
        if len(members) != 1:
            raise ApiError(f"{VENDOR}: {export_name} holds {len(members)} CSV files, not one")
        path = folder / "export.csv"
        path.write_bytes(archive.read(members[0]))
    name = f"{export_name}/{members[0]}"
    head = read_head(path, max_records=3)
    if len(head.records) < 3:
        raise ApiError(f"{VENDOR}: {name} has fewer than the three header rows of an export")
    columns, zone = three_header_columns(head.records)
    if not any(column.import_id for column in columns):
        raise ApiError(f"{VENDOR}: {name} row 3 holds no ImportId: not a 3-header export")
    staged_names = {column.staged_name for column in columns}
    for staged, header in (("response_id", "ResponseId"), ("submitted_at", "RecordedDate")):
        if staged not in staged_names:
            raise ApiError(f"{VENDOR}: {name} has no {header} column")
    timezone = zone or pulse_settings.default_timezone()
    return ExportFile(name, path, head.encoding, head.records[0], columns, timezone)


def staged_responses(
    conn: duckdb.DuckDBPyConnection, export: ExportFile
) -> duckdb.DuckDBPyConnection:
    """Stage the export's records with DuckDB's reader; any unparseable record is an error."""
    columns = {column.staged_name: "VARCHAR" for column in export.columns}
    with readable_by_duckdb(export.path, export.encoding) as (readable, encoding):
        read_csv_into_staged(conn, readable, 3, columns, encoding)
    rejected = conn.execute(
        "select line, error_type, error_message from reject_errors order by line limit 1"
    ).fetchone()
    if rejected is not None:
        line, kind, message = rejected
        raise ApiError(f"{VENDOR}: {export.name} line {line}: {str(kind).lower()}: {message}")
    return conn.execute("select * exclude (_row_number) from staged order by _row_number")


def recorded_at(record: Record, export: ExportFile, line: int) -> str | None:
    """The response's RecordedDate ("2026-01-05 10:11:12" in the export's zone) as UTC."""
    text = record.rows["survey_responses"][0]["submitted_at"]
    if not text:
        return None
    try:
        local = datetime.fromisoformat(str(text))
    except ValueError:
        raise ApiError(
            f"{VENDOR}: {export.name} line {line}: RecordedDate {text!r} is not a date and time"
        ) from None
    return format_utc(local.replace(tzinfo=ZoneInfo(export.timezone)))


def response_record(survey_id: str, export: ExportFile, values: Sequence[Any], line: int) -> Record:
    record = export_response_record(
        survey_id, export.columns, export.column_ids, values, export.timezone
    )
    if not record.rows["survey_responses"][0]["response_id"]:
        raise ApiError(f"{VENDOR}: {export.name} line {line}: the ResponseId is empty")
    return record


@dataclass
class QualtricsResponses:
    settings: VendorSettings
    http: HttpClient
    survey_id: str
    lookback: timedelta
    poll_seconds: float = DEFAULT_POLL_SECONDS
    max_polls: int = DEFAULT_MAX_POLLS
    wait: Callable[[float], None] = field(default=time.sleep, repr=False)  # between polls
    vendor: str = VENDOR
    source: str = SOURCE
    endpoint: str = "responses"
    targets: tuple[str, ...] = ("survey_responses", "survey_answers")

    def __post_init__(self) -> None:
        self.endpoint = f"responses:{self.survey_id}"

    @property
    def exports_url(self) -> str:
        return f"{self.settings.base_url}/API/v3/surveys/{self.survey_id}/export-responses"

    def pages(self, cursor: str | None) -> Iterator[Page]:
        request: dict[str, object] = {"format": "csv", "useLabels": False}
        if cursor is not None:
            request["startDate"] = format_utc(parse_utc(cursor) - self.lookback)
        file_id = self.wait_for_file(self.start_export(request))
        body = self.http.get(f"{self.exports_url}/{file_id}/file").body
        with tempfile.TemporaryDirectory(prefix="pulse-qualtrics-") as folder:
            export = read_export_zip(body, Path(folder), f"export {file_id}")
            with duckdb.connect() as conn:
                rows = staged_responses(conn, export)
                line = 3  # the header rows
                while chunk := rows.fetchmany(self.settings.page_size):
                    records = []
                    for values in chunk:
                        line += 1
                        record = response_record(self.survey_id, export, values, line)
                        records.append(record)
                        cursor = latest(cursor, recorded_at(record, export, line))
                    yield Page(body, records, cursor)

    def start_export(self, request: dict[str, object]) -> str:
        result = self.result_of(self.http.post(self.exports_url, request).json(), "export start")
        progress_id = result.get("progressId")
        if not progress_id:
            raise ApiError(f"{VENDOR}: POST {self.exports_url} answered no progressId")
        return str(progress_id)

    def wait_for_file(self, progress_id: str) -> str:
        """Poll the export until it completes; its fileId names the ZIP to download."""
        url = f"{self.exports_url}/{progress_id}"
        for poll in range(1, self.max_polls + 1):
            result = self.result_of(self.http.get(url).json(), f"export {progress_id}")
            status = result.get("status")
            if status == "complete":
                if not result.get("fileId"):
                    raise ApiError(f"{VENDOR}: export {progress_id} is complete but has no fileId")
                return str(result["fileId"])
            if status == "failed":
                raise ApiError(f"{VENDOR}: export {progress_id} failed on the Qualtrics side")
            if poll < self.max_polls:
                self.wait(self.poll_seconds)
        raise ApiError(
            f"{VENDOR}: export {progress_id} was not complete after {self.max_polls} polls"
            f" ({result.get('percentComplete')}% done)"
        )

    @staticmethod
    def result_of(document: Any, what: str) -> dict[str, Any]:
        result = document.get("result") if isinstance(document, dict) else None
        if not isinstance(result, dict):
            raise ApiError(f"{VENDOR}: {what}: no 'result' object in the answer")
        return result


def from_environment() -> QualtricsResponses:
    # every account has its own data-centre host (https://<datacenter>.qualtrics.com)
    settings = vendor_settings(VENDOR, "", DEFAULT_PAGE_SIZE)
    if not settings.base_url:
        settings.option("base_url")  # raises, naming the variable to set
    return QualtricsResponses(
        settings=settings,
        http=settings.client({"X-API-TOKEN": settings.token}),
        survey_id=settings.option("survey_id"),
        lookback=settings.lookback(DEFAULT_LOOKBACK_DAYS),
        poll_seconds=settings.int_option("poll_seconds", DEFAULT_POLL_SECONDS),
        max_polls=settings.int_option("max_polls", DEFAULT_MAX_POLLS),
    )
