"""One landing sensor per family folder asks for a run for new files only, judged by the
load ledger, and each run selects only its family's raw asset and what depends on it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingestion.pipeline import ingest
from orchestration.definitions import defs
from orchestration.defs.ingestion.assets import RAW_TABLES_BY_FAMILY
from orchestration.defs.ingestion.sensors import (
    landing_commerce_sensor,
    landing_folder_sensor,
    landing_followup_sensor,
    landing_polls_sensor,
    landing_reviews_sensor,
    landing_surveys_sensor,
)
from orchestration.lib.serving.publish import publish_marts

SENSORS = {
    "surveys": landing_surveys_sensor,
    "reviews": landing_reviews_sensor,
    "polls": landing_polls_sensor,
    "commerce": landing_commerce_sensor,
    "followup": landing_followup_sensor,
}


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as instance:
        yield instance


def tick(
    sensor: dg.SensorDefinition, instance: dg.DagsterInstance, cursor: str | None = None
) -> dg.SensorResult:
    context = dg.build_sensor_context(cursor=cursor, instance=instance)
    result = sensor(context)
    assert isinstance(result, dg.SensorResult)
    return result


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


def test_there_is_a_sensor_for_every_family_folder() -> None:
    assert set(SENSORS) == set(RAW_TABLES_BY_FAMILY)
    for family, sensor in SENSORS.items():
        assert sensor.job_name == f"landing_{family}_job"
        assert sensor.default_status == dg.DefaultSensorStatus.STOPPED


def test_files_already_in_the_ledger_start_no_run(
    published: Path, instance: dg.DagsterInstance
) -> None:
    commerce = tick(landing_commerce_sensor, instance)  # no cursor: every file is changed
    assert not commerce.run_requests
    assert commerce.skip_reason is not None
    assert commerce.skip_reason.skip_message == "no new files in commerce/"
    # The other folders' files were never loaded: each of their sensors asks for a run.
    for family in ("surveys", "reviews", "polls"):
        result = tick(SENSORS[family], instance)
        assert len(result.run_requests or []) == 1, family
        assert result.run_requests[0].tags["pulse/landing_folder"] == family


def test_a_new_file_starts_one_run_of_its_own_folder_only(
    published: Path, landing: Path, instance: dg.DagsterInstance
) -> None:
    cursors = {family: tick(sensor, instance).cursor for family, sensor in SENSORS.items()}

    new_orders = (landing / "commerce" / "orders_small.csv").read_text(encoding="utf-8")
    # different bytes: a new delivery
    (landing / "commerce" / "orders_late.csv").write_text(new_orders + "\n", encoding="utf-8")

    added = tick(landing_commerce_sensor, instance, cursors["commerce"])
    assert len(added.run_requests or []) == 1
    assert added.run_requests[0].tags == {
        "pulse/new_files": "1",
        "pulse/landing_folder": "commerce",
    }
    for family in ("surveys", "reviews", "polls"):
        assert not tick(SENSORS[family], instance, cursors[family]).run_requests, family
    assert not tick(landing_folder_sensor, instance).run_requests

    again = tick(landing_commerce_sensor, instance, added.cursor)
    assert not again.run_requests


def test_a_renamed_copy_of_a_loaded_file_starts_no_run(
    published: Path, landing: Path, instance: dg.DagsterInstance
) -> None:
    shutil.copyfile(landing / "commerce" / "orders_small.csv", landing / "orders_copy.csv")
    shutil.copyfile(landing / "commerce" / "customers_small.csv", landing / "reviews" / "c.csv")
    assert not tick(landing_folder_sensor, instance).run_requests
    # reviews/ still has its own two unloaded files, and only those count as new
    reviews = tick(landing_reviews_sensor, instance)
    assert reviews.run_requests[0].tags["pulse/new_files"] == "2"


def test_the_folder_sensor_watches_only_files_outside_the_family_folders(
    pulse_env: Path, landing: Path, instance: dg.DagsterInstance
) -> None:
    assert not tick(landing_folder_sensor, instance).run_requests
    shutil.copyfile(landing / "polls" / "poll_results_small.csv", landing / "polls_extra.csv")
    result = tick(landing_folder_sensor, instance)
    assert result.run_requests[0].tags == {"pulse/new_files": "1", "pulse/landing_folder": "."}
    assert landing_folder_sensor.job_name == "pulse_pipeline"


def test_each_family_job_selects_its_raw_asset_and_what_depends_on_it() -> None:
    definitions = defs()
    for family, tables in RAW_TABLES_BY_FAMILY.items():
        job = definitions.resolve_job_def(f"landing_{family}_job")
        keys = set(job.asset_layer.executable_asset_keys)
        own = {dg.AssetKey(["raw", table]) for table in tables}
        others = {
            dg.AssetKey(["raw", table])
            for other, other_tables in RAW_TABLES_BY_FAMILY.items()
            if other != family
            for table in other_tables
        }
        assert own <= keys, family
        assert not keys & others, family
        assert dg.AssetKey(["serving", "published_marts"]) in keys
        assert not any(key.path[0] in ("api", "history") for key in keys)
    commerce = definitions.resolve_job_def("landing_commerce_job")
    assert dg.AssetKey(["marts", "fct_orders"]) in commerce.asset_layer.executable_asset_keys
    reviews = definitions.resolve_job_def("landing_reviews_job")
    assert dg.AssetKey(["marts", "fct_orders"]) not in reviews.asset_layer.executable_asset_keys
