"""Stage a CSV file into a temp table with DuckDB's own reader, quarantining bad records.

Columns are named by the loader, never by the file: the header only decides which
position becomes which staged column, so a header can never reach SQL.
"""

from __future__ import annotations

import codecs
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ingestion.loaders.context import LoadContext
from ingestion.sniff import read_head
from ingestion.warehouse import execute_sql_file, quote_identifier

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
            codecs.open(str(path), "r", encoding=encoding) as source,
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
    quarantine with the line they start on. Returns how many records were quarantined.
    """
    conn = ctx.conn
    conn.execute("drop table if exists staged")
    conn.execute("drop table if exists reject_errors")
    conn.execute("drop table if exists reject_scans")
    columns = {name: "VARCHAR" for name in staged_columns}
    delimiter = read_head(ctx.path, max_records=1).delimiter
    with readable_by_duckdb(ctx.path, ctx.encoding) as (readable, encoding):
        read_csv_into_staged(conn, readable, header_rows, columns, encoding, delimiter)
    ctx.transaction.begin()
    execute_sql_file(
        conn, "quarantine_rejects.sql", {**ctx.lineage(), "target_table": target_table}
    )
    row = conn.execute("select count(*) from reject_errors").fetchone()
    return int(row[0]) if row else 0


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
