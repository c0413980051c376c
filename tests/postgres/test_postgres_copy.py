"""The raw-layer copy refuses what it cannot copy faithfully, naming table and column."""

from __future__ import annotations

from pathlib import Path

import duckdb
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
