"""Fixtures of the fault suite: a throwaway Dagster home, and a process holding the
warehouse writer slot as a `pulse run` would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from ingestion.settings import REPO_ROOT

HOLDER_SCRIPT = Path(__file__).resolve().parent / "writer_slot_holder.py"


@pytest.fixture
def dagster_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copyfile(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("PULSE_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    return home


@pytest.fixture
def instance(dagster_home: Path) -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        yield instance


@pytest.fixture
def slot_holder(dagster_home: Path, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A process whose run holds the writer slot until it is killed."""
    marker = tmp_path / "holding"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    process = subprocess.Popen(
        [sys.executable, str(HOLDER_SCRIPT), str(marker)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert process.poll() is None, "the slot holder ended before it held the slot"
            assert time.monotonic() < deadline, "the slot holder never held the slot"
            time.sleep(0.2)
        yield process
    finally:
        process.kill()
        process.wait()
