"""dagster.yaml loads as a Dagster instance with the queue, retry and retention it promises."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.definitions.run_request import InstigatorType
from dagster._core.run_coordinator import QueuedRunCoordinator
from dagster._core.scheduler.instigation import TickStatus
from dagster._core.storage.runs import SqliteRunStorage

from ingestion.settings import REPO_ROOT
from orchestration.event_log import OPEN_RUN_DATABASES, PooledSqliteEventLogStorage


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dg.DagsterInstance]:
    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    shutil.copyfile(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        yield instance


def test_storage_defaults_to_sqlite_files(instance: dg.DagsterInstance, tmp_path: Path) -> None:
    assert isinstance(instance.run_storage, SqliteRunStorage)
    events = instance.event_log_storage
    assert isinstance(events, PooledSqliteEventLogStorage)
    assert Path(events._base_dir) == tmp_path / "dagster_home" / "history" / "runs"


@dg.asset
def probe() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"rows": 3})


def test_pooled_event_log_keeps_what_dagster_reads(instance: dg.DagsterInstance) -> None:
    """Events written through the pooled log are there for a fresh instance on the same
    home, as the webserver and the next run read them."""
    for _ in range(OPEN_RUN_DATABASES + 2):  # more runs than engines kept open
        assert dg.materialize([probe], instance=instance).success
    runs = instance.get_runs()
    with dg.DagsterInstance.from_config(instance.root_directory) as reader:
        assert len(reader.get_runs()) == len(runs)
        for run in runs:
            kinds = {event.dagster_event_type for event in reader.all_logs(run.run_id)}
            assert dg.DagsterEventType.RUN_SUCCESS in kinds
        latest = reader.get_latest_materialization_event(probe.key)
        assert latest is not None and latest.run_id == runs[0].run_id


def test_runs_queue_with_limits(instance: dg.DagsterInstance) -> None:
    assert isinstance(instance.run_coordinator, QueuedRunCoordinator)
    concurrency = instance.get_concurrency_config()  # what the run queue daemon applies
    queue = concurrency.run_queue_config
    assert queue is not None
    assert queue.max_concurrent_runs == 4
    assert [dict(limit) for limit in queue.tag_concurrency_limits] == [
        {"key": "dagster/backfill", "limit": 1}
    ]
    assert concurrency.pool_config.default_pool_limit == 1


def test_only_lost_runs_are_retried_by_default(instance: dg.DagsterInstance) -> None:
    assert instance.run_retries_enabled
    assert instance.run_retries_max_retries == 0
    assert not instance.run_retries_retry_on_asset_or_op_failure


def test_old_ticks_are_purged(instance: dg.DagsterInstance) -> None:
    sensor = instance.get_tick_retention_settings(InstigatorType.SENSOR)
    assert sensor[TickStatus.SKIPPED] == 7
    assert sensor[TickStatus.FAILURE] == 30
    assert sensor[TickStatus.SUCCESS] == -1
    schedule = instance.get_tick_retention_settings(InstigatorType.SCHEDULE)
    assert set(schedule.values()) == {90}
