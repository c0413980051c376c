"""`pulse doctor`: what can keep the next run from starting or finishing, one line each,
and the repairs that are safe to make.

Checked: runs left in progress by a process that is gone (failed, their slots freed),
pool slots held by runs no longer running (freed), temporary files a killed publish or
spill left behind (removed while no run is in progress), and the warehouse's file locks
(DuckDB's locks end with their process, so a lock is always a live process: named, never
broken).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
from dagster._core.storage.dagster_run import IN_PROGRESS_RUN_STATUSES

from ingestion import settings
from ingestion.warehouse import connect, describe_lock_error
from orchestration.run_guard import (
    dead_runs,
    describe_owner,
    fail_dead_run,
    orphaned_slot_runs,
    owner_is_gone,
)


@dataclass(frozen=True)
class Finding:
    """One line of the report: `problem` when something needs a repair."""

    line: str
    problem: bool = False
    repaired: bool = False


def diagnose(instance: dg.DagsterInstance, *, repair: bool) -> list[Finding]:
    findings = _dead_runs(instance, repair)
    findings += _orphaned_slots(instance, repair)
    running = _live_runs(instance)
    findings += _temporary_files(repair and not running, running)
    findings.append(_warehouse_lock())
    return findings


def _live_runs(instance: dg.DagsterInstance) -> list[dg.DagsterRun]:
    statuses = [
        status for status in IN_PROGRESS_RUN_STATUSES if status != dg.DagsterRunStatus.QUEUED
    ]
    runs = instance.get_runs(filters=dg.RunsFilter(statuses=statuses))
    return [run for run in runs if not owner_is_gone(run)]


def _dead_runs(instance: dg.DagsterInstance, repair: bool) -> list[Finding]:
    runs = dead_runs(instance)
    if not runs:
        return [Finding("runs: none left in progress by a process that is gone")]
    findings = []
    for run in runs:
        if repair:
            fail_dead_run(instance, run)
            findings.append(
                Finding(f"runs: marked {describe_owner(run)} failed, slots freed", True, True)
            )
        else:
            findings.append(
                Finding(f"runs: {describe_owner(run)} is in progress but its process is gone", True)
            )
    return findings


def _orphaned_slots(instance: dg.DagsterInstance, repair: bool) -> list[Finding]:
    run_ids = sorted(orphaned_slot_runs(instance))
    if not run_ids:
        return [Finding("slots: none held by a run that is no longer running")]
    findings = []
    for run_id in run_ids:
        if repair:
            instance.event_log_storage.free_concurrency_slots_for_run(run_id)
            findings.append(
                Finding(f"slots: freed those of run {run_id[:8]} (no longer running)", True, True)
            )
        else:
            findings.append(
                Finding(f"slots: run {run_id[:8]} holds pool slots but is no longer running", True)
            )
    return findings


def leftover_temporary_files() -> list[Path]:
    """A killed publish's `.published.duckdb.<id>.tmp` (and its .wal), and the spill folder
    DuckDB leaves beside the warehouse when its process is killed."""
    published = settings.published_warehouse_path()
    found = sorted(published.parent.glob(f".{published.name}.*.tmp"))
    found += sorted(published.parent.glob(f".{published.name}.*.tmp.wal"))
    spill = settings.warehouse_path().with_name(settings.warehouse_path().name + ".tmp")
    if spill.is_dir() and any(spill.iterdir()):
        found.append(spill)
    return found


def _temporary_files(repair: bool, running: list[dg.DagsterRun]) -> list[Finding]:
    leftovers = leftover_temporary_files()
    if not leftovers:
        return [Finding("temp files: none left behind")]
    findings = []
    for path in leftovers:
        if repair:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            findings.append(Finding(f"temp files: removed {path}", True, True))
        elif running:
            owner = describe_owner(running[0])
            findings.append(Finding(f"temp files: {path} (kept: {owner} may be writing it)"))
        else:
            findings.append(Finding(f"temp files: {path} left behind by a killed run", True))
    return findings


def _warehouse_lock() -> Finding:
    path = settings.warehouse_path()
    if not path.exists():
        return Finding(f"locks: no warehouse at {path} yet")
    try:
        connect(path, read_only=True).close()
    except duckdb.Error as error:
        described = describe_lock_error(error)
        if described is None:
            return Finding(f"locks: the warehouse cannot be opened: {error}".splitlines()[0], True)
        return Finding(f"locks: {described}")
    return Finding("locks: the warehouse is free")
