"""The follow-up queue for small teams, from the command line (`pulse followup`).

`list` reads the queue from the published copy, so it never waits for (or blocks) a
pipeline run. `close` records the action the way a team's own tool would: as a
case-actions file in the landing folder's `followup/` folder, loaded at once like any
other landing file (ledger, checks, quarantine). When a run holds the warehouse, the file
stays and the next run loads it. The queue shows the new state after the next build.
"""

from __future__ import annotations

import csv
import getpass
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion import settings
from ingestion.followup.actions import closing_actions
from ingestion.load import FileResult
from ingestion.pipeline import ingest

ACTOR_ENV = "PULSE_FOLLOWUP_ACTOR"
FOLLOWUP_FOLDER = "followup"
# A case id may be given by a prefix of at least this many characters, as long as it is
# unique (case ids are 32 hex characters).
MIN_PREFIX = 6

OPEN_CASES_SQL = """
select
    queue_position, case_id, priority, status, is_past_due,
    strftime(due_at, '%Y-%m-%d %H:%M') as due_at_utc, channel, source, reason, owner
from marts.fct_follow_up_open_cases
where (not ? or is_past_due)
order by queue_position
limit ?
"""
MATCHING_CASES_SQL = """
select case_id, status, channel, source, reason
from marts.fct_follow_up_cases
where starts_with(case_id, ?)
order by case_id
limit 2
"""


class FollowUpError(Exception):
    """A request the queue cannot satisfy, said in one line."""


@dataclass(frozen=True)
class Case:
    case_id: str
    status: str
    channel: str
    source: str
    reason: str


@dataclass(frozen=True)
class RecordedAction:
    case: Case
    action: str
    actor: str
    landing_file: Path
    result: FileResult | None  # None: the warehouse was busy, the next run loads the file


def _published() -> duckdb.DuckDBPyConnection:
    path = settings.published_warehouse_path()
    if not path.is_file():
        raise FollowUpError(f"no published copy at {path}: run `pulse run` first")
    return duckdb.connect(str(path), read_only=True)


def open_cases(limit: int, past_due_only: bool = False) -> tuple[list[str], list[tuple]]:
    """Column names and rows of the open cases, in queue order."""
    with _published() as conn:
        try:
            cursor = conn.execute(OPEN_CASES_SQL, [past_due_only, limit])
        except duckdb.CatalogException as error:
            raise FollowUpError(f"the published copy has no follow-up queue: {error}") from None
        columns = [column[0] for column in cursor.description or []]
        return columns, cursor.fetchall()


def find_case(case_id: str) -> Case:
    """The case a full id or a unique prefix of one names."""
    wanted = case_id.strip().lower()
    if len(wanted) < MIN_PREFIX:
        raise FollowUpError(f"give at least {MIN_PREFIX} characters of the case id")
    with _published() as conn:
        rows = conn.execute(MATCHING_CASES_SQL, [wanted]).fetchall()
    if not rows:
        raise FollowUpError(f"no case {case_id} in the follow-up queue")
    if len(rows) > 1:
        raise FollowUpError(f"{case_id} names more than one case: give more of the id")
    return Case(*rows[0])


def default_actor() -> str:
    return os.environ.get(ACTOR_ENV) or getpass.getuser()


def write_action_file(
    landing: Path, case_id: str, action: str, actor: str, note: str, at: datetime
) -> Path:
    """A one-row case-actions file in the landing folder's followup/ folder."""
    folder = landing / FOLLOWUP_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stamp = at.strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"pulse-followup-{stamp}-{uuid.uuid4().hex[:8]}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["case_id", "action", "actor", "at", "note"])
        writer.writerow([case_id, action, actor, at.strftime("%Y-%m-%dT%H:%M:%SZ"), note])
    return path


def _is_lock_conflict(error: duckdb.Error) -> bool:
    return "lock" in str(error).lower()


def close_case(
    case_id: str, note: str, action: str = "resolved", actor: str | None = None
) -> RecordedAction:
    """Record a closing action on a case and load it now (or with the next run)."""
    if action not in closing_actions():
        raise FollowUpError(
            f"{action} does not close a case (closing: {', '.join(closing_actions())})"
        )
    landing = settings.landing_location()
    if not isinstance(landing, Path):
        raise FollowUpError(
            "the landing folder is an object-store prefix: write the case-actions file there"
        )
    case = find_case(case_id)
    if case.status in ("resolved", "closed_no_action"):
        raise FollowUpError(f"case {case.case_id} is already {case.status}")
    who = actor or default_actor()
    path = write_action_file(landing, case.case_id, action, who, note, datetime.now(UTC))
    try:
        [result] = ingest([path], landing_root=landing)
    except duckdb.IOException as error:
        if not _is_lock_conflict(error):
            raise
        return RecordedAction(case, action, who, path, None)
    if result.status != "loaded" or result.rows_loaded != 1:
        reason = result.error or "the action was quarantined (see raw.quarantine)"
        raise FollowUpError(f"{path.name} was not loaded: {reason}")
    return RecordedAction(case, action, who, path, result)
