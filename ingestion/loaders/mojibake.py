"""Mojibake: UTF-8 text that was decoded as Windows-1252 and saved again.

Saved that way `café` reads `cafÃ©`, `€` reads `â‚¬`, `ä` reads `Ã¤` and `’` reads `â€™`.
Such text is never loaded silently: the rows that hold it are quarantined, each with a
reason naming the file, the data row, the column and the suspicious text, and the rest of
the file loads. The signature is what a UTF-8 lead byte looks like in Windows-1252
(`Â`..`ß`, `à`..`ï`, `ð`..`ô`) followed by as many characters as UTF-8 continuation bytes
(0x80..0xBF) look like; real words in the supported languages do not contain such runs.
"""

from __future__ import annotations

from ingestion.loaders.context import LoadContext
from ingestion.warehouse import execute_sql_file, quote_identifier


def _as_windows_1252(byte_values: range) -> str:
    # Bytes Windows-1252 leaves undefined (0x81, 0x8D, ...) read as their Latin-1 controls.
    return "".join(
        bytes([value]).decode("cp1252", errors="replace").replace("\ufffd", chr(value))
        for value in byte_values
    )


def _character_class(characters: str) -> str:
    return "[" + "".join(f"\\x{{{ord(char):04X}}}" for char in characters) + "]"


_CONTINUATION = _character_class(_as_windows_1252(range(0x80, 0xC0)))
MOJIBAKE_PATTERN = (
    f"{_character_class(_as_windows_1252(range(0xC2, 0xE0)))}{_CONTINUATION}"
    f"|{_character_class(_as_windows_1252(range(0xE0, 0xF0)))}{_CONTINUATION}{{2}}"
    f"|{_character_class(_as_windows_1252(range(0xF0, 0xF5)))}{_CONTINUATION}{{3}}"
)


def quarantine_mojibake(ctx: LoadContext, columns: list[str], target_table: str) -> int:
    """Move staged rows holding mojibake in any of `columns` to the quarantine."""
    conn = ctx.conn
    # Column names come from a layout or the loader, never from the file. One pass over
    # `staged`: a row is tested once, all its columns joined by a separator that is
    # neither a lead nor a continuation character (so a match never spans two columns),
    # and only the rare garbled row is tested column by column to name its first
    # garbled column: 30 regular-expression calls per row cost 2.5 s per million rows.
    tests = [
        (column, f"regexp_matches({quote_identifier(column)}, $pattern)") for column in columns
    ]
    if not tests:
        return 0
    first_column = " ".join(f"when {test} then '{column}'" for column, test in tests)
    first_value = " ".join(f"when {test} then {quote_identifier(column)}" for column, test in tests)
    conn.execute("drop table if exists staged_mojibake")
    conn.execute(
        "create temp table staged_mojibake as select _row_number,"
        f" case {first_column} end as column_name,"
        " regexp_extract(case " + first_value + " end, '.{0,12}(?:' || $pattern || ').{0,12}')"
        " as excerpt"
        " from staged where regexp_matches(concat_ws(chr(31), "
        + ", ".join(quote_identifier(column) for column in columns)
        + "), $pattern)",
        {"pattern": MOJIBAKE_PATTERN},
    )
    execute_sql_file(
        conn, "quarantine_mojibake.sql", {**ctx.lineage(), "target_table": target_table}
    )
    conn.execute(
        "delete from staged where _row_number in (select _row_number from staged_mojibake)"
    )
    row = conn.execute("select count(*) from staged_mojibake").fetchone()
    return int(row[0]) if row else 0
