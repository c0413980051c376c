"""Which loads of a raw table a suite has passed or holds, and which loads are published.

Raw tables are append-only by load: a load's rows never change after it is written, and a
re-delivered file arrives as a new load. So a load that passed a suite stays passed, and
the daily run validates the few new loads instead of all history. The record is kept per
suite version (a fingerprint of the suite file): editing a suite makes every load new
again. A load is recorded only when the suite passed or only warned on it; a load with a
blocking failure stays pending and fails every run until it is fixed or removed.

The record is `raw.gx_validated_loads`, written after the read-only validation has closed
its handles. A record that cannot be written (another process holds the file) is logged
and lost: those loads are validated again next time, never skipped.

Write, audit, publish: a load becomes visible to staging (`raw.load_audits` status
`published`) once every suite of every table it wrote has passed it. A load that fails a
blocking expectation is held there instead, with the failures, and the ledger says
`held`; the other loads of the same suite go on. A held load is not validated again by
the scheduled runs: `pulse release` re-audits it, `pulse drop` removes it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from ingestion import warehouse

logger = logging.getLogger(__name__)

RECORD_TABLE = "raw.gx_validated_loads"
RECORD_SCHEMA, RECORD_NAME = RECORD_TABLE.split(".")
CREATE_RECORD = f"""
create table if not exists {RECORD_TABLE} (
    suite_name varchar not null,
    suite_fingerprint varchar not null,
    load_id varchar not null,
    validated_at timestamptz not null
)
"""


@dataclass(frozen=True)
class HeldLoad:
    """A load a suite holds back, and why."""

    load_id: str
    file_name: str | None  # the landing file, or the API window id
    source: str | None
    # Each as the suite reported it: suite, type, column, description, unexpected_count,
    # observed_value, unexpected_examples, summary.
    failures: tuple[dict[str, Any], ...]

    def describe(self) -> str:
        """One line: the file, its source and the first failing expectation."""
        first = self.failures[0] if self.failures else {}
        what = first.get("description") or first.get("type") or "a blocking expectation"
        count = first.get("unexpected_count") or first.get("observed_value")
        examples = ", ".join(str(e) for e in (first.get("unexpected_examples") or [])[:3])
        more = f" (+{len(self.failures) - 1} more)" if len(self.failures) > 1 else ""
        rows = f", {count} row{'' if count == 1 else 's'}" if isinstance(count, int) else ""
        return (
            f"{self.file_name or self.load_id} ({self.source or 'unknown source'}):"
            f" {first.get('suite', '')}: {what}"
            + (f" on {first['column']}" if first.get("column") else "")
            + rows
            + (f", e.g. {examples}" if examples else "")
            + more
        )


@dataclass(frozen=True)
class LoadScope:
    """The loads of `table` one validation covers."""

    suite_name: str
    suite_fingerprint: str
    table: str
    pending: tuple[str, ...]  # load ids not yet passed by this suite version
    first_validation: bool  # no load of the table passed this suite version yet
    unaudited: bool = False  # some load of the table is neither published nor held

    @property
    def nothing_new(self) -> bool:
        """Every load passed already: the suite need not run. An empty, never-validated
        table still runs, so its schema is checked."""
        return not self.pending and not self.first_validation

    def load_query(self, load_id: str) -> str:
        """The rows of one load, as SQL."""
        schema_name, table_name = self.table.split(".", 1)
        return f'select * from "{schema_name}"."{table_name}" where _load_id = {_quote(load_id)}'

    def batch_query(self) -> str | None:
        """The rows to validate, as SQL; None (the whole table) when no load passed yet."""
        if self.first_validation:
            return None
        schema_name, table_name = self.table.split(".", 1)
        relation = f'"{schema_name}"."{table_name}"'
        load_ids = ", ".join(_quote(load_id) for load_id in self.pending)
        return f"select * from {relation} where _load_id in ({load_ids})"


def suite_fingerprint(suite_path: Path) -> str:
    """A hash of what the suite checks; the ids GX draws afresh on every write are left out."""
    document = json.loads(suite_path.read_text(encoding="utf-8"))
    document.pop("id", None)
    for expectation in document.get("expectations", []):
        expectation.pop("id", None)
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def pending_loads(warehouse_path: Path, suite_name: str, suite_path: Path, table: str) -> LoadScope:
    """Loads of `table` this version of the suite has not passed; reads the file read-only."""
    fingerprint = suite_fingerprint(suite_path)
    schema_name, table_name = table.split(".", 1)
    relation = f'"{schema_name}"."{table_name}"'
    with warehouse.connect(warehouse_path, read_only=True) as connection:
        rows = connection.execute(f"select distinct _load_id from {relation}").fetchall()
        loads = {row[0] for row in rows}
        validated = _validated(connection, suite_name, fingerprint) & loads
        held = held_load_ids(connection) & loads
        audited = _audited_load_ids(connection) & loads
    return LoadScope(
        suite_name=suite_name,
        suite_fingerprint=fingerprint,
        table=table,
        # A held load waits for `pulse release`: the scheduled runs do not judge it again.
        pending=tuple(sorted(loads - validated - held)),
        first_validation=not validated and not held,
        unaudited=bool(loads - audited),
    )


def _audited_load_ids(connection: duckdb.DuckDBPyConnection) -> set[str]:
    if not warehouse.table_exists(connection, "raw", "load_audits"):
        return set()
    return {row[0] for row in connection.execute("select load_id from raw.load_audits").fetchall()}


def still_held(warehouse_path: Path, suite_name: str) -> list[HeldLoad]:
    """The loads this suite held in an earlier run and nobody released or dropped since."""
    with warehouse.connect(warehouse_path, read_only=True) as connection:
        if not warehouse.table_exists(connection, "raw", "load_audits"):
            return []
        rows = connection.execute(
            "select audits.load_id, coalesce(ledger.file_name, windows.window_id),"
            " coalesce(ledger.source, windows.vendor), audits.failures"
            " from raw.load_audits as audits"
            " left join raw.load_ledger as ledger on audits.load_id = ledger.load_id"
            " left join raw.api_windows as windows on audits.load_id = windows.window_id"
            " where audits.status = 'held' and audits.held_by = ? order by 2",
            [suite_name],
        ).fetchall()
    return [
        HeldLoad(load_id, file_name, source, tuple(json.loads(failures or "[]")))
        for load_id, file_name, source, failures in rows
    ]


def held_load_ids(connection: duckdb.DuckDBPyConnection) -> set[str]:
    if not warehouse.table_exists(connection, "raw", "load_audits"):
        return set()
    rows = connection.execute("select load_id from raw.load_audits where status = 'held'")
    return {row[0] for row in rows.fetchall()}


def record_verdicts(
    warehouse_path: Path,
    scope: LoadScope,
    passed: Sequence[str],
    held: Sequence[HeldLoad],
    requirements: Sequence[tuple[str, str, str]],
) -> bool:
    """Record the loads the suite passed and those it holds, then publish every load all
    of whose suites passed it (`requirements`: table, suite, fingerprint of each
    load-scoped suite). False (and a warning) when the file is busy."""
    now = datetime.now(UTC)
    try:
        with warehouse.connect(warehouse_path) as connection:
            if passed:
                if warehouse.table_exists(connection, RECORD_SCHEMA, RECORD_NAME):
                    # Rows only, left in the write-ahead log for the next writer's
                    # checkpoint: a checkpoint on close rewrote the file's metadata, 0.12 s
                    # for each suite.
                    connection.execute("pragma disable_checkpoint_on_shutdown")
                else:
                    connection.execute(CREATE_RECORD)  # checkpointed on close, like any DDL
                connection.executemany(
                    f"insert into {RECORD_TABLE} values (?, ?, ?, ?)",
                    [(scope.suite_name, scope.suite_fingerprint, load, now) for load in passed],
                )
            for load in held:
                hold(connection, scope.suite_name, load, now)
            if not warehouse.table_exists(connection, RECORD_SCHEMA, RECORD_NAME):
                connection.execute(CREATE_RECORD)
            publish_audited(connection, requirements, now)
    except duckdb.IOException as error:
        logger.warning(
            "could not record the verdicts of %s on %d loads of %s; they are validated again"
            " next run: %s",
            scope.suite_name,
            len(passed) + len(held),
            scope.table,
            error,
        )
        return False
    return True


def hold(
    connection: duckdb.DuckDBPyConnection, suite_name: str, load: HeldLoad, now: datetime
) -> None:
    """Hold a load back from staging, with why; the ledger says so too."""
    connection.execute("delete from raw.load_audits where load_id = ?", [load.load_id])
    connection.execute(
        "insert into raw.load_audits (load_id, status, held_by, reason, failures, audited_at)"
        " values (?, 'held', ?, ?, ?, ?)",
        [load.load_id, suite_name, load.describe(), json.dumps(load.failures, default=str), now],
    )
    connection.execute(
        "update raw.load_ledger set status = 'held', error = ? where load_id = ?",
        [f"held by {load.describe()}", load.load_id],
    )


def publish_audited(
    connection: duckdb.DuckDBPyConnection,
    requirements: Sequence[tuple[str, str, str]],
    now: datetime,
) -> int:
    """Publish the loads not audited yet whose every table's suites all passed them."""
    connection.execute(
        "create or replace temp table audit_requirements"
        " (table_name varchar, suite_name varchar, suite_fingerprint varchar)"
    )
    connection.executemany("insert into audit_requirements values (?, ?, ?)", requirements)
    connection.execute(
        "create or replace temp table audit_candidates (load_id varchar, table_name varchar)"
    )
    for table in sorted({table for table, _, _ in requirements}):
        schema_name, table_name = table.split(".", 1)
        # The table name comes from the suite files, quoted; nothing from the data.
        connection.execute(
            f'insert into audit_candidates select distinct _load_id, ? from "{schema_name}".'
            f'"{table_name}" where _load_id not in (select load_id from raw.load_audits)',
            [table],
        )
    published = connection.execute(
        """
        insert into raw.load_audits (load_id, status, audited_at)
        select candidates.load_id, 'published', ?
        from audit_candidates as candidates
        inner join audit_requirements as needed
            on candidates.table_name = needed.table_name
        left join raw.gx_validated_loads as passed
            on passed.load_id = candidates.load_id
            and passed.suite_name = needed.suite_name
            and passed.suite_fingerprint = needed.suite_fingerprint
        group by candidates.load_id
        having bool_and(passed.load_id is not null)
        """,
        [now],
    ).fetchone()
    return int(published[0]) if published else 0


def _validated(
    connection: duckdb.DuckDBPyConnection, suite_name: str, fingerprint: str
) -> set[str]:
    if not warehouse.table_exists(connection, RECORD_SCHEMA, RECORD_NAME):
        return set()
    rows = connection.execute(
        f"select load_id from {RECORD_TABLE} where suite_name = ? and suite_fingerprint = ?",
        [suite_name, fingerprint],
    ).fetchall()
    return {row[0] for row in rows}


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def record_reaudit(
    warehouse_path: Path,
    load_id: str,
    passes: Sequence[tuple[str, str]],
    held: tuple[str, HeldLoad] | None,
    requirements: Sequence[tuple[str, str, str]],
) -> str:
    """Record the verdicts of re-auditing one load (`pulse release`): the suites that
    passed it (name, fingerprint) and the one that still holds it, if any. A load every
    suite passes is published at once. Returns its status."""
    now = datetime.now(UTC)
    with warehouse.connect(warehouse_path) as connection:
        if not warehouse.table_exists(connection, RECORD_SCHEMA, RECORD_NAME):
            connection.execute(CREATE_RECORD)
        if passes:
            connection.executemany(
                f"insert into {RECORD_TABLE} values (?, ?, ?, ?)",
                [(suite, fingerprint, load_id, now) for suite, fingerprint in passes],
            )
        if held is not None:
            hold(connection, held[0], held[1], now)
            return "held"
        connection.execute("delete from raw.load_audits where load_id = ?", [load_id])
        connection.execute(
            "update raw.load_ledger set status = 'loaded', error = null"
            " where load_id = ? and status = 'held'",
            [load_id],
        )
        publish_audited(connection, requirements, now)
        connection.execute(
            "update raw.load_audits set released_at = ? where load_id = ?", [now, load_id]
        )
        row = connection.execute(
            "select status from raw.load_audits where load_id = ?", [load_id]
        ).fetchone()
    return str(row[0]) if row else "not audited"
