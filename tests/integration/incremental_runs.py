"""Steps shared by the tests that hold an incremental run equal to a full refresh: point
the project at a scratch warehouse, ingest the landing folder, run a dbt selection."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingestion.pipeline import ingest
from ingestion.settings import DBT_PROJECT_DIR, MODELS_WITHOUT_TESTS_ARGS
from orchestration.lib.quality.gx_runner import audit_new_loads


def use_scratch_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pseudonym_key: str
) -> tuple[Path, Path]:
    """(landing folder, warehouse) under tmp_path, set in the environment dbt reads."""
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("PULSE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("PULSE_LANDING_DIR", str(landing))
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", pseudonym_key)
    monkeypatch.delenv("PULSE_SURVEY_REGISTRY", raising=False)
    return landing, warehouse


def ingest_landing(landing: Path, warehouse: Path) -> None:
    """Load the landing folder and pass it through the raw gates, as `pulse audit` does."""
    results = ingest(warehouse=warehouse, landing_root=landing)
    assert not [result for result in results if result.error], results
    assert not [outcome for outcome in audit_new_loads(warehouse) if outcome.held]


def dbt_run(tmp_path: Path, selection: list[str], *extra: str) -> None:
    command = [str(Path(sys.executable).with_name("dbt")), *MODELS_WITHOUT_TESTS_ARGS, *selection]
    command += list(extra)
    command += ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    command += ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    completed = subprocess.run(command, env=os.environ, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout[-3000:]
