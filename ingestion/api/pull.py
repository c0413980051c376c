"""Run one vendor's API window against the warehouse (the entry point for Dagster and CLI).

Which vendors have an API, and which client pulls it, is each vendor module's `api`.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import cast

from ingestion.api.window import (
    Puller,
    RangePuller,
    TimeRange,
    WindowResult,
    run_range_window,
    run_window,
)
from ingestion.vendors import api_sources
from ingestion.warehouse import connect


def puller_from_environment(settings_name: str) -> Puller:
    """The vendor's client, configured from PULSE_API_<SETTINGS_NAME>_*."""
    source = api_sources()[settings_name]
    client = importlib.import_module(source.client)
    return cast(Puller, client.from_environment())


def pull_vendor(vendor: str, warehouse: Path) -> WindowResult:
    """Configure the vendor's client from the environment and load its next window."""
    puller = puller_from_environment(vendor)
    conn = connect(warehouse)
    try:
        return run_window(conn, puller)
    finally:
        conn.close()


def pull_vendor_range(vendor: str, warehouse: Path, time_range: TimeRange) -> WindowResult:
    """Load one explicit time range of the vendor's data; its incremental cursor stays put."""
    if not api_sources()[vendor].by_day:
        raise ValueError(f"{vendor}: its API does not filter by time; it has no daily pulls")
    puller = cast(RangePuller, puller_from_environment(vendor))
    conn = connect(warehouse)
    try:
        return run_range_window(conn, puller, time_range)
    finally:
        conn.close()
