"""The cheap pass that picks the staged rows the exact scale check reads must never miss a
row the exact check refuses: both ways agree on awkward and random cells, decoded or not."""

from __future__ import annotations

import random

import duckdb

from ingestion.loaders.survey_scores import ScoredColumn, invalid_scores_sql, suspect_condition

COLUMNS = [
    ScoredColumn("item_0001", "Q1", "nps", 0, 10),
    ScoredColumn("item_0002", "Q2", "csat", 1, 5),
    # Decoded through the survey definition: choice ids 11..15 mean scores 1..5; "9" is a
    # choice id whose score is off the scale; "" decodes to a score.
    ScoredColumn("item_0003", "Q3", "ces", 1, 5),
    # Decoded where a plain on-scale number is also a choice id with another meaning.
    ScoredColumn("item_0004", "Q4", "driver", 1, 3),
]
DECODINGS = [
    *[("item_0003", str(10 + score), str(score)) for score in range(1, 6)],
    ("item_0003", "9", "9"),
    ("item_0003", "", "2"),
    ("item_0004", "1", "3"),
    ("item_0004", "2", "7"),
    ("item_0004", "3", None),
    ("item_0004", "4", "2.0"),
]
AWKWARD = [
    None,
    "",
    " ",
    "0",
    "5",
    "10",
    "11",
    "15",
    "9",
    " 7 ",
    "07",
    "7.0",
    "7.5",
    "1e1",
    "abc",
    "-1",
    "+3",
    "4",
    "3",
    "2",
    "1",
    "12",
    "٣",
    "0007",
    "10.00",
]


def _staged(conn: duckdb.DuckDBPyConnection, rows: list[list[str | None]]) -> None:
    names = ", ".join(f"{column.staged_name} varchar" for column in COLUMNS)
    conn.execute(f"create temp table staged (_row_number bigint, {names})")
    conn.executemany(
        f"insert into staged values (?{', ?' * len(COLUMNS)})",
        [[number, *cells] for number, cells in enumerate(rows, start=1)],
    )
    conn.execute(
        "create temp table staged_decodings (item_column varchar, exported_value varchar,"
        " decoded_value varchar, is_multi boolean)"
    )
    conn.executemany(
        "insert into staged_decodings values (?, ?, ?, false)", [list(d) for d in DECODINGS]
    )


def _refused(conn: duckdb.DuckDBPyConnection, table: str) -> set[tuple]:
    return set(conn.execute(invalid_scores_sql(COLUMNS, table)).fetchall())


def test_suspects_hold_every_refused_row() -> None:
    generator = random.Random(11)
    rows = [[cell] * len(COLUMNS) for cell in AWKWARD]
    rows += [[generator.choice(AWKWARD) for _ in COLUMNS] for _ in range(3000)]
    conn = duckdb.connect()
    _staged(conn, rows)
    conn.execute(
        "create temp table suspects as select * from staged where "
        + suspect_condition(conn, COLUMNS)
    )

    everything = _refused(conn, "staged")
    assert everything, "the sample must hold refused rows"
    assert _refused(conn, "suspects") == everything
    suspects = conn.execute("select count(*) from suspects").fetchone()[0]
    assert suspects < len(rows)


def test_plain_numbers_on_the_scale_are_not_suspect() -> None:
    conn = duckdb.connect()
    rows = [
        ["9", "5", "12", "3"],  # Q3 "12" decodes to 2; Q4 "3" has no score: read as 3
        [None, "", "15", None],
        ["10", "1", "11", "4"],  # Q4 "4" decodes to 2.0, a whole number
        ["9", "5", "12", "2"],  # Q4 "2" decodes to 7, off its 1..3 scale
    ]
    _staged(conn, rows)
    suspect_rows = conn.execute(
        "select _row_number from staged where " + suspect_condition(conn, COLUMNS)
    ).fetchall()
    assert suspect_rows == [(4,)]
