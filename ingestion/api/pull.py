"""Run one vendor's API window against the warehouse (the entry point for Dagster and CLI)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingestion.api import (
    app_store,
    google_business,
    googleplay,
    qualtrics,
    shopify,
    surveymonkey,
    trustpilot,
    typeform,
    x_polls,
    yelp,
)
from ingestion.api.window import (
    Puller,
    RangePuller,
    TimeRange,
    WindowResult,
    run_range_window,
    run_window,
)
from ingestion.warehouse import connect

PULLERS: dict[str, Callable[[], Puller]] = {
    "trustpilot": trustpilot.from_environment,
    "typeform": typeform.from_environment,
    "surveymonkey": surveymonkey.from_environment,
    "shopify": shopify.from_environment,
    "x": x_polls.from_environment,
    "google_business": google_business.from_environment,
    "app_store_connect": app_store.from_environment,
    "google_play": googleplay.from_environment,
    "yelp": yelp.from_environment,
    "qualtrics": qualtrics.from_environment,
}

# Vendors whose API filters by a time range, so a day can be pulled on its own (backfill).
RANGE_PULLERS: dict[str, Callable[[], RangePuller]] = {
    "trustpilot": trustpilot.from_environment,
    "typeform": typeform.from_environment,
    "surveymonkey": surveymonkey.from_environment,
    "shopify": shopify.from_environment,
    "x": x_polls.from_environment,
}


def pull_vendor(vendor: str, warehouse: Path) -> WindowResult:
    """Configure the vendor's client from the environment and load its next window."""
    puller = PULLERS[vendor]()
    conn = connect(warehouse)
    try:
        return run_window(conn, puller)
    finally:
        conn.close()


def pull_vendor_range(vendor: str, warehouse: Path, time_range: TimeRange) -> WindowResult:
    """Load one explicit time range of the vendor's data; its incremental cursor stays put."""
    puller = RANGE_PULLERS[vendor]()
    conn = connect(warehouse)
    try:
        return run_range_window(conn, puller, time_range)
    finally:
        conn.close()
