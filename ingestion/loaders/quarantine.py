"""Records a loader refuses one by one (an event it cannot read, a line of another
stream): each goes to raw.quarantine as received, with its number in the file and the
reason, so rows in = rows loaded + rows quarantined still holds."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import duckdb

from ingestion.loaders.context import LoadContext
from ingestion.personal import Hasher, pseudonymise_texts


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


def pseudonymise_quarantine(
    conn: duckdb.DuckDBPyConnection, load_id: str, pseudonym_key: str
) -> int:
    """Hash the personal data in the load's quarantined records as raw hashes it:
    personal JSON members (`"reviewer_email": ...`), e-mail addresses and phone numbers
    anywhere in the record (see ingestion.personal). Returns the records changed."""
    rows = conn.execute(
        "select rowid, original_line from raw.quarantine"
        " where load_id = ? and original_line is not null",
        [load_id],
    ).fetchall()
    if not rows:
        return 0
    texts = [str(text) for _, text in rows]
    rewritten = pseudonymise_texts(
        [_without_unloaded_columns(text) for text in texts], Hasher(conn, pseudonym_key)
    )
    changed = [
        (row_id, new)
        for (row_id, _), old, new in zip(rows, texts, rewritten, strict=True)
        if new != old
    ]
    if changed:
        conn.execute(
            "update raw.quarantine set original_line = changes.line"
            " from (select unnest($ids::bigint[]) as row_id, unnest($lines::varchar[]) as line)"
            " as changes where raw.quarantine.rowid = changes.row_id",
            {"ids": [row_id for row_id, _ in changed], "lines": [line for _, line in changed]},
        )
    return len(changed)


# Staged columns raw never loads (a survey export's IP address, an unknown column).
_UNLOADED_PREFIXES = ("_dropped_", "_unused_")


def _without_unloaded_columns(text: str) -> str:
    """A staged row written out as JSON, without the columns raw does not load either:
    they are named by position only, and may locate a person (IP address, coordinates)."""
    if not text.startswith("{") or ('"_dropped_' not in text and '"_unused_' not in text):
        return text
    try:
        record = json.loads(text)
    except ValueError:
        return text
    if not isinstance(record, dict):
        return text
    kept = {key: value for key, value in record.items() if not key.startswith(_UNLOADED_PREFIXES)}
    return json.dumps(kept, ensure_ascii=False, separators=(",", ":"))
