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


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[dg.DagsterInstance]:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copyfile(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        yield instance


def test_storage_defaults_to_sqlite_files(instance: dg.DagsterInstance) -> None:
    assert isinstance(instance.run_storage, SqliteRunStorage)


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
