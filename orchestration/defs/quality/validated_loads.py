"""Which loads of a raw table a suite has already passed, so a run validates only new ones.

Raw tables are append-only by load: a load's rows never change after it is written, and a
re-delivered file arrives as a new load. So a load that passed a suite stays passed, and
the daily run validates the few new loads instead of all history. The record is kept per
suite version (a fingerprint of the suite file): editing a suite makes every load new
again. A load is recorded only when the suite passed or only warned on it; a load with a
blocking failure stays pending and fails every run until it is fixed or removed.

The record is `raw.gx_validated_loads`, written after the read-only validation has closed
its handles. A record that cannot be written (another process holds the file) is logged
and lost: those loads are validated again next time, never skipped.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

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
class LoadScope:
    """The loads of `table` one validation covers."""

    suite_name: str
    suite_fingerprint: str
    table: str
    pending: tuple[str, ...]  # load ids not yet passed by this suite version
    first_validation: bool  # no load of the table passed this suite version yet

    @property
    def nothing_new(self) -> bool:
        """Every load passed already: the suite need not run. An empty, never-validated
        table still runs, so its schema is checked."""
        return not self.pending and not self.first_validation

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
    return LoadScope(
        suite_name=suite_name,
        suite_fingerprint=fingerprint,
        table=table,
        pending=tuple(sorted(loads - validated)),
        first_validation=not validated,
    )


def record_passed(warehouse_path: Path, scope: LoadScope) -> bool:
    """Record the scope's loads as passed; False (and a warning) when the file is busy."""
    if not scope.pending:
        return True
    rows = [
        (scope.suite_name, scope.suite_fingerprint, load_id, datetime.now(UTC))
        for load_id in scope.pending
    ]
    try:
        with warehouse.connect(warehouse_path) as connection:
            if warehouse.table_exists(connection, RECORD_SCHEMA, RECORD_NAME):
                # Rows only, left in the write-ahead log for the next writer's checkpoint:
                # a checkpoint on close rewrote the file's metadata, 0.12 s for each suite.
                connection.execute("pragma disable_checkpoint_on_shutdown")
            else:
                connection.execute(CREATE_RECORD)  # checkpointed on close, like any DDL
            connection.executemany(f"insert into {RECORD_TABLE} values (?, ?, ?, ?)", rows)
    except duckdb.IOException as error:
        logger.warning(
            "could not record %d loads of %s as passed by %s; they are validated again next"
            " run: %s",
            len(rows),
            scope.table,
            scope.suite_name,
            error,
        )
        return False
    return True


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
