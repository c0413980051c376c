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
from ingestion.layouts import TABLE_LAYOUTS
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.json_lines import load_table_json_lines
from ingestion.loaders.surveys import load_survey_csv
from ingestion.loaders.tables import load_table_csv
from ingestion.sniff import sha256_of
from ingestion.surveys.registry import SurveyRegistry
from ingestion.warehouse import ensure_raw_schema

log = logging.getLogger(__name__)

_LAYOUTS_BY_NAME = {layout.name: layout for layout in TABLE_LAYOUTS}
_JSON_LINES_LAYOUTS = {"generic_review_jsonl": "generic_review_csv"}
IGNORED_SUFFIXES = {".yml", ".yaml", ".md", ".txt"}


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
    if layout in ("qualtrics_csv_3_header", "google_forms_csv"):
        return lambda ctx: load_survey_csv(ctx, layout)
    if layout in _JSON_LINES_LAYOUTS:
        table_layout = _LAYOUTS_BY_NAME[_JSON_LINES_LAYOUTS[layout]]
        return lambda ctx: load_table_json_lines(ctx, table_layout)
    if layout in _LAYOUTS_BY_NAME:
        table_layout = _LAYOUTS_BY_NAME[layout]
        return lambda ctx: load_table_csv(ctx, table_layout)
    raise ValueError(f"no loader for layout {layout!r}")


def _target_table(detection: Detection) -> str | None:
    if detection.family == "surveys":
        return "raw.survey_responses"
    name = _JSON_LINES_LAYOUTS.get(detection.layout or "", detection.layout)
    layout = _LAYOUTS_BY_NAME.get(name or "")
    return layout.target_table if layout else None


def ingest_file(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    landing_root: Path,
    *,
    registry: SurveyRegistry,
    pseudonym_key: str,
    default_timezone: str = "UTC",
    detection: Detection | None = None,
) -> FileResult:
    file_name = relative_name(path, landing_root)
    file_hash = sha256_of(path)
    detection = detection or detect(path)
    started_at = datetime.now(UTC)
    load_id = str(uuid.uuid4())
    base = {
        "file_name": file_name,
        "family": detection.family,
        "vendor": detection.vendor,
        "layout": detection.layout,
    }

    def ledger_entry(
        status: str, counts: LoadCounts | None, error: str | None
    ) -> ledger.LedgerEntry:
        return ledger.LedgerEntry(
            load_id=load_id,
            file_name=file_name,
            file_hash=file_hash,
            file_size=path.stat().st_size,
            encoding=detection.encoding,
            source=detection.vendor,
            format=detection.layout,
            target_table=counts.target_table if counts else _target_table(detection),
            rows_in=counts.rows_in if counts else None,
            rows_loaded=counts.rows_loaded if counts else None,
            rows_quarantined=counts.rows_quarantined if counts else None,
            status=status,
            error=error,
            started_at=started_at,
            finished_at=datetime.now(UTC),
        )

    loaded_as = ledger.already_loaded(conn, file_hash)
    if loaded_as == file_name:
        return FileResult(status="unchanged", **base)
    if loaded_as is not None:
        if not ledger.has_entry(conn, file_name, file_hash, "skipped_duplicate"):
            ledger.record(
                conn, ledger_entry("skipped_duplicate", None, f"same bytes as {loaded_as}")
            )
        return FileResult(status="skipped_duplicate", error=f"same bytes as {loaded_as}", **base)

    if not detection.supported:
        return _fail(conn, ledger_entry, base, f"unknown or unsupported format: {detection.reason}")

    ctx = LoadContext(
        conn=conn,
        path=path,
        file_name=file_name,
        file_hash=file_hash,
        encoding=detection.encoding,
        load_id=load_id,
        loaded_at=started_at,
        source=detection.vendor if detection.vendor != "generic" else detection.layout or "generic",
        pseudonym_key=pseudonym_key,
        registry=registry,
        default_timezone=default_timezone,
    )
    try:
        conn.execute("begin transaction")
        target = _target_table(detection)
        if target:
            ledger.remove_previous_version(conn, file_name, target)
        counts = _loader_for(detection)(ctx)
        if counts.rows_in != counts.rows_loaded + counts.rows_quarantined:
            raise RuntimeError(
                f"reconciliation failed: {counts.rows_in} rows in, {counts.rows_loaded} loaded,"
                f" {counts.rows_quarantined} quarantined"
            )
        ledger.record(conn, ledger_entry("loaded", counts, None))
        conn.execute("commit")
    except (duckdb.Error, ValueError, RuntimeError, OSError, UnicodeError) as error:
        conn.execute("rollback")
        return _fail(conn, ledger_entry, base, f"{type(error).__name__}: {error}")
    log.info(
        "%s: %s rows in, %s loaded, %s quarantined (%s)",
        file_name,
        counts.rows_in,
        counts.rows_loaded,
        counts.rows_quarantined,
        detection.layout,
    )
    return FileResult(
        status="loaded",
        rows_in=counts.rows_in,
        rows_loaded=counts.rows_loaded,
        rows_quarantined=counts.rows_quarantined,
        load_id=load_id,
        **base,
    )


def _fail(conn, ledger_entry, base: dict[str, object], error: str) -> FileResult:  # type: ignore[no-untyped-def]
    entry = ledger_entry("failed", None, error)
    if not ledger.has_entry(conn, entry.file_name, entry.file_hash, "failed"):
        ledger.record(conn, entry)
    log.warning("%s: not loaded: %s", base["file_name"], error)
    return FileResult(status="failed", error=error, load_id=entry.load_id, **base)  # type: ignore[arg-type]


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
