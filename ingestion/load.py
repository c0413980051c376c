"""Load landing files into the raw layer: detect, stage, quarantine, record in the ledger.

Each file is loaded in its own transaction, so a file is either wholly in the raw layer
(rows loaded plus rows quarantined = rows in) or not at all, and one bad file never
stops the others: whatever goes wrong while a file is detected, parsed or loaded becomes
that file's `failed` outcome with a one-line reason, and the next file is loaded. Only an
interruption (Ctrl-C, a step's time limit) stops the loop.
"""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from ingestion import ledger, settings
from ingestion.detect import Detection, detect
from ingestion.errors import one_line
from ingestion.faults import fault_point
from ingestion.forget import redact_older_than, remove_forgotten
from ingestion.lake import Lake, PendingFiles, stage_load
from ingestion.loaders.context import FileTransaction, LoadContext, LoadCounts
from ingestion.loaders.quarantine import pseudonymise_quarantine
from ingestion.names import mask_names
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
    """Every export file under the landing folder, in a stable order (symbolic links
    included, so that one leaving the folder is refused with a reason, not ignored)."""
    if not landing_root.exists():
        return []
    return sorted(
        path
        for path in landing_root.rglob("*")
        if (path.is_file() or path.is_symlink())
        and not any(part.startswith(".") for part in path.relative_to(landing_root).parts)
        and path.suffix.lower() not in IGNORED_SUFFIXES
    )


def relative_name(path: Path, landing_root: Path) -> str:
    try:
        return path.resolve().relative_to(landing_root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


OUTSIDE_LANDING = "a symbolic link to a file outside the landing folder: not read"
BROKEN_LINK = "a symbolic link to nothing: not read"


def escapes_landing(path: Path, landing_root: Path) -> str | None:
    """Why a path is not read although it sits in the landing folder: a symbolic link
    (of the file or a folder above it) that leads outside the folder, or to nothing.
    Nothing of the target is read, not even its name."""
    root = landing_root.resolve()
    target = path.resolve()
    if target != root and root not in target.parents:
        return OUTSIDE_LANDING
    if not target.is_file():
        return BROKEN_LINK
    return None


def _link_name(path: Path, landing_root: Path) -> str:
    """The name of a refused link itself, relative to the landing folder when inside it."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path(os.path.abspath(landing_root))).as_posix()
    except ValueError:
        return absolute.as_posix()


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
    run_id: str | None = None

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
            run_id=self.run_id,
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
    run_id: str | None = None,
    lake: Lake | None = None,
) -> FileResult:
    """Load one file in its own transaction and record the attempt in the ledger.

    `file_name` names the file in the ledger and lineage (an object-store URL for a local
    copy); by default it is the path relative to the landing folder. `reload` loads it
    again even when its bytes are in the ledger (a held load, after its format's mapping
    was fixed): the new load replaces the old one's rows. `run_id` names the pipeline run
    that loads it (its summary counts what it loaded itself). With a `lake`, the load's
    rows are written there too, in the same transaction (ingestion/lake).

    Never raises for what a file holds: any error becomes the file's `failed` outcome.
    """
    if file_name is None:
        refused = escapes_landing(path, landing_root)
        if refused is not None:
            return _refuse_unread(conn, _link_name(path, landing_root), refused, run_id)
    try:
        detection = detection or detect(path)
        attempt = _Attempt(
            file_name=file_name or relative_name(path, landing_root),
            file_hash=sha256_of(path),
            file_size=path.stat().st_size,
            detection=detection,
            load_id=str(uuid.uuid4()),
            started_at=datetime.now(UTC),
            run_id=run_id,
        )
    except OSError as error:
        name = file_name or _link_name(path, landing_root)
        return _refuse_unread(conn, name, f"could not be read: {one_line(error)}", run_id)
    try:
        return _load(conn, path, attempt, registry, pseudonym_key, default_timezone, reload, lake)
    except duckdb.InterruptException:
        raise  # Ctrl-C or a step's time limit: stop, do not blame the file
    except Exception as error:
        return _fail(conn, attempt, one_line(error))


def _load(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    attempt: _Attempt,
    registry: SurveyRegistry,
    pseudonym_key: str,
    default_timezone: str,
    reload: bool,
    lake: Lake | None,
) -> FileResult:
    detection = attempt.detection
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

    def remove_previous_version() -> None:
        # Whatever layout the earlier version had, its rows leave every raw table.
        ledger.remove_previous_version(conn, attempt.file_name)

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
        pseudonymise_quarantine(conn, attempt.load_id, pseudonym_key)
        counts = _withhold_forgotten(conn, pseudonym_key, attempt.load_id, counts)
        mask_names(conn, pseudonym_key, attempt.load_id)
        _apply_retention(conn, attempt.load_id)
        ledger.record(conn, attempt.ledger_entry("loaded", counts))
        lake_files = stage_load(conn, lake, attempt.load_id) if lake else None
        fault_point("ingest_commit")
        transaction.commit()
    except BaseException:
        transaction.rollback()
        raise
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


def _withhold_forgotten(
    conn: duckdb.DuckDBPyConnection, key: str, load_id: str, counts: LoadCounts
) -> LoadCounts:
    """Rows of people forgotten on request leave the load (a re-delivered old file), and
    its counts, as if never received."""
    forgotten = remove_forgotten(conn, key, load_id)
    if not forgotten.rows_removed and not forgotten.quarantined:
        return counts
    return replace(
        counts,
        rows_in=counts.rows_in - forgotten.rows_removed - forgotten.quarantined,
        rows_loaded=counts.rows_loaded - forgotten.rows_removed,
        rows_quarantined=counts.rows_quarantined - forgotten.quarantined,
    )


def _apply_retention(conn: duckdb.DuckDBPyConnection, load_id: str) -> None:
    """A re-delivered old file keeps no free text past the retention period either."""
    days = settings.retention_days()
    if days is not None:
        redact_older_than(conn, datetime.now(UTC) - timedelta(days=days), load_id)


def _publish_lake_files(file_name: str, lake_files: PendingFiles) -> None:
    """Rename the committed load's files; should that fail, the next lake sync does."""
    try:
        lake_files.publish()
    except OSError as error:
        log.warning("%s: loaded; its lake files are renamed by the next sync: %s", file_name, error)


def _load_order(detection: Detection) -> int:
    return format_named(detection.layout)[1].load_order if detection.layout else 0


def _refuse_unread(
    conn: duckdb.DuckDBPyConnection, file_name: str, reason: str, run_id: str | None
) -> FileResult:
    """A path in the landing folder that is not read at all (a link leading outside it, a
    file that cannot be opened): failed under its own name, keyed by that name, since
    its bytes are never read."""
    attempt = _Attempt(
        file_name=file_name,
        file_hash="unread:" + hashlib.sha256(file_name.encode("utf-8")).hexdigest(),
        file_size=0,
        detection=Detection(file_name, None, None, None, "unknown", reason),
        load_id=str(uuid.uuid4()),
        started_at=datetime.now(UTC),
        run_id=run_id,
    )
    return _fail(conn, attempt, reason)


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
    run_id: str | None = None,
    lake: Lake | None = None,
) -> list[FileResult]:
    """Load each file (those of the given families only, when named).

    A path that leaves the landing folder is refused before anything of it is read;
    detection refuses what it cannot read, so every file reaches its own outcome."""
    ensure_raw_schema(conn)
    results = []
    readable: list[tuple[Path, Detection]] = []
    for path in paths:
        refused = escapes_landing(path, landing_root)
        if refused is not None:
            if families is None or _family_folder(path, landing_root) & families:
                name = _link_name(path, landing_root)
                results.append(_refuse_unread(conn, name, refused, run_id))
            continue
        readable.append((path, detect(path)))
    for path, detection in sorted(readable, key=lambda pair: _load_order(pair[1])):
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
                run_id=run_id,
                lake=lake,
            )
        )
    return results


def _family_folder(path: Path, landing_root: Path) -> set[str]:
    """The family a refused link's folder names (`reviews/...`), so that only the raw asset
    of that family reports it; a link elsewhere is reported by every family's."""
    try:
        parts = Path(os.path.abspath(path)).relative_to(os.path.abspath(landing_root)).parts
    except ValueError:
        parts = ()
    families = {"surveys", "reviews", "polls", "commerce", "followup"}
    return {parts[0]} if len(parts) > 1 and parts[0] in families else families
