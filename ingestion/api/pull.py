"""Run one vendor's API window against the warehouse (the entry point for Dagster and CLI)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingestion.api import (
    googleplay,
    qualtrics,
    shopify,
    surveymonkey,
    trustpilot,
    typeform,
    yelp,
)
from ingestion.api.window import Puller, WindowResult, run_window
from ingestion.warehouse import connect

PULLERS: dict[str, Callable[[], Puller]] = {
    "trustpilot": trustpilot.from_environment,
    "typeform": typeform.from_environment,
    "surveymonkey": surveymonkey.from_environment,
    "shopify": shopify.from_environment,
    "google_play": googleplay.from_environment,
    "yelp": yelp.from_environment,
    "qualtrics": qualtrics.from_environment,
}


def pull_vendor(vendor: str, warehouse: Path) -> WindowResult:
    """Configure the vendor's client from the environment and load its next window."""
    puller = PULLERS[vendor]()
    conn = connect(warehouse)
    try:
        return run_window(conn, puller)
    finally:
        conn.close()
