"""Entry points that wire settings, registry and warehouse together for one ingest run."""

from __future__ import annotations

import os
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion import object_store, settings
from ingestion.detect import detect
from ingestion.lake import Lake, open_lake, recover, sync_lake
from ingestion.load import FileResult, discover_files, ingest_file, ingest_files
from ingestion.surveys.registry import SurveyRegistry, load_registry, write_registry_table
from ingestion.warehouse import connect, ensure_raw_schema

FAMILIES = ("surveys", "reviews", "polls", "commerce", "followup")
REGISTRY_FILE_NAME = "survey_registry.yml"


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, folders expanded to the export files below them."""
    expanded: list[Path] = []
    for path in paths:
        if path.is_dir():
            expanded.extend(discover_files(path))
        elif path.is_file() or path.is_symlink():
            expanded.append(path)  # a link leading outside is refused with the reason
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return expanded


def ingest(
    paths: list[Path] | None = None,
    *,
    families: set[str] | None = None,
    warehouse: Path | None = None,
    landing_root: Path | str | None = None,
    run_id: str | None = None,
) -> list[FileResult]:
    """Load files (default: everything in the landing folder) into the warehouse.

    The landing folder may be an object-store prefix URL (`s3://bucket/prefix`,
    `memory://...`, `file:///...`); its files are then fetched one at a time. `run_id`
    names the pipeline run in the ledger, so its summary counts its own loads. With a
    lake root configured, the Parquet raw layer is written alongside (ingestion/lake).
    """
    landing = landing_root or settings.landing_location()
    remote = paths is None and object_store.is_url(landing)
    with ExitStack() as stack:
        registry = load_registry(
            _prefix_registry(str(landing), stack) if remote else settings.survey_registry_path()
        )
    conn = connect(warehouse or settings.warehouse_path())
    lake = open_lake()
    try:
        ensure_raw_schema(conn)
        if lake:
            recover(conn, lake)
        edits_before = _edit_revisions(conn)
        if families is None or "surveys" in families:
            write_registry_table(conn, registry, datetime.now(UTC))
        if remote:
            results = _ingest_prefix(conn, str(landing), registry, families, run_id, lake)
        else:
            landing_path = Path(landing)
            files = expand_paths(paths) if paths is not None else discover_files(landing_path)
            results = ingest_files(
                conn,
                files,
                landing_path,
                registry=registry,
                pseudonym_key=settings.pseudonym_key(),
                default_timezone=settings.default_timezone(),
                families=families,
                run_id=run_id,
                lake=lake,
            )
        if lake:
            # The snapshot tables (the registries) and anything written outside file loads;
            # every file again when a load edited earlier loads' rows in place (a customers
            # file masking its new names in older texts keeps their row counts).
            sync_lake(conn, lake, rewrite=_edit_revisions(conn) != edits_before)
        return results
    finally:
        conn.close()


def _edit_revisions(conn: duckdb.DuckDBPyConnection) -> int:
    """How many in-place edits of raw rows have been recorded (raw.table_edits)."""
    row = conn.execute("select coalesce(sum(revision), 0) from raw.table_edits").fetchone()
    return int(row[0]) if row else 0


def _prefix_registry(prefix: str, stack: ExitStack) -> Path:
    """PULSE_SURVEY_REGISTRY when set, else a local copy of the prefix's registry file."""
    if os.environ.get("PULSE_SURVEY_REGISTRY"):
        return settings.survey_registry_path()
    url = f"{prefix.rstrip('/')}/{REGISTRY_FILE_NAME}"
    if not object_store.exists(url):
        return Path(url)  # a path that does not exist: the empty registry
    return stack.enter_context(object_store.local_copy(url))


def _ingest_prefix(
    conn: duckdb.DuckDBPyConnection,
    prefix: str,
    registry: SurveyRegistry,
    families: set[str] | None,
    run_id: str | None,
    lake: Lake | None,
) -> list[FileResult]:
    """Each file under the prefix, copied locally, loaded under its URL."""
    results = []
    for url in object_store.list_files(prefix):
        with object_store.local_copy(url) as path:
            detection = detect(path)  # never raises: a hostile file is refused
            if families is not None and detection.family not in families:
                continue
            results.append(
                ingest_file(
                    conn,
                    path,
                    path.parent,
                    registry=registry,
                    pseudonym_key=settings.pseudonym_key(),
                    default_timezone=settings.default_timezone(),
                    detection=detection,
                    file_name=url,
                    run_id=run_id,
                    lake=lake,
                )
            )
    return results
