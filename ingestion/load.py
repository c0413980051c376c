"""Load landing files into the raw layer: detect, stage, quarantine, record in the ledger.

Each file is loaded in its own transaction, so a file is either wholly in the raw layer
(rows loaded plus rows quarantined = rows in) or not at all, and one bad file never
stops the others.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion import ledger
from ingestion.detect import Detection, detect
from ingestion.lake import Lake, PendingFiles, stage_load
from ingestion.loaders.context import FileTransaction, LoadContext, LoadCounts
from ingestion.sniff import sha256_of
from ingestion.surveys.registry import SurveyRegistry
from ingestion.vendors import format_named
from ingestion.warehouse import ensure_raw_schema

log = logging.getLogger(__name__)

# Survey definitions (.qsf) sit in the landing folder for the registry; they hold no rows.
IGNORED_SUFFIXES = {".yml", ".yaml", ".md", ".txt", ".qsf"}


@dataclass(frozen=True)
class FileResult:
    """What happened to one file, as the CLI and Dagster report it."""

    file_name: str
    status: str  # loaded | unchanged | skipped_duplicate | skipped | failed
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


def _target_table(detection: Detection) -> str | None:
    if detection.layout is None:
        return None
    return format_named(detection.layout)[1].target.raw_table


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
    reload: bool = False,
    lake: Lake | None = None,
) -> FileResult:
    """Load one file in its own transaction and record the attempt in the ledger.

    `file_name` names the file in the ledger and lineage (an object-store URL for a local
    copy); by default it is the path relative to the landing folder. `reload` loads it
    again even when its bytes are in the ledger (a held load, after its format's mapping
    was fixed): the new load replaces the old one's rows. With a `lake`, the load's rows
    are written there too, in the same transaction (ingestion/lake).
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
    loaded_as = None if reload else ledger.already_loaded(conn, attempt.file_hash)
    if loaded_as == attempt.file_name:
        return attempt.result("unchanged")
    if loaded_as is not None:
        reason = f"same bytes as {loaded_as}"
        if not ledger.has_entry(conn, attempt.file_name, attempt.file_hash, "skipped_duplicate"):
            ledger.record(conn, attempt.ledger_entry("skipped_duplicate", error=reason))
        return attempt.result("skipped_duplicate", error=reason)
    if not detection.supported and detection.describes_data:
        if not ledger.has_entry(conn, attempt.file_name, attempt.file_hash, "skipped"):
            ledger.record(conn, attempt.ledger_entry("skipped", error=detection.reason))
        return attempt.result("skipped", error=detection.reason)
    if not detection.supported:
        return _fail(conn, attempt, f"unknown or unsupported format: {detection.reason}")

    vendor, file_format = format_named(detection.layout or "")
    target = file_format.target.raw_table

    def remove_previous_version() -> None:
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
        source=vendor.name,
        pseudonym_key=pseudonym_key,
        registry=registry,
        default_timezone=default_timezone,
        transaction=transaction,
    )
    try:
        if not file_format.stages_before_writing:
            transaction.begin()
        counts = file_format.load(ctx)
        transaction.begin()  # no-op unless the loader wrote nothing at all
        if counts.rows_in != counts.rows_loaded + counts.rows_quarantined:
            raise RuntimeError(
                f"reconciliation failed: {counts.rows_in} rows in, {counts.rows_loaded} loaded,"
                f" {counts.rows_quarantined} quarantined"
            )
        ledger.record(conn, attempt.ledger_entry("loaded", counts))
        lake_files = stage_load(conn, lake, attempt.load_id) if lake else None
        transaction.commit()
    except (duckdb.Error, ValueError, RuntimeError, OSError, UnicodeError) as error:
        transaction.rollback()
        return _fail(conn, attempt, f"{type(error).__name__}: {error}")
    if lake_files:
        _publish_lake_files(attempt.file_name, lake_files)
    log.info(
        "%s: %s rows in, %s loaded, %s quarantined (%s)",
        attempt.file_name,
        counts.rows_in,
        counts.rows_loaded,
        counts.rows_quarantined,
        detection.layout,
    )
    return attempt.result("loaded", counts)


def _publish_lake_files(file_name: str, lake_files: PendingFiles) -> None:
    """Rename the committed load's files; should that fail, the next lake sync does."""
    try:
        lake_files.publish()
    except OSError as error:
        log.warning("%s: loaded; its lake files are renamed by the next sync: %s", file_name, error)


def _load_order(detection: Detection) -> int:
    return format_named(detection.layout)[1].load_order if detection.layout else 0


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
    lake: Lake | None = None,
) -> list[FileResult]:
    """Load each file (those of the given families only, when named)."""
    ensure_raw_schema(conn)
    detected = [(path, detect(path)) for path in paths]
    results = []
    for path, detection in sorted(detected, key=lambda pair: _load_order(pair[1])):
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
                lake=lake,
            )
        )
    return results
