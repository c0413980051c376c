"""A time limit on every step of `pulse run`. A step that hangs (an API that never
answers, a query that never ends, a lock never released) would otherwise hold the
warehouse writer slot and every later run with it. When a step runs longer than the
limit, its child processes (dbt) are stopped, the run is recorded as failed with the
reason, its pool slots are freed and the process ends: the next run starts clean, and
DuckDB rolls back the write that was cut short."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg

from orchestration.run_guard import end_run

STEP_EVENTS = {
    dg.DagsterEventType.STEP_START,
    dg.DagsterEventType.STEP_SUCCESS,
    dg.DagsterEventType.STEP_FAILURE,
    dg.DagsterEventType.STEP_SKIPPED,
}
# How long children get to end after SIGTERM before SIGKILL.
TERMINATE_GRACE_SECONDS = 5.0


def descendant_pids(pid: int) -> list[int]:
    """Every process below `pid` (children first), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        # The command name (field 2) may hold spaces and parentheses: split after it.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: list[int] = []
    pending = [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def stop_processes(pids: list[int], grace: float = TERMINATE_GRACE_SECONDS) -> None:
    """SIGTERM, then SIGKILL what is still there after `grace` seconds."""
    for pid in pids:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.1)
    for pid in pids:
        _signal(pid, signal.SIGKILL)


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # ended, or not ours
        os.kill(pid, signum)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return False
    return state[0] != "Z"  # a zombie has ended; its parent has not collected it


def stop_overrunning_run(
    instance: dg.DagsterInstance,
    run_id: str,
    reason: str,
    say: Callable[[str], None] | None = None,
) -> None:
    """Stop this process's children, then end its run as failed with `reason`."""
    stop_processes(descendant_pids(os.getpid()))
    end_run(instance, run_id, reason, say)


class StepTimeLimit(threading.Thread):
    """Reads the run's step events every `poll_every` seconds; when a step has run longer
    than `limit` seconds, calls `give_up(reason)` (by default `stop_overrunning_run`)."""

    def __init__(
        self,
        instance: dg.DagsterInstance,
        run_id: str,
        *,
        limit: float,
        poll_every: float = 1.0,
        give_up: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(name="step-time-limit", daemon=True)
        self.instance = instance
        self.run_id = run_id
        self.limit = limit
        self.poll_every = poll_every
        self.give_up = give_up or (lambda reason: stop_overrunning_run(instance, run_id, reason))
        self.clock = clock
        self.started: dict[str, float] = {}  # running step -> when it started (epoch s)
        self._cursor: str | None = None
        self._halt = threading.Event()

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)

    def run(self) -> None:
        while not self._halt.wait(self.poll_every):
            overrun = self.check()
            if overrun:
                self.give_up(overrun)
                return

    def check(self) -> str | None:
        """Read new step events; the reason to stop when a running step is over its limit."""
        try:
            connection = self.instance.get_records_for_run(
                self.run_id, cursor=self._cursor, of_type=STEP_EVENTS
            )
        except Exception:  # storage busy for a moment: read again at the next poll
            return None
        for record in connection.records:
            entry = record.event_log_entry
            event = entry.dagster_event
            if event is None or entry.step_key is None:
                continue
            if event.event_type == dg.DagsterEventType.STEP_START:
                self.started[entry.step_key] = entry.timestamp
            else:
                self.started.pop(entry.step_key, None)
        self._cursor = connection.cursor
        now = self.clock()
        for step, started in self.started.items():
            if now - started > self.limit:
                return (
                    f"stopped: step {step} ran {now - started:.0f} s, over its limit of"
                    f" {self.limit:.0f} s (PULSE_STEP_TIME_LIMIT)"
                )
        return None
