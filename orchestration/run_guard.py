"""Runs that cannot wedge: find runs whose process died, free their pool slots, and watch a
run that waits for the warehouse writer slot.

`pulse run` tags its Dagster run with the process id, host and process start time. A run
left STARTED by a process that no longer exists (killed, machine rebooted) is marked
failed on the next start, and its slots in every pool are freed: otherwise the next run
waits for the `duckdb_writer` slot forever. Runs launched by other means (the Dagster
daemon, `dagster dev`) carry no such tags; Dagster's own run monitoring covers them.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg
from dagster._core.storage.dagster_run import IN_PROGRESS_RUN_STATUSES
from dagster._utils.interrupts import check_captured_interrupt

from orchestration.project import DUCKDB_WRITER_POOL

PID_TAG = "pulse/pid"
HOST_TAG = "pulse/host"
# The process start time guards against a new process that reuses a dead run's PID.
PROCESS_START_TAG = "pulse/process_start"
# How often a waiting run says so.
WAIT_NOTICE_SECONDS = 30.0


def process_start_marker(pid: int) -> str:
    """When the process `pid` started, in clock ticks since boot (Linux), else ''."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""
    # Field 22; the command name (field 2) may hold spaces, so split after its ')'.
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else ""


def run_owner_tags() -> dict[str, str]:
    """Tags naming this process as the owner of a run."""
    pid = os.getpid()
    return {
        PID_TAG: str(pid),
        HOST_TAG: socket.gethostname(),
        PROCESS_START_TAG: process_start_marker(pid),
    }


def process_alive(pid: int, start_marker: str = "") -> bool:
    """Whether the process `pid` exists (and is the one that started at `start_marker`)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by another user
    if start_marker:
        current = process_start_marker(pid)
        return not current or current == start_marker
    return True


def owner_is_gone(run: dg.DagsterRun) -> bool:
    """Whether the run was started by a `pulse` process on this host that no longer exists."""
    tags = run.tags
    if tags.get(HOST_TAG) != socket.gethostname() or not tags.get(PID_TAG, "").isdigit():
        return False
    return not process_alive(int(tags[PID_TAG]), tags.get(PROCESS_START_TAG, ""))


def describe_owner(run: dg.DagsterRun) -> str:
    """'run 1a2b3c4d (PID 123 on host h, started 12:00:00 UTC)', as far as known."""
    details = []
    if run.tags.get(PID_TAG):
        details.append(f"PID {run.tags[PID_TAG]} on {run.tags.get(HOST_TAG, '?')}")
    details.append(str(run.status.value).lower())
    return f"run {run.run_id[:8]} ({', '.join(details)})"


def dead_runs(instance: dg.DagsterInstance) -> list[dg.DagsterRun]:
    """In-progress runs whose owning `pulse` process on this host is gone."""
    statuses = [
        status for status in IN_PROGRESS_RUN_STATUSES if status != dg.DagsterRunStatus.QUEUED
    ]
    runs = instance.get_runs(filters=dg.RunsFilter(statuses=statuses))
    return [run for run in runs if owner_is_gone(run)]


def orphaned_slot_runs(instance: dg.DagsterInstance) -> set[str]:
    """Runs holding or waiting for a pool slot that are no longer in progress (or deleted)."""
    storage = instance.event_log_storage
    orphaned = set()
    for run_id in storage.get_concurrency_run_ids():
        run = instance.get_run_by_id(run_id)
        if run is None or run.status not in IN_PROGRESS_RUN_STATUSES:
            orphaned.add(run_id)
    return orphaned


def fail_dead_run(instance: dg.DagsterInstance, run: dg.DagsterRun) -> None:
    """Mark the run failed and free its pool slots."""
    instance.report_run_failed(
        run,
        f"The process that ran it (PID {run.tags.get(PID_TAG)} on {run.tags.get(HOST_TAG)})"
        " no longer exists: marked failed by pulse",
    )
    instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)


def recover_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Fail runs whose process is gone and free slots nobody in progress holds; one line
    per repair."""
    lines = []
    for run in dead_runs(instance):
        fail_dead_run(instance, run)
        lines.append(f"marked {describe_owner(run)} failed: its process is gone; slots freed")
    for run_id in sorted(orphaned_slot_runs(instance)):
        instance.event_log_storage.free_concurrency_slots_for_run(run_id)
        lines.append(f"freed the pool slots of run {run_id[:8]}, which is no longer running")
    return lines


def writer_slot_holders(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """Descriptions of the other runs holding the writer slot."""
    info = instance.event_log_storage.get_concurrency_info(DUCKDB_WRITER_POOL)
    holders = []
    for slot in info.claimed_slots:
        if slot.run_id == run_id:
            continue
        run = instance.get_run_by_id(slot.run_id)
        owner = describe_owner(run) if run else f"run {slot.run_id[:8]} (deleted)"
        holders.append(f"{owner} in step {slot.step_key}")
    return holders


def waiting_for_writer(instance: dg.DagsterInstance, run_id: str) -> bool:
    """Whether the run has a step queued for the writer slot and holds none."""
    info = instance.event_log_storage.get_concurrency_info(DUCKDB_WRITER_POOL)
    if any(slot.run_id == run_id for slot in info.claimed_slots):
        return False
    return any(step.run_id == run_id for step in info.pending_steps)


def stop_waiting_run(
    instance: dg.DagsterInstance,
    run_id: str,
    reason: str,
    say: Callable[[str], None] | None = None,
) -> None:
    """End this process while its run waits for the writer slot. Safe because the
    in-process executor runs one step at a time, and the waiting step holds no warehouse
    connection; Dagster's wait itself cannot be interrupted (it defers Ctrl-C until the
    step starts)."""
    end_run(instance, run_id, reason, say)


def end_run(
    instance: dg.DagsterInstance,
    run_id: str,
    reason: str,
    say: Callable[[str], None] | None = None,
) -> None:
    """Record the run as failed with `reason`, free its slots, say why (`say`, default
    stderr) and end this process with 1."""
    run = instance.get_run_by_id(run_id)
    if run is not None:
        instance.report_run_failed(run, reason)
    instance.event_log_storage.free_concurrency_slots_for_run(run_id)
    (say or say_on_stderr)(f"pulse: run {run_id} {reason}")
    os._exit(1)


def say_on_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class WriterSlotWatch(threading.Thread):
    """Says every `notice_every` seconds that the run waits for the writer slot, and who
    holds it. After `limit` seconds of waiting, or on Ctrl-C/SIGTERM while waiting, it
    calls `give_up(reason)`, by default `stop_waiting_run`."""

    def __init__(
        self,
        instance: dg.DagsterInstance,
        run_id: str,
        *,
        limit: float,
        notice_every: float = WAIT_NOTICE_SECONDS,
        poll_every: float = 1.0,
        say: Callable[[str], None] = print,
        give_up: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(name="writer-slot-watch", daemon=True)
        self.instance = instance
        self.run_id = run_id
        self.limit = limit
        self.notice_every = notice_every
        self.poll_every = poll_every
        self.say = say
        self.give_up = give_up or (lambda reason: stop_waiting_run(instance, run_id, reason))
        self._halt = threading.Event()

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)

    def run(self) -> None:
        waiting_since: float | None = None
        next_notice = 0.0
        while not self._halt.wait(self.poll_every):
            try:
                waiting = waiting_for_writer(self.instance, self.run_id)
                holders = writer_slot_holders(self.instance, self.run_id) if waiting else []
            except Exception:  # storage busy for a moment: look again at the next poll
                continue
            now = time.monotonic()
            if not waiting:
                waiting_since = None
                continue
            if waiting_since is None:
                waiting_since, next_notice = now, now + self.notice_every
            waited = now - waiting_since
            holder = "; ".join(holders) or "no run (the slot is being handed over)"
            if check_captured_interrupt():
                self.give_up(f"stopped on request while waiting for the writer slot ({holder})")
                return
            if waited >= self.limit:
                self.give_up(
                    f"gave up after waiting {waited:.0f} s for the warehouse writer slot,"
                    f" held by {holder} (`pulse doctor` frees slots of dead runs;"
                    " PULSE_WRITER_WAIT_LIMIT sets the limit)"
                )
                return
            if now >= next_notice:
                self.say(
                    f"pulse: waiting {waited:.0f} s for the warehouse writer slot, held by"
                    f" {holder}; giving up after {self.limit:.0f} s"
                )
                next_notice = now + self.notice_every
