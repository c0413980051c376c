"""Every step of `pulse run` has a time limit (PULSE_STEP_TIME_LIMIT): a step that hangs
is stopped with its child processes, the run is recorded as failed with the reason, and
the process ends instead of holding the writer slot for ever."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

from ingestion.settings import REPO_ROOT
from orchestration.step_time_limit import StepTimeLimit, descendant_pids

SCRIPT = Path(__file__).with_name("overrunning_step_run.py")
RUN_ID = "0f0f0f0f-0000-4000-8000-000000000001"


def test_a_hanging_step_is_stopped_with_its_children_and_the_run_failed(tmp_path: Path) -> None:
    home = tmp_path / "dagster"
    home.mkdir()
    pid_file = tmp_path / "child.pid"
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, str(SCRIPT), str(pid_file)],
        env={
            **os.environ,
            "DAGSTER_HOME": str(home),
            "PULSE_STEP_TIME_LIMIT": "3",
            "PYTHONPATH": str(REPO_ROOT),
        },
        capture_output=True,
        text=True,
        timeout=240,
        cwd=REPO_ROOT,
    )
    assert run.returncode == 1, run.stdout[-2000:] + run.stderr[-2000:]
    assert "the run ended by itself" not in run.stdout
    assert "step never_ending_load ran" in run.stdout
    assert "over its limit of 3 s (PULSE_STEP_TIME_LIMIT)" in run.stdout
    assert time.monotonic() - started < 200
    child = int(pid_file.read_text(encoding="ascii"))
    assert not Path(f"/proc/{child}").exists() or "Z" in _state(child)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        recorded = instance.get_run_by_id(RUN_ID)
        assert recorded is not None and recorded.status == dg.DagsterRunStatus.FAILURE


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def test_the_limit_counts_from_each_steps_start_and_forgets_finished_steps() -> None:
    @dg.asset
    def quick() -> int:
        return 1

    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([quick], instance=instance)
    started = next(
        record.event_log_entry.timestamp
        for record in instance.get_records_for_run(
            result.run_id, of_type=dg.DagsterEventType.STEP_START
        ).records
    )
    now = [started + 100.0]
    watch = StepTimeLimit(instance, result.run_id, limit=10.0, clock=lambda: now[0])
    assert watch.check() is None  # the step finished: nothing runs
    assert watch.started == {}
    watch.started["pulse_dbt_models"] = started
    assert watch.check() == (
        "stopped: step pulse_dbt_models ran 100 s, over its limit of 10 s (PULSE_STEP_TIME_LIMIT)"
    )
    now[0] = started + 5.0
    assert watch.check() is None


def test_descendants_are_found_through_every_generation() -> None:
    parent = subprocess.Popen(["sh", "-c", "sleep 30 & wait"])
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(descendant_pids(parent.pid)) < 1:
            time.sleep(0.05)
        assert len(descendant_pids(parent.pid)) == 1
        assert parent.pid in descendant_pids(os.getpid())
        assert set(descendant_pids(parent.pid)) <= set(descendant_pids(os.getpid()))
    finally:
        for pid in descendant_pids(parent.pid):
            os.kill(pid, 9)
        parent.kill()
        parent.wait()
