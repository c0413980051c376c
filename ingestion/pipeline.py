"""Entry points that wire settings, registry and warehouse together for one ingest run."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ingestion import settings
from ingestion.load import FileResult, discover_files, ingest_files
from ingestion.surveys.registry import load_registry, write_registry_table
from ingestion.warehouse import connect, ensure_raw_schema

FAMILIES = ("surveys", "reviews", "polls", "commerce")


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, folders expanded to the export files below them."""
    expanded: list[Path] = []
    for path in paths:
        if path.is_dir():
            expanded.extend(discover_files(path))
        elif path.is_file():
            expanded.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return expanded


def ingest(
    paths: list[Path] | None = None,
    *,
    families: set[str] | None = None,
    warehouse: Path | None = None,
    landing_root: Path | None = None,
) -> list[FileResult]:
    """Load files (default: everything in the landing folder) into the warehouse."""
    landing_root = landing_root or settings.landing_dir()
    files = expand_paths(paths) if paths is not None else discover_files(landing_root)
    registry = load_registry(settings.survey_registry_path())
    conn = connect(warehouse or settings.warehouse_path())
    try:
        ensure_raw_schema(conn)
        if families is None or "surveys" in families:
            write_registry_table(conn, registry, datetime.now(UTC))
        return ingest_files(
            conn,
            files,
            landing_root,
            registry=registry,
            pseudonym_key=settings.pseudonym_key(),
            default_timezone=settings.default_timezone(),
            families=families,
        )
    finally:
        conn.close()
