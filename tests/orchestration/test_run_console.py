"""`pulse run`'s console: its output and its children's go to the log, our own warnings
are kept once each, and progress is a line redrawn on a terminal or, in a pipe, a line
only when something moved and enough time passed."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from orchestration import run_console
from orchestration.run_console import (
    LOGS_KEPT,
    Progress,
    ProgressDisplay,
    run_log_path,
    run_output_to_log,
)

PROJECT_FILE = str(Path(run_console.__file__))
LIBRARY_FILE = str(Path(dg.__file__))


def test_output_of_the_process_and_its_children_goes_to_the_log(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "run.log"
    with run_output_to_log(log, Path(PROJECT_FILE).parents[1]) as (terminal, own):
        print("a line from this process")
        subprocess.run([sys.executable, "-c", "print('a line from dbt')"], check=True)
        warnings.warn_explicit("key not set", UserWarning, PROJECT_FILE, 1)
        warnings.warn_explicit("key not set", UserWarning, PROJECT_FILE, 1)
        warnings.warn_explicit("pandas too new", FutureWarning, LIBRARY_FILE, 1)
        terminal.write("progress\n")
        terminal.flush()
    shown = capfd.readouterr()
    logged = log.read_text(encoding="utf-8")
    assert "a line from this process" in logged and "a line from dbt" in logged
    assert "pandas too new" in logged and "key not set" in logged
    assert "progress" in shown.err and "dbt" not in shown.out + shown.err
    assert own.messages == ["key not set"]
    print("after the run")
    assert capfd.readouterr().out == "after the run\n"


def test_logs_are_named_by_time_and_run_and_the_oldest_pruned(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    for index in range(LOGS_KEPT + 5):
        (logs / f"pulse-run-20260101-0000{index:02d}-aaaaaaaa.log").write_text("x")
    path = run_log_path(logs, "c1f350d6-d89c", datetime(2026, 12, 6, 23, 48, 47, tzinfo=UTC))
    path.write_text("x")
    assert path.name == "pulse-run-20261206-234847-c1f350d6.log"
    kept = sorted(logs.glob("*.log"))
    assert len(kept) == LOGS_KEPT and kept[-1] == path
    assert kept[0].name == "pulse-run-20260101-000006-aaaaaaaa.log"


def test_progress_counts_steps_assets_and_checks() -> None:
    progress = Progress(total_steps=4, started_at=0.0)
    kinds = dg.DagsterEventType
    progress.apply(kinds.STEP_START, "raw_surveys")
    progress.apply(kinds.STEP_START, "raw_reviews")
    progress.apply(kinds.STEP_START, "raw_polls")
    progress.apply(kinds.ASSET_MATERIALIZATION, "raw_surveys")
    progress.apply(kinds.STEP_SUCCESS, "raw_surveys")
    progress.apply(kinds.ASSET_CHECK_EVALUATION, "raw_reviews")
    assert progress.line(now=83.4) == (
        "[01:23] 1/4 steps · running raw_reviews, raw_polls · 1 assets, 1 checks"
    )
    progress.apply(kinds.STEP_START, "pulse_dbt_models")
    progress.apply(kinds.STEP_FAILURE, "raw_reviews")
    assert progress.line(now=3600.0) == (
        "[60:00] 2/4 steps · 1 failed · running raw_polls, pulse_dbt_models · 1 assets, 1 checks"
    )


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_in_a_pipe_a_line_only_when_something_moved_and_time_passed() -> None:
    clock = Clock()
    out = io.StringIO()
    display = ProgressDisplay(dg.DagsterInstance.ephemeral(), "run", 3, out, clock=clock)
    assert not display.in_place
    display.show()  # the first line
    clock.now = 20.0
    display.show()  # nothing moved
    display.progress.apply(dg.DagsterEventType.STEP_START, "raw_surveys")
    clock.now = 25.0
    display.show()  # moved, 25 s after the first line: shown
    display.progress.apply(dg.DagsterEventType.STEP_SUCCESS, "raw_surveys")
    clock.now = 30.0
    display.show()  # moved, 5 s after the last line: held back
    display.say("pulse: waiting for the writer slot")
    display.show(final=True)
    display.show(final=True)  # the last line is not repeated
    assert out.getvalue().splitlines() == [
        "[00:00] 0/3 steps · 0 assets, 0 checks",
        "[00:25] 0/3 steps · running raw_surveys · 0 assets, 0 checks",
        "pulse: waiting for the writer slot",
        "[00:30] 1/3 steps · 0 assets, 0 checks",
    ]


def test_a_long_run_adds_lines_ever_more_slowly() -> None:
    clock = Clock()
    out = io.StringIO()
    display = ProgressDisplay(dg.DagsterInstance.ephemeral(), "run", 10_000, out, clock=clock)
    for second in range(0, 3600):
        clock.now = float(second)
        display.progress.apply(dg.DagsterEventType.STEP_START, f"step_{second}")
        display.show()
    # Every second moved: a line each 15 s for the first minute, then after a quarter of
    # the time elapsed: 19 lines in an hour instead of 240, 10 in the first 5 minutes.
    lines = out.getvalue().splitlines()
    assert len(lines) == 19
    assert sum(line < "[05:00]" for line in lines) == 10


def test_the_display_reads_the_runs_events_from_the_instance() -> None:
    @dg.asset
    def first() -> int:
        return 1

    @dg.asset
    def second(first: int) -> int:
        return first + 1

    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([first, second], instance=instance)
    out = io.StringIO()
    display = ProgressDisplay(instance, result.run_id, 2, out, clock=lambda: 0.0)
    display.poll()
    assert display.progress.finished == 2 and display.progress.materialized == 2
    assert out.getvalue() == "[00:00] 2/2 steps · 2 assets, 0 checks\n"
