"""The open raw layer: every load of the raw schema as Parquet files under a lake root.

The DuckDB warehouse stays the system of record (ledger, quarantine, raw gates); with a
lake root set (PULSE_LAKE_URL, or PULSE_TARGET=spark), each load is also written as one
Parquet file per raw table under `raw/<table>/load_date=<date>/`, atomically (see
files.py), so any engine can read the raw layer: the dbt project's `spark` target reads
it (docs/spark.md).

    python -m ingestion.lake        bring the lake in line with PULSE_WAREHOUSE's raw schema
"""

from __future__ import annotations

from ingestion import settings
from ingestion.lake.files import (
    PendingFiles,
    SyncResult,
    recover,
    stage_load,
    sync_lake,
    write_snapshots,
)
from ingestion.lake.store import Lake

__all__ = [
    "Lake",
    "PendingFiles",
    "SyncResult",
    "open_lake",
    "recover",
    "stage_load",
    "sync_lake",
    "write_snapshots",
]


def open_lake() -> Lake | None:
    """The configured lake, or None when the raw layer is kept in DuckDB only."""
    url = settings.lake_url()
    return Lake.at(url) if url else None
