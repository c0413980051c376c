"""Stage a CSV file into a temp table with DuckDB's own reader, quarantining bad records.

Columns are named by the loader, never by the file: the header only decides which
position becomes which staged column, so a header can never reach SQL.

A record DuckDB cannot parse (too few or too many fields, an unterminated quote, a line
over the length limit, bytes that are not the file's encoding) is quarantined once, as it
stood in the file: DuckDB reports a short row once per missing column and keeps only
the first 10,000 characters of a line, with `?` for undecodable bytes, so the record is
read again from the file itself. Its personal fields are hashed as raw hashes them.
"""

from __future__ import annotations

import codecs
import csv
import io
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion.layouts import normalise_header
from ingestion.limits import MAX_LINE
from ingestion.loaders.context import LoadContext
from ingestion.personal import NOT_LOADED_PERSONAL, Hasher, personal_kind
from ingestion.sniff import AS_WINDOWS_1252, read_head
from ingestion.warehouse import execute_sql_file, quote_identifier

# DuckDB's reject table keeps this much of a rejected line.
_REJECT_LINE_CHARS = 10_000
# What of one rejected record the quarantine keeps (a line with no end in sight).
QUARANTINE_MAX_RECORD_BYTES = 64 * 1024 * 1024

# Encodings DuckDB's reader decodes itself; anything else is transcoded to UTF-8 first.
# DuckDB reads UTF-16 little-endian only, so a big-endian file (BOM FE FF) is transcoded.
_NATIVE_ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "utf-16": "utf-16"}


def _duckdb_encoding(path: Path, encoding: str, utf8_only: bool) -> str | None:
    if utf8_only:  # a reader that knows no byte-order mark gets plain UTF-8
        return "utf-8" if encoding == "utf-8" else None
    native = _NATIVE_ENCODINGS.get(encoding)
    if native == "utf-16":
        with path.open("rb") as handle:
            if handle.read(2) != codecs.BOM_UTF16_LE:
                return None
    return native


@contextmanager
def readable_by_duckdb(
    path: Path, encoding: str, *, utf8_only: bool = False
) -> Iterator[tuple[Path, str]]:
    """The file (or a UTF-8 copy of it) and the encoding to hand to DuckDB's reader."""
    native = _duckdb_encoding(path, encoding, utf8_only)
    if native is not None:
        yield path, native
        return
    with tempfile.TemporaryDirectory(prefix="pulse-transcode-") as folder:
        copy = Path(folder) / (path.stem + ".utf8" + path.suffix)
        # Decoding streams in blocks; the BOM-aware codecs drop the byte-order mark.
        with (
            codecs.open(str(path), "r", encoding=encoding, errors=AS_WINDOWS_1252) as source,
            copy.open("w", encoding="utf-8", newline="") as target,
        ):
            shutil.copyfileobj(source, target, 1 << 20)
        yield copy, "utf-8"


def read_csv_into_staged(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    skip: int,
    columns: dict[str, str],
    encoding: str,
    delimiter: str = ",",
) -> None:
    """Temp table `staged`: the records of a CSV file in file order, numbered from 1 in
    `_row_number`; records that do not parse are left in `reject_errors`."""
    execute_sql_file(
        conn,
        "stage_csv.sql",
        {
            "path": str(path),
            "skip": skip,
            "columns": columns,
            "encoding": encoding,
            "delimiter": delimiter,
            "max_line_size": MAX_LINE.value(),
        },
    )
    # The temp table keeps the reader's order, so a row's id is its place among the parsed
    # records: numbering them this way costs half of a window over the whole file.
    conn.execute("alter table staged add column _row_number bigint")
    conn.execute("update staged set _row_number = rowid + 1")


def stage_csv(
    ctx: LoadContext, staged_columns: list[str], header_rows: int, target_table: str
) -> int:
    """Read the file into temp table `staged` (all text, plus _row_number), then open the
    file's transaction.

    Records DuckDB cannot parse (wrong column count, unterminated quotes) go to the
    quarantine, once each, as they stood in the file, with the line they start on.
    Returns how many records were quarantined.
    """
    conn = ctx.conn
    conn.execute("drop table if exists staged")
    conn.execute("drop table if exists reject_errors")
    conn.execute("drop table if exists reject_scans")
    columns = {name: "VARCHAR" for name in staged_columns}
    head = read_head(ctx.path, max_records=header_rows or 1)
    with readable_by_duckdb(ctx.path, ctx.encoding) as (readable, encoding):
        read_csv_into_staged(conn, readable, header_rows, columns, encoding, head.delimiter)
        rejects = _rejected_records(conn, readable if encoding == "utf-8" else None)
    headers = head.records[:header_rows]
    rejects = _pseudonymise_fields(rejects, staged_columns, headers, head.delimiter, ctx)
    ctx.transaction.begin()
    _quarantine(ctx, target_table, rejects)
    return len(rejects)


@dataclass(frozen=True)
class _Reject:
    line: int
    text: str
    reason: str


def _rejected_records(conn: duckdb.DuckDBPyConnection, readable: Path | None) -> list[_Reject]:
    """One entry per rejected record (DuckDB reports a short row once per missing
    column), its text read again from the file (when DuckDB read it as UTF-8) where
    DuckDB's copy is not the record."""
    rows = conn.execute(
        "select line, min(line_byte_position), any_value(csv_line),"
        " arg_min(error_type::varchar, coalesce(column_idx, 0)),"
        " arg_min(error_message, coalesce(column_idx, 0))"
        " from reject_errors group by line order by line"
    ).fetchall()
    rejects = []
    for line, position, csv_line, error_type, message in rows:
        text = csv_line or ""
        kind = str(error_type)
        if (
            readable is not None
            and position
            and (
                kind in ("LINE SIZE OVER MAXIMUM", "INVALID ENCODING")
                or len(text) >= _REJECT_LINE_CHARS
            )
        ):
            text = _record_from_file(readable, int(position) - 1)
        reason = f"unparseable record ({kind.lower()}): {message}"
        rejects.append(_Reject(int(line), text, reason))
    return rejects


def _record_from_file(path: Path, offset: int) -> str:
    """The physical line starting at `offset`, decoded as UTF-8 with any stray byte read
    as Windows-1252 (a file is only handed to DuckDB as UTF-8 or UTF-16)."""
    with path.open("rb") as handle:
        handle.seek(offset)
        chunks: list[bytes] = []
        kept = 0
        while kept < QUARANTINE_MAX_RECORD_BYTES:
            block = handle.read(1 << 20)
            if not block:
                break
            end = block.find(b"\n")
            if end >= 0:
                chunks.append(block[:end])
                break
            chunks.append(block)
            kept += len(block)
    data = b"".join(chunks)[:QUARANTINE_MAX_RECORD_BYTES].rstrip(b"\r")
    return data.decode("utf-8", errors=AS_WINDOWS_1252)


def _pseudonymise_fields(
    rejects: list[_Reject],
    staged_columns: Sequence[str],
    headers: Sequence[Sequence[str]],
    delimiter: str,
    ctx: LoadContext,
) -> list[_Reject]:
    """Rejected records with their personal fields (by column position) hashed as raw
    hashes them, and fields raw never loads because they locate a person (an IP address,
    coordinates) left empty."""
    kinds: dict[int, str] = {}
    for position, staged in enumerate(staged_columns):
        names = [row[position] for row in headers if position < len(row)]
        kind = personal_kind(staged)
        if kind is None and staged.startswith("_"):
            if any(normalise_header(name) in NOT_LOADED_PERSONAL for name in names):
                kind = "drop"
            else:
                kind = next(filter(None, (personal_kind(name) for name in names)), None)
        if kind is not None:
            kinds[position] = kind
    if not rejects or not kinds:
        return rejects
    parsed = [_fields(reject.text, delimiter) for reject in rejects]
    values: dict[str, list[str]] = {}
    for fields in parsed:
        for position, kind in kinds.items():
            if fields is None or kind == "drop" or position >= len(fields):
                continue
            if fields[position].strip():
                values.setdefault(kind, []).append(fields[position])
    hasher = Hasher(ctx.conn, ctx.pseudonym_key)
    hashes = {kind: hasher.hashes(kind, found) for kind, found in values.items()}
    rewritten = []
    for reject, fields in zip(rejects, parsed, strict=True):
        if fields is None:
            rewritten.append(reject)
            continue
        for position, kind in kinds.items():
            if position >= len(fields) or not fields[position].strip():
                continue
            digest = hashes.get(kind, {}).get(fields[position])
            fields[position] = "" if kind == "drop" else f"[{kind}:{digest}]"
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow(fields)
        rewritten.append(_Reject(reject.line, buffer.getvalue(), reject.reason))
    return rewritten


def _fields(text: str, delimiter: str) -> list[str] | None:
    """The fields of one record; None when it is not one parseable record."""
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error:
        return None
    return records[0] if len(records) == 1 else None


def _quarantine(ctx: LoadContext, target_table: str, rejects: list[_Reject]) -> None:
    if not rejects:
        return
    lineage = ctx.lineage()
    ctx.conn.execute(
        "insert into raw.quarantine (load_id, _source, _file_name, _file_hash, line_number,"
        " target_table, original_line, reason, quarantined_at)"
        " select $load_id, $source, $file_name, $file_hash, unnest($lines::bigint[]),"
        " $target_table, unnest($texts::varchar[]), unnest($reasons::varchar[]), $at",
        {
            "load_id": lineage["load_id"],
            "source": lineage["source"],
            "file_name": lineage["file_name"],
            "file_hash": lineage["file_hash"],
            "target_table": target_table,
            "lines": [reject.line for reject in rejects],
            "texts": [reject.text for reject in rejects],
            "reasons": [reject.reason for reject in rejects],
            "at": datetime.now(UTC),
        },
    )


def quarantine_invalid_keys(ctx: LoadContext, key_column: str, target_table: str) -> int:
    """Move rows with an empty or repeated key out of `staged` into the quarantine."""
    conn = ctx.conn
    conn.execute("drop table if exists staged_key_check")
    # key_column comes from a layout definition, never from the file.
    key = f"nullif(trim({quote_identifier(key_column)}), '')"
    # One aggregate pass settles the usual case (every key present and distinct) without
    # the window over every row that finds which rows are at fault.
    counts = conn.execute(
        f"select count(*), count({key}), count(distinct {key}) from staged"
    ).fetchone()
    if counts is not None and counts[0] == counts[1] == counts[2]:
        return 0
    conn.execute(
        "create temp table staged_key_check as select _row_number, key_value,"
        " min(_row_number) over (partition by key_value) as first_row"
        f" from (select _row_number, {key} as key_value from staged)"
    )
    execute_sql_file(
        conn,
        "quarantine_invalid_keys.sql",
        {**ctx.lineage(), "target_table": target_table, "key_column": key_column},
    )
    conn.execute(
        "delete from staged where _row_number in (select _row_number from staged_key_check"
        " where key_value is null or _row_number <> first_row)"
    )
    row = conn.execute(
        "select count(*) from staged_key_check where key_value is null or _row_number <> first_row"
    ).fetchone()
    return int(row[0]) if row else 0


def staged_count(ctx: LoadContext) -> int:
    row = ctx.conn.execute("select count(*) from staged").fetchone()
    return int(row[0]) if row else 0
