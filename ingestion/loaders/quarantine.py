"""Records a loader refuses one by one (an event it cannot read, a line of another
stream): each goes to raw.quarantine as received, with its number in the file and the
reason, so rows in = rows loaded + rows quarantined still holds."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from ingestion.loaders.context import LoadContext


def quarantine_records(
    ctx: LoadContext, target_table: str, refused: Sequence[tuple[int, object, str]]
) -> int:
    """Quarantine (record number, record as received, reason) triples; returns how many."""
    if not refused:
        return 0
    lineage = ctx.lineage()
    ctx.conn.executemany(
        "insert into raw.quarantine (load_id, _source, _file_name, _file_hash, line_number,"
        " target_table, original_line, reason, quarantined_at)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                lineage["load_id"],
                lineage["source"],
                lineage["file_name"],
                lineage["file_hash"],
                number,
                target_table,
                record if isinstance(record, str) else json.dumps(record, ensure_ascii=False),
                f"{ctx.file_name}, record {number}: {reason}",
                datetime.now(UTC),
            )
            for number, record, reason in refused
        ],
    )
    return len(refused)
