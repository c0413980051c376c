"""Load landing files into the raw layer: detect, stage, quarantine, record in the ledger.

Each file is loaded in its own transaction, so a file is either wholly in the raw layer
(rows loaded plus rows quarantined = rows in) or not at all, and one bad file never
stops the others.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion import ledger
from ingestion.detect import Detection, detect
from ingestion.followup.layout import FOLLOWUP_LAYOUTS
from ingestion.followup.load import load_case_actions_csv
from ingestion.layouts import (
    DOCUMENT_LAYOUTS,
    JSON_ARRAY_LAYOUTS,
    JSON_LINES_LAYOUTS,
    SHOPIFY_ORDERS_JSON,
    TABLE_LAYOUTS,
)
from ingestion.loaders.context import FileTransaction, LoadContext, LoadCounts
from ingestion.loaders.json_documents import load_surveymonkey_responses, load_table_document
from ingestion.loaders.json_lines import load_table_json_array, load_table_json_lines
from ingestion.loaders.shopify_orders import load_shopify_orders
from ingestion.loaders.spreadsheets import XLSX_LAYOUTS, load_survey_workbook
from ingestion.loaders.surveymonkey_export import load_surveymonkey_csv
from ingestion.loaders.surveys import load_survey_csv
from ingestion.loaders.tables import load_table_csv
from ingestion.loaders.typeform import load_typeform_json, load_typeform_json_lines
from ingestion.sniff import sha256_of
from ingestion.surveys.registry import SurveyRegistry
from ingestion.warehouse import ensure_raw_schema

log = logging.getLogger(__name__)

_LAYOUTS_BY_NAME = {layout.name: layout for layout in TABLE_LAYOUTS}
_DOCUMENT_LAYOUTS_BY_NAME = {layout.name: layout for layout in DOCUMENT_LAYOUTS}
_FOLLOWUP_LAYOUTS_BY_NAME = {layout.name: layout for layout in FOLLOWUP_LAYOUTS}
_SURVEY_CSV_LAYOUTS = (
    "qualtrics_csv_3_header",
    "qualtrics_csv_2016",
    "qualtrics_csv_legacy",
    "google_forms_csv",
)
_SURVEY_FILE_LOADERS: dict[str, Callable[[LoadContext], LoadCounts]] = {
    "surveymonkey_csv": load_surveymonkey_csv,
    "typeform_responses_json": load_typeform_json,
    "typeform_responses_jsonl": load_typeform_json_lines,
}
# Layouts whose loaders stage the file with stage_csv, which opens the file's
# transaction itself once the temp table is written (FileTransaction says why).
_STAGED_BEFORE_WRITING = frozenset(
    [
        *_SURVEY_CSV_LAYOUTS,
        "surveymonkey_csv",
        *(layout.name for layout in TABLE_LAYOUTS),
        *_FOLLOWUP_LAYOUTS_BY_NAME,
    ]
)
_JSON_LINES_LAYOUTS = {layout.name: layout for layout in JSON_LINES_LAYOUTS}
_JSON_ARRAY_LAYOUTS = {layout.name: layout for layout in JSON_ARRAY_LAYOUTS}
# Survey definitions (.qsf) sit in the landing folder for the registry; they hold no rows.
IGNORED_SUFFIXES = {".yml", ".yaml", ".md", ".txt", ".qsf"}


@dataclass(frozen=True)
class FileResult:
    """What happened to one file, as the CLI and Dagster report it."""

    file_name: str
    status: str  # loaded | unchanged | skipped_duplicate | failed
    family: str | None
    vendor: str | None
    layout: str | None
    rows_in: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    error: str | None = None
    load_id: str | None = None

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def discover_files(landing_root: Path) -> list[Path]:
    """Every export file under the landing folder, in a stable order."""
    if not landing_root.exists():
        return []
    return sorted(
        path
        for path in landing_root.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(landing_root).parts)
        and path.suffix.lower() not in IGNORED_SUFFIXES
    )


def relative_name(path: Path, landing_root: Path) -> str:
    try:
        return path.resolve().relative_to(landing_root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _loader_for(detection: Detection) -> Callable[[LoadContext], LoadCounts]:
    layout = detection.layout
    if layout in _FOLLOWUP_LAYOUTS_BY_NAME:
        return load_case_actions_csv
    if layout in _SURVEY_CSV_LAYOUTS:
        return lambda ctx: load_survey_csv(ctx, layout)
    if layout == "surveymonkey_responses_json":
        return load_surveymonkey_responses
    if layout in _SURVEY_FILE_LOADERS:
        return _SURVEY_FILE_LOADERS[layout]
    if layout is not None and layout in XLSX_LAYOUTS.values():
        workbook_layout = layout
        return lambda ctx: load_survey_workbook(ctx, workbook_layout)
    if layout == SHOPIFY_ORDERS_JSON.name:
        return lambda ctx: load_shopify_orders(ctx, SHOPIFY_ORDERS_JSON)
    if layout in _DOCUMENT_LAYOUTS_BY_NAME:
        document_layout = _DOCUMENT_LAYOUTS_BY_NAME[layout]
        return lambda ctx: load_table_document(ctx, document_layout)
    if layout in _JSON_LINES_LAYOUTS:
        lines_layout = _JSON_LINES_LAYOUTS[layout]
        return lambda ctx: load_table_json_lines(ctx, lines_layout)
    if layout in _JSON_ARRAY_LAYOUTS:
        array_layout = _JSON_ARRAY_LAYOUTS[layout]
        return lambda ctx: load_table_json_array(ctx, array_layout)
    if layout in _LAYOUTS_BY_NAME:
        table_layout = _LAYOUTS_BY_NAME[layout]
        return lambda ctx: load_table_csv(ctx, table_layout)
    raise ValueError(f"no loader for layout {layout!r}")


def _target_table(detection: Detection) -> str | None:
    if detection.family == "surveys":
        return "raw.survey_responses"
    name = detection.layout or ""
    layout = (
        _LAYOUTS_BY_NAME.get(name)
        or _DOCUMENT_LAYOUTS_BY_NAME.get(name)
        or _JSON_LINES_LAYOUTS.get(name)
        or _JSON_ARRAY_LAYOUTS.get(name)
        or _FOLLOWUP_LAYOUTS_BY_NAME.get(name)
    )
    return layout.target_table if layout else None


@dataclass(frozen=True)
class _Attempt:
    """One load attempt of one file: what is known before any row is read."""

    file_name: str
    file_hash: str
    file_size: int
    detection: Detection
    load_id: str
    started_at: datetime

    def ledger_entry(
        self, status: str, counts: LoadCounts | None = None, error: str | None = None
    ) -> ledger.LedgerEntry:
        return ledger.LedgerEntry(
            load_id=self.load_id,
            file_name=self.file_name,
            file_hash=self.file_hash,
            file_size=self.file_size,
            encoding=self.detection.encoding,
            source=self.detection.vendor,
            format=self.detection.layout,
            target_table=counts.target_table if counts else _target_table(self.detection),
            rows_in=counts.rows_in if counts else None,
            rows_loaded=counts.rows_loaded if counts else None,
            rows_quarantined=counts.rows_quarantined if counts else None,
            status=status,
            error=error,
            started_at=self.started_at,
            finished_at=datetime.now(UTC),
        )

    def result(
        self, status: str, counts: LoadCounts | None = None, error: str | None = None
    ) -> FileResult:
        return FileResult(
            file_name=self.file_name,
            status=status,
            family=self.detection.family,
            vendor=self.detection.vendor,
            layout=self.detection.layout,
            rows_in=counts.rows_in if counts else 0,
            rows_loaded=counts.rows_loaded if counts else 0,
            rows_quarantined=counts.rows_quarantined if counts else 0,
            error=error,
            load_id=self.load_id if status in ("loaded", "failed") else None,
        )


def ingest_file(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    landing_root: Path,
    *,
    registry: SurveyRegistry,
    pseudonym_key: str,
    default_timezone: str = "UTC",
    detection: Detection | None = None,
    file_name: str | None = None,
) -> FileResult:
    """Load one file in its own transaction and record the attempt in the ledger.

    `file_name` names the file in the ledger and lineage (an object-store URL for a local
    copy); by default it is the path relative to the landing folder.
    """
    detection = detection or detect(path)
    attempt = _Attempt(
        file_name=file_name or relative_name(path, landing_root),
        file_hash=sha256_of(path),
        file_size=path.stat().st_size,
        detection=detection,
        load_id=str(uuid.uuid4()),
        started_at=datetime.now(UTC),
    )
    loaded_as = ledger.already_loaded(conn, attempt.file_hash)
    if loaded_as == attempt.file_name:
        return attempt.result("unchanged")
    if loaded_as is not None:
        reason = f"same bytes as {loaded_as}"
        if not ledger.has_entry(conn, attempt.file_name, attempt.file_hash, "skipped_duplicate"):
            ledger.record(conn, attempt.ledger_entry("skipped_duplicate", error=reason))
        return attempt.result("skipped_duplicate", error=reason)
    if not detection.supported:
        return _fail(conn, attempt, f"unknown or unsupported format: {detection.reason}")

    target = _target_table(detection)

    def remove_previous_version() -> None:
        if target:
            ledger.remove_previous_version(conn, attempt.file_name, target)

    transaction = FileTransaction(conn, on_begin=remove_previous_version)
    ctx = LoadContext(
        conn=conn,
        path=path,
        file_name=attempt.file_name,
        file_hash=attempt.file_hash,
        encoding=detection.encoding,
        load_id=attempt.load_id,
        loaded_at=attempt.started_at,
        source=_lineage_source(detection),
        pseudonym_key=pseudonym_key,
        registry=registry,
        default_timezone=default_timezone,
        transaction=transaction,
    )
    try:
        if detection.layout not in _STAGED_BEFORE_WRITING:
            transaction.begin()
        counts = _loader_for(detection)(ctx)
        transaction.begin()  # no-op unless the loader wrote nothing at all
        if counts.rows_in != counts.rows_loaded + counts.rows_quarantined:
            raise RuntimeError(
                f"reconciliation failed: {counts.rows_in} rows in, {counts.rows_loaded} loaded,"
                f" {counts.rows_quarantined} quarantined"
            )
        ledger.record(conn, attempt.ledger_entry("loaded", counts))
        transaction.commit()
    except (duckdb.Error, ValueError, RuntimeError, OSError, UnicodeError) as error:
        transaction.rollback()
        return _fail(conn, attempt, f"{type(error).__name__}: {error}")
    log.info(
        "%s: %s rows in, %s loaded, %s quarantined (%s)",
        attempt.file_name,
        counts.rows_in,
        counts.rows_loaded,
        counts.rows_quarantined,
        detection.layout,
    )
    return attempt.result("loaded", counts)


def _lineage_source(detection: Detection) -> str:
    """Vendor for vendor formats; the layout name for the generic ones."""
    if detection.vendor and detection.vendor != "generic":
        return detection.vendor
    return detection.layout or "generic"


def _fail(conn: duckdb.DuckDBPyConnection, attempt: _Attempt, error: str) -> FileResult:
    """Record a failed attempt once per file version, so reruns do not pile up rows."""
    if not ledger.has_entry(conn, attempt.file_name, attempt.file_hash, "failed"):
        ledger.record(conn, attempt.ledger_entry("failed", error=error))
    log.warning("%s: not loaded: %s", attempt.file_name, error)
    return attempt.result("failed", error=error)


def ingest_files(
    conn: duckdb.DuckDBPyConnection,
    paths: Iterable[Path],
    landing_root: Path,
    *,
    registry: SurveyRegistry,
    pseudonym_key: str,
    default_timezone: str = "UTC",
    families: set[str] | None = None,
) -> list[FileResult]:
    """Load each file (those of the given families only, when named)."""
    ensure_raw_schema(conn)
    results = []
    for path in paths:
        detection = detect(path)
        if families is not None and detection.family not in families:
            continue
        results.append(
            ingest_file(
                conn,
                path,
                landing_root,
                registry=registry,
                pseudonym_key=pseudonym_key,
                default_timezone=default_timezone,
                detection=detection,
            )
        )
    return results
