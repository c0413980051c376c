"""A `pulse run` stand-in for the fault tests: runs a one-asset job in the writer pool,
tagged as `pulse run` tags its runs, that writes `marker` once it holds the slot and then
sleeps until killed.

Usage: python writer_slot_holder.py MARKER (DAGSTER_HOME set).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import dagster as dg

from orchestration.project import DUCKDB_WRITER_POOL
from orchestration.run_guard import run_owner_tags


@dg.asset(pool=DUCKDB_WRITER_POOL)
def holds_writer_slot() -> None:
    Path(sys.argv[1]).write_text("holding", encoding="utf-8")
    time.sleep(600)


if __name__ == "__main__":
    with dg.DagsterInstance.get() as instance:
        dg.materialize([holds_writer_slot], instance=instance, tags=run_owner_tags())
