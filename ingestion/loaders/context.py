"""What every loader needs to know about the file it loads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from ingestion.surveys.registry import SurveyRegistry


@dataclass
class FileTransaction:
    """The one transaction all of a file's writes to the warehouse happen in.

    A loader that stages the file into temp tables first (the CSV loaders) stages before
    it begins: DuckDB scans a temp table created inside an open transaction from that
    transaction's local storage, which made the M survey export's answer insert take
    10.5 s instead of 6 s. Staging writes nothing but the connection's temp tables, so
    the file stays wholly loaded or not at all.
    """

    conn: duckdb.DuckDBPyConnection
    on_begin: Callable[[], None]  # e.g. remove the rows of the file's previous version
    begun: bool = field(default=False, init=False)

    def begin(self) -> None:
        """Open the transaction (once; later calls do nothing)."""
        if self.begun:
            return
        self.conn.execute("begin transaction")
        self.begun = True
        self.on_begin()

    def commit(self) -> None:
        self.conn.execute("commit")

    def rollback(self) -> None:
        if self.begun:
            self.conn.execute("rollback")


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
    transaction: FileTransaction

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
