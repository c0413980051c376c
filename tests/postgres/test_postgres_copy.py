"""The raw-layer copy refuses what it cannot copy faithfully, naming table and column."""

from __future__ import annotations

from pathlib import Path

import duckdb
import psycopg
import pytest

from ingestion.postgres_copy import PostgresCopyError, copy_raw_layer, raw_tables


def test_column_types_map_to_postgres_types() -> None:
    with duckdb.connect() as conn:
        conn.execute("create schema raw")
        conn.execute(
            "create table raw.reviews (review_id varchar, rating integer,"
            " votes bigint, loaded_at timestamptz)"
        )
        tables = raw_tables(conn, "raw")
    assert [(column.name, column.postgres_type) for column in tables["reviews"]] == [
        ("review_id", "text"),
        ("rating", "integer"),
        ("votes", "bigint"),
        ("loaded_at", "timestamptz"),
    ]


def test_unmapped_type_is_refused_with_table_and_column() -> None:
    with duckdb.connect() as conn:
        conn.execute("create schema raw")
        conn.execute("create table raw.attachments (attachment_id varchar, content blob)")
        with pytest.raises(PostgresCopyError, match=r"raw\.attachments\.content: .*BLOB"):
            raw_tables(conn, "raw")


def test_warehouse_without_raw_tables_is_refused(tmp_path: Path) -> None:
    warehouse = tmp_path / "empty.duckdb"
    duckdb.connect(str(warehouse)).close()
    # Unreachable server settings: the warehouse is checked before anything is written.
    with pytest.raises(PostgresCopyError, match="has no tables to copy"):
        copy_raw_layer(warehouse, {"host": "127.0.0.1", "port": "1", "connect_timeout": "1"})


def test_text_lists_arrive_as_postgres_arrays_unchanged(
    tmp_path: Path, postgres_database: dict[str, str]
) -> None:
    """Answer lists round-trip element by element, whatever text an answer holds."""
    warehouse = tmp_path / "lists.duckdb"
    tricky = ["plain", "a, b", 'say "hi"', "back\\slash", "{braces}", "NULL", "", "two\nlines"]
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema raw")
        conn.execute("create table raw.survey_answers (response_id varchar, answers varchar[])")
        conn.execute(
            "insert into raw.survey_answers values (?, ?), ('R2', ['x', null]), ('R3', []),"
            " ('R4', null)",
            ["R1", tricky],
        )
    assert copy_raw_layer(warehouse, postgres_database) == {"survey_answers": 4}
    with psycopg.connect(**postgres_database) as target:  # type: ignore[arg-type]
        rows = target.execute(
            "select response_id, answers from raw.survey_answers order by response_id"
        ).fetchall()
        zipped = target.execute(
            "select unnest(array['Q1', 'Q2']), unnest(answers) from raw.survey_answers"
            " where response_id = 'R2'"
        ).fetchall()
    assert rows == [("R1", tricky), ("R2", ["x", None]), ("R3", []), ("R4", None)]
    assert zipped == [("Q1", "x"), ("Q2", None)]
