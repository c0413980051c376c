"""What an operator does with a held load: list it, release it after a fix, or drop it.

`release` loads the file again from the landing folder when it is still there with the
same bytes (so a fixed mapping applies), then audits the load against every suite of
every table it wrote: when all pass it is published and the next run brings its rows into
the marts; otherwise it stays held with the new reasons. An API window cannot be fetched
again: its rows are audited as they are. `drop` removes a load and its rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingestion import ledger, settings
from ingestion.load import ingest_file
from ingestion.sniff import sha256_of
from ingestion.surveys.registry import load_registry
from ingestion.warehouse import connect, ensure_raw_schema
from orchestration.lib.quality.gx_runner import Reaudit, audit_load


class HeldLoadError(ValueError):
    """The load is not one that can be released or dropped; the message says why."""


@dataclass(frozen=True)
class HeldLoadRow:
    load_id: str
    file_name: str
    source: str | None
    reason: str | None
    held_at: str


def held_loads(warehouse: Path) -> list[HeldLoadRow]:
    with connect(warehouse, read_only=True) as conn:
        rows = conn.execute(
            "select audits.load_id,"
            " coalesce(ledger.file_name, windows.window_id, audits.load_id),"
            " coalesce(ledger.source, windows.vendor), audits.reason,"
            " strftime(audits.audited_at, '%Y-%m-%d %H:%M:%S')"
            " from raw.load_audits as audits"
            " left join raw.load_ledger as ledger on audits.load_id = ledger.load_id"
            " left join raw.api_windows as windows on audits.load_id = windows.window_id"
            " where audits.status = 'held' order by 2"
        ).fetchall()
    return [HeldLoadRow(*row) for row in rows]


def _status(warehouse: Path, load_id: str) -> tuple[str | None, str | None, str | None]:
    """(audit status, file name, file hash) of a load; the file is None for API windows."""
    with connect(warehouse, read_only=True) as conn:
        audit = conn.execute(
            "select status from raw.load_audits where load_id = ?", [load_id]
        ).fetchone()
        file = conn.execute(
            "select file_name, file_hash from raw.load_ledger where load_id = ?", [load_id]
        ).fetchone()
    return (audit[0] if audit else None, *(file if file else (None, None)))


def release_load(warehouse: Path, landing_root: Path, load_id: str) -> Reaudit:
    """Load the held file again (when it is still in the landing folder) and audit it."""
    status, file_name, file_hash = _status(warehouse, load_id)
    if status != "held":
        raise HeldLoadError(f"load {load_id} is not held (it is {status or 'unknown'})")
    target = load_id
    path = landing_root / file_name if file_name else None
    if path is not None and path.is_file() and sha256_of(path) == file_hash:
        conn = connect(warehouse)
        try:
            ensure_raw_schema(conn)
            result = ingest_file(
                conn,
                path,
                landing_root,
                registry=load_registry(settings.survey_registry_path()),
                pseudonym_key=settings.pseudonym_key(),
                default_timezone=settings.default_timezone(),
                file_name=file_name,
                reload=True,
            )
        finally:
            conn.close()
        if result.status != "loaded" or result.load_id is None:
            raise HeldLoadError(f"{file_name} could not be loaded again: {result.error}")
        target = result.load_id
    return audit_load(warehouse, target)


def drop_load(warehouse: Path, load_id: str) -> int:
    """Remove a held (or any) load with its rows; returns how many rows went."""
    status, _, _ = _status(warehouse, load_id)
    conn = connect(warehouse)
    try:
        known = conn.execute(
            "select count(*) from raw.load_ledger where load_id = ?"
            " union all select count(*) from raw.api_windows where window_id = ?",
            [load_id, load_id],
        ).fetchall()
        if status is None and not any(count for (count,) in known):
            raise HeldLoadError(f"no load {load_id} in the ledger or the API windows")
        conn.execute("begin transaction")
        removed = ledger.drop_load(conn, load_id)
        conn.execute("commit")
    finally:
        conn.close()
    return removed
