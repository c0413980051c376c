"""A killed run does not block the next one; a waiting run says so and gives up naming
the holder; `pulse doctor` finds and repairs what a killed run left behind."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.utils import make_new_run_id

from ingestion import settings
from orchestration.cli import main
from orchestration.doctor import diagnose
from orchestration.project import DUCKDB_WRITER_POOL
from orchestration.run_guard import (
    WriterSlotWatch,
    dead_runs,
    recover_dead_runs,
    run_owner_tags,
)


@dg.asset(pool=DUCKDB_WRITER_POOL)
def writes_warehouse() -> None:
    """Stands for any step that writes the warehouse."""


def _writer_job() -> dg.JobDefinition:
    job = dg.define_asset_job("writer_job", selection=[writes_warehouse])
    return dg.Definitions(assets=[writes_warehouse], jobs=[job]).resolve_job_def("writer_job")


def _holders(instance: dg.DagsterInstance) -> set[str]:
    info = instance.event_log_storage.get_concurrency_info(DUCKDB_WRITER_POOL)
    return {slot.run_id for slot in info.claimed_slots}


def _kill_hard(process: subprocess.Popen[bytes]) -> None:
    process.kill()  # SIGKILL: no cleanup runs
    process.wait()


def test_killed_run_is_failed_and_frees_its_slot(
    instance: dg.DagsterInstance, slot_holder: subprocess.Popen[bytes]
) -> None:
    (held_by,) = _holders(instance)
    assert dead_runs(instance) == []  # alive: not touched
    _kill_hard(slot_holder)
    assert [run.run_id for run in dead_runs(instance)] == [held_by]

    lines = recover_dead_runs(instance)

    assert len(lines) == 1 and "process is gone" in lines[0]
    run = instance.get_run_by_id(held_by)
    assert run is not None and run.status == dg.DagsterRunStatus.FAILURE
    assert _holders(instance) == set()
    reasons: list[str] = []
    run_id = make_new_run_id()
    watch = WriterSlotWatch(instance, run_id, limit=30, poll_every=0.2, give_up=reasons.append)
    watch.start()
    try:
        started = time.monotonic()
        result = _writer_job().execute_in_process(
            instance=instance, run_id=run_id, tags=run_owner_tags()
        )
    finally:
        watch.stop()
    assert result.success and reasons == []
    assert time.monotonic() - started < 30


def test_waiting_run_says_who_holds_the_slot_and_gives_up(
    instance: dg.DagsterInstance, slot_holder: subprocess.Popen[bytes]
) -> None:
    notices: list[str] = []
    reasons: list[str] = []

    def give_up(reason: str) -> None:
        reasons.append(reason)
        # What `pulse run` does next is end its process; here the holder goes instead, so
        # the waiting run can finish within the test.
        _kill_hard(slot_holder)
        recover_dead_runs(instance)

    run_id = make_new_run_id()
    watch = WriterSlotWatch(
        instance,
        run_id,
        limit=3,
        notice_every=1,
        poll_every=0.2,
        say=notices.append,
        give_up=give_up,
    )
    watch.start()
    try:
        _writer_job().execute_in_process(instance=instance, run_id=run_id, tags=run_owner_tags())
    finally:
        watch.stop()
    holder = f"PID {slot_holder.pid}"
    assert notices and all("waiting" in line and holder in line for line in notices)
    assert len(reasons) == 1
    assert reasons[0].startswith("gave up after waiting") and holder in reasons[0]


def test_doctor_reports_then_repairs_what_a_killed_run_left(
    instance: dg.DagsterInstance, slot_holder: subprocess.Popen[bytes]
) -> None:
    published = settings.published_warehouse_path()
    leftover = published.with_name(f".{published.name}.0123abcd.tmp")
    leftover.write_bytes(b"half a copy")
    _kill_hard(slot_holder)

    report = diagnose(instance, repair=False)
    problems = [finding.line for finding in report if finding.problem]
    assert any(line.startswith("runs:") and "process is gone" in line for line in problems)
    assert any(line.startswith("temp files:") and leftover.name in line for line in problems)
    assert all("\n" not in finding.line for finding in report)
    assert leftover.exists()  # reporting changes nothing

    repaired = diagnose(instance, repair=True)
    assert all(finding.repaired for finding in repaired if finding.problem)
    assert not leftover.exists() and _holders(instance) == set()
    assert not [finding for finding in diagnose(instance, repair=False) if finding.problem]


@pytest.fixture
def warehouse_held_by_other_process(dagster_home: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process with the warehouse open for writing."""
    code = (
        "import duckdb, sys, time\n"
        "conn = duckdb.connect(sys.argv[1])\nconn.execute('create table t (a int)')\n"
        "print('ready', flush=True)\n"
        "time.sleep(120)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(settings.warehouse_path())],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        yield process
    finally:
        process.kill()
        process.wait()


@pytest.mark.parametrize("command", [["status"], ["ingest", "{landing}"]])
def test_lock_errors_are_one_line_naming_the_holder(
    command: list[str],
    warehouse_held_by_other_process: subprocess.Popen[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    (landing / "reviews.csv").write_text("review_id,rating\n1,5\n", encoding="utf-8")
    argv = [part.format(landing=landing) for part in command]

    assert main(argv) == 1

    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert f"process {warehouse_held_by_other_process.pid}" in err
    assert "Traceback" not in err and "IOException" not in err
