"""The landing sensor asks for a run for new files only, judged by the load ledger."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingestion.pipeline import ingest
from orchestration.defs.ingestion.sensors import landing_folder_sensor
from orchestration.defs.serving.publish import publish_marts


def _tick(cursor: str | None = None) -> dg.SensorResult:
    context = dg.build_sensor_context(cursor=cursor, instance=dg.DagsterInstance.ephemeral())
    return landing_folder_sensor(context)


@pytest.fixture
def published(pulse_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Commerce files loaded into the warehouse, then published with the ledger."""
    path = tmp_path / "published.duckdb"
    monkeypatch.setenv("PULSE_PUBLISHED_WAREHOUSE", str(path))
    results = ingest(families={"commerce"})
    assert {result.status for result in results} == {"loaded"}
    with duckdb.connect(str(pulse_env)) as conn:
        conn.execute("create schema marts")
        conn.execute("create table marts.fct_orders as select * from raw.orders")
    publish_marts(pulse_env, path)
    return path


def test_files_already_in_the_ledger_start_no_run(published: Path, landing: Path) -> None:
    for folder in ("surveys", "reviews", "polls"):
        shutil.rmtree(landing / folder)

    result = _tick(None)  # no cursor: a fresh sensor sees every file as changed
    assert not result.run_requests
    assert result.skip_reason is not None


def test_a_new_file_starts_one_run(published: Path, landing: Path) -> None:
    for folder in ("surveys", "reviews", "polls"):
        shutil.rmtree(landing / folder)
    first = _tick(None)

    new_orders = (landing / "commerce" / "orders_small.csv").read_text(encoding="utf-8")
    (landing / "commerce" / "orders_late.csv").write_text(
        new_orders + "\n",
        encoding="utf-8",  # different bytes: a new delivery
    )
    added = _tick(first.cursor)
    assert len(added.run_requests or []) == 1
    assert added.run_requests[0].tags["pulse/new_files"] == "1"

    again = _tick(added.cursor)
    assert not again.run_requests


def test_a_renamed_copy_of_a_loaded_file_starts_no_run(published: Path, landing: Path) -> None:
    shutil.copyfile(landing / "commerce" / "orders_small.csv", landing / "orders_copy.csv")
    result = _tick(None)
    # The survey, review and poll files are new; the renamed orders copy is not.
    assert len(result.run_requests or []) == 1
    assert result.run_requests[0].tags["pulse/new_files"] == "5"
