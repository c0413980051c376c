"""What every loader needs to know about the file it loads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from ingestion.surveys.registry import SurveyRegistry


@dataclass(frozen=True)
class LoadContext:
    conn: duckdb.DuckDBPyConnection
    path: Path
    file_name: str  # relative to the landing folder, as recorded in lineage
    file_hash: str
    encoding: str
    load_id: str
    loaded_at: datetime
    source: str
    pseudonym_key: str
    registry: SurveyRegistry
    default_timezone: str

    def lineage(self) -> dict[str, object]:
        """Bound parameters every insert statement takes."""
        return {
            "source": self.source,
            "file_name": self.file_name,
            "file_hash": self.file_hash,
            "load_id": self.load_id,
            "loaded_at": self.loaded_at,
        }


@dataclass(frozen=True)
class LoadCounts:
    rows_in: int
    rows_loaded: int
    rows_quarantined: int
    target_table: str
