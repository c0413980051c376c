"""PULSE_TARGET picks the engine; the lake follows from it unless set."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion import settings


@pytest.fixture(autouse=True)
def clean_target(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("PULSE_TARGET", "PULSE_DBT_TARGET", "PULSE_LAKE_URL", "PULSE_SPARK_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PULSE_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))


def test_duckdb_by_default_without_a_lake() -> None:
    assert settings.target() == "duckdb"
    assert settings.lake_url() is None
    assert "PULSE_LAKE_URL" not in settings.target_environment()


def test_the_former_name_is_still_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULSE_DBT_TARGET", "postgres")
    assert settings.target() == "postgres"
    monkeypatch.setenv("PULSE_TARGET", "spark")
    assert settings.target() == "spark"


def test_spark_reads_a_lake_beside_the_warehouse(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PULSE_TARGET", "spark")
    environment = settings.target_environment()
    assert environment["PULSE_LAKE_URL"] == str(tmp_path / "lake")
    assert environment["PULSE_SPARK_HOME"] == str(tmp_path / "spark")


def test_an_explicit_lake_url_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULSE_LAKE_URL", "s3://bucket/pulse")
    assert settings.lake_url() == "s3://bucket/pulse"


def test_an_unknown_target_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULSE_TARGET", "oracle")
    with pytest.raises(ValueError, match="PULSE_TARGET"):
        settings.target()
