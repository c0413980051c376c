from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.sample_data import generate_sample_data


@pytest.fixture
def sample_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small sample landing folder and an empty warehouse; returns the warehouse path."""
    landing = tmp_path / "landing"
    generate_sample_data(landing, seed=7, scale=0.25)
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("PULSE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("PULSE_LANDING_DIR", str(landing))
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "integration-test-key")
    monkeypatch.delenv("PULSE_SURVEY_REGISTRY", raising=False)
    return warehouse
