"""The published copy: complete, atomic, and readable while publishes run."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.serving import publish as publish_module
from orchestration.lib.serving.publish import (
    RunRecord,
    preview_markdown,
    publish_marts,
    run_record_from_dbt,
)
from tests.serving.published_reader import MART_TABLES, read_publication

READER_SCRIPT = Path(__file__).resolve().parent / "published_reader.py"


def build_warehouse(warehouse: Path, build: int) -> None:
    """A warehouse whose every mart holds build * 1000 + table index rows tagged `build`."""
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema if not exists marts")
        conn.execute("create schema if not exists raw")
        conn.execute(
            "create or replace table raw.load_ledger as select 'l1' as load_id,"
            " 'orders.csv' as file_name, 'abc' as file_hash, 10 as file_size, 'orders_csv'"
            " as source, 'csv' as format, 'raw.orders' as target_table, 1 as rows_in,"
            " 1 as rows_loaded, 0 as rows_quarantined, 'loaded' as status,"
            " 'secret text' as error, now() as started_at, now() as finished_at"
        )
        for index, table in enumerate(MART_TABLES):
            # table names come from the constant above
            conn.execute(
                f"create or replace table marts.{table} as"
                " select ? as build, range as row_id from range(?)",
                [build, build * 1000 + index],
            )


def test_readers_never_see_an_error_or_a_mixed_state(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    published = tmp_path / "published" / "published.duckdb"
    build_warehouse(warehouse, 1)
    publish_marts(warehouse, published, build_id="1")
    ready, stop = tmp_path / "ready", tmp_path / "stop"

    reader = subprocess.Popen(
        [sys.executable, str(READER_SCRIPT), str(published), str(ready), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not ready.exists() and reader.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), "the reader never read the first copy"
        for build in range(2, 9):
            build_warehouse(warehouse, build)
            publish_marts(warehouse, published, build_id=str(build))
            time.sleep(0.1)
    finally:
        stop.touch()
        output, _ = reader.communicate(timeout=120)
    seen_by_reader = json.loads(output)

    assert seen_by_reader["problems"] == []
    assert seen_by_reader["reads"] > 20
    assert len(seen_by_reader["seen"]) >= 3, seen_by_reader  # several builds went by
    assert sorted(path.name for path in published.parent.iterdir()) == ["published.duckdb"]


def test_publication_holds_every_mart_and_the_ledger_without_errors(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    build_warehouse(warehouse, 2)
    result = publish_marts(warehouse, tmp_path / "published.duckdb", build_id="run-1")

    assert result.row_counts == {
        "marts.fct_orders": 2000,
        "marts.metrics_nps": 2001,
        "marts.dim_customers": 2002,
    }
    with duckdb.connect(str(result.path), read_only=True) as conn:
        ledger_columns = [
            row[0] for row in conn.execute("describe pipeline.load_ledger").fetchall()
        ]
        publication = conn.execute("select distinct build_id from pipeline.publication").fetchall()
    assert "file_hash" in ledger_columns and "error" not in ledger_columns
    assert publication == [("run-1",)]
    assert "| build | row_id |" in preview_markdown(result.path, "marts.fct_orders")


def test_a_warehouse_without_marts_leaves_the_previous_copy_in_place(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    published = tmp_path / "published.duckdb"
    build_warehouse(warehouse, 1)
    publish_marts(warehouse, published, build_id="1")
    with duckdb.connect(str(warehouse)) as conn:
        for table in MART_TABLES:
            conn.execute(f"drop table marts.{table}")

    with pytest.raises(RuntimeError, match="has no tables"):
        publish_marts(warehouse, published, build_id="2")
    assert read_publication(published)[0] == {1}
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "published.duckdb",
        "warehouse.duckdb",
    ]


def test_a_mart_view_is_published_as_a_table_of_its_rows(tmp_path: Path) -> None:
    """fct_feedback_items is a view over an intermediate table: the copy holds its rows as
    a table, so it stands alone without the warehouse's other schemas."""
    warehouse = tmp_path / "warehouse.duckdb"
    build_warehouse(warehouse, 1)
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema intermediate")
        conn.execute("create table intermediate.items as select range as item from range(5)")
        # Named without the catalog, as the dbt model writes it.
        conn.execute("create view marts.fct_items as select * from intermediate.items")

    result = publish_marts(warehouse, tmp_path / "published.duckdb", build_id="run-1")

    assert result.row_counts["marts.fct_items"] == 5
    with duckdb.connect(str(result.path), read_only=True) as conn:
        kinds = conn.execute(
            "select table_schema, table_type from information_schema.tables"
            " where table_name in ('fct_items', 'items')"
        ).fetchall()
    assert kinds == [("marts", "BASE TABLE")]


def test_a_later_publish_writes_only_the_tables_that_changed(tmp_path: Path) -> None:
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "published.duckdb"
    build_warehouse(warehouse, 1)
    first = publish_marts(warehouse, published, build_id="1")
    assert sorted(first.written) == sorted(f"marts.{table}" for table in MART_TABLES)

    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("insert into marts.metrics_nps values (1, -1)")
        conn.execute("drop table marts.dim_customers")
    second = publish_marts(warehouse, published, build_id="2")

    assert second.written == ("marts.metrics_nps",)
    with duckdb.connect(str(published), read_only=True) as conn:
        tables = {
            row[0] for row in conn.execute("select table_name from duckdb_tables()").fetchall()
        }
        assert "dim_customers" not in tables  # gone from the warehouse, gone from the copy
        nps_rows = conn.execute("select count(*) from marts.metrics_nps").fetchone()
        orders_rows = conn.execute("select count(*) from marts.fct_orders").fetchone()
        recorded = conn.execute(
            "select table_name, build_id, row_count from pipeline.publication order by 1"
        ).fetchall()
    assert nps_rows == (1002,) and orders_rows == (1000,)
    assert recorded == [("marts.fct_orders", "2", 1000), ("marts.metrics_nps", "2", 1002)]

    third = publish_marts(warehouse, published, build_id="3")
    assert third.written == ()


def _contents_differ(conn: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows in one side and not the other (as multisets), the published copy against the
    warehouse attached as `warehouse`."""
    row = conn.execute(
        f"select (select count(*) from (select * from {table} except all"
        f" select * from warehouse.{table}))"
        f" + (select count(*) from (select * from warehouse.{table} except all"
        f" select * from {table}))"
    ).fetchone()
    return int(row[0]) if row else -1


def assert_copy_equals_warehouse(warehouse: Path, published: Path) -> None:
    with duckdb.connect(str(published), read_only=True) as conn:
        conn.execute(f"attach '{warehouse}' as warehouse (read_only)")
        marts = conn.execute(
            "select table_name from duckdb_tables() where database_name = 'warehouse'"
            " and schema_name = 'marts' union all select view_name from duckdb_views()"
            " where database_name = 'warehouse' and schema_name = 'marts' and not internal"
        ).fetchall()
        copied = conn.execute(
            "select table_name from duckdb_tables() where database_name = 'published'"
            " and schema_name = 'marts'"
        ).fetchall()
        assert sorted(copied) == sorted(marts)
        for (table,) in marts:
            assert _contents_differ(conn, f"marts.{table}") == 0, table


def build_feedback_warehouse(warehouse: Path, rows: int) -> None:
    """A warehouse with a large fact (a view over an intermediate table, as dbt builds
    the feedback fact) beside the small marts."""
    build_warehouse(warehouse, 1)
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema intermediate")
        conn.execute(
            "create table intermediate.items as select range as item_id,"
            " 'text ' || range as body, range % 11 as score from range(?)",
            [rows],
        )
        conn.execute("create view marts.fct_items as select * from intermediate.items")


MART_NAMES = frozenset({*(f"marts.{table}" for table in MART_TABLES), "marts.fct_items"})


@pytest.fixture
def row_level_from_2000_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish_module, "ROW_LEVEL_MIN_ROWS", 2000)


def add_one_percent(warehouse: Path, rows: int) -> None:
    """A daily batch: 1% new items, one item edited, one gone, and one small mart redone."""
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "insert into intermediate.items select range, 'new ' || range, 1 from range(?, ?)",
            [rows, rows + rows // 100],
        )
        conn.execute("update intermediate.items set score = 99 where item_id = 7")
        conn.execute("delete from intermediate.items where item_id = 8")
        conn.execute("insert into marts.metrics_nps values (2, -1)")


@pytest.mark.usefixtures("row_level_from_2000_rows")
def test_a_one_percent_batch_writes_only_its_rows_and_the_copy_equals_the_warehouse(
    tmp_path: Path,
) -> None:
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "published.duckdb"
    build_feedback_warehouse(warehouse, 5000)
    publish_marts(warehouse, published, build_id="1")
    add_one_percent(warehouse, 5000)

    record = RunRecord(
        covered=MART_NAMES, rebuilt=frozenset({"marts.fct_items", "marts.metrics_nps"})
    )
    result = publish_marts(warehouse, published, build_id="2", run_record=record)

    assert sorted(result.written) == ["marts.fct_items", "marts.metrics_nps"]
    assert result.updated_rows == ("marts.fct_items",)  # row by row, not rewritten
    assert result.row_counts["marts.fct_items"] == 5049
    assert_copy_equals_warehouse(warehouse, published)
    # The fingerprints recorded are those of the rows: a publish without a record after
    # it finds nothing to write.
    assert publish_marts(warehouse, published, build_id="3").written == ()


@pytest.mark.usefixtures("row_level_from_2000_rows")
def test_a_model_the_build_did_not_rebuild_is_neither_read_nor_written(tmp_path: Path) -> None:
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "published.duckdb"
    build_feedback_warehouse(warehouse, 500)
    publish_marts(warehouse, published, build_id="1")
    with duckdb.connect(str(published), read_only=True) as conn:
        before = conn.execute(
            "select table_name, row_count, fingerprint from pipeline.publication order by 1"
        ).fetchall()
    # Reading the fact would now fail: the build left it out, so publish must not read it.
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("alter table intermediate.items rename to items_elsewhere")

    record = RunRecord(covered=MART_NAMES, rebuilt=frozenset())
    result = publish_marts(warehouse, published, build_id="2", run_record=record)

    assert result.written == ()
    with duckdb.connect(str(published), read_only=True) as conn:
        after = conn.execute(
            "select table_name, row_count, fingerprint from pipeline.publication order by 1"
        ).fetchall()
        items = conn.execute("select count(*) from marts.fct_items").fetchone()
    assert after == before
    assert items == (500,)


@pytest.mark.usefixtures("row_level_from_2000_rows")
def test_without_a_run_record_the_fingerprints_find_what_changed(tmp_path: Path) -> None:
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "published.duckdb"
    build_feedback_warehouse(warehouse, 5000)
    publish_marts(warehouse, published, build_id="1")
    add_one_percent(warehouse, 5000)

    result = publish_marts(warehouse, published, build_id="2")

    assert sorted(result.written) == ["marts.fct_items", "marts.metrics_nps"]
    assert result.updated_rows == ("marts.fct_items",)
    assert_copy_equals_warehouse(warehouse, published)


@pytest.mark.usefixtures("row_level_from_2000_rows")
def test_a_table_the_record_does_not_cover_is_compared_by_fingerprint(tmp_path: Path) -> None:
    """A Python mart (not a dbt model) is written when its rows changed, whatever the
    dbt builds did."""
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "published.duckdb"
    build_warehouse(warehouse, 1)
    publish_marts(warehouse, published, build_id="1")
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("insert into marts.dim_customers values (5, 5)")

    dbt_models = frozenset({"marts.fct_orders", "marts.metrics_nps"})
    result = publish_marts(
        warehouse, published, build_id="2", run_record=RunRecord(dbt_models, frozenset())
    )

    assert result.written == ("marts.dim_customers",)
    assert_copy_equals_warehouse(warehouse, published)


@pytest.mark.usefixtures("row_level_from_2000_rows")
@pytest.mark.parametrize(
    "change",
    [
        # duplicate rows: hashes cannot tell the copies of a row apart
        "insert into intermediate.items select * from intermediate.items where item_id < 3",
        # a new column: the copy's rows cannot take the warehouse's
        "alter table intermediate.items add column extra integer default 1",
        # most rows changed: writing the table whole is cheaper
        "update intermediate.items set score = score + 1",
    ],
)
def test_a_table_row_updates_cannot_follow_is_written_whole(tmp_path: Path, change: str) -> None:
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "published.duckdb"
    build_feedback_warehouse(warehouse, 5000)
    publish_marts(warehouse, published, build_id="1")
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(change)
        conn.execute("create or replace view marts.fct_items as select * from intermediate.items")

    result = publish_marts(warehouse, published, build_id="2")

    assert result.written == ("marts.fct_items",)
    assert result.updated_rows == ()
    assert_copy_equals_warehouse(warehouse, published)


def test_the_run_record_of_dbt_covers_every_model_and_rebuilt_what_ran() -> None:
    manifest = {
        "nodes": {
            "model.pulse.fct_a": {"resource_type": "model", "schema": "marts", "name": "fct_a"},
            "model.pulse.b": {
                "resource_type": "model",
                "schema": "marts",
                "name": "b",
                "alias": "dim_b",
            },
            "test.pulse.unique_fct_a": {"resource_type": "test", "schema": "x", "name": "t"},
        }
    }
    results = [{"results": [{"unique_id": "model.pulse.b"}, {"unique_id": "test.pulse.t"}]}]

    record = run_record_from_dbt(manifest, results)

    assert record.covered == {"marts.fct_a", "marts.dim_b"}
    assert record.rebuilt == {"marts.dim_b"}
    assert record.unchanged("marts.fct_a") and not record.unchanged("marts.dim_b")
    assert not record.unchanged("marts.customer_lifetime_value")  # not covered: compared


def build_stamped_warehouse(warehouse: Path, rows: int) -> None:
    """The feedback fact as dbt builds it: every item stamped with its run's start."""
    build_warehouse(warehouse, 1)
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema intermediate")
        conn.execute(
            "create table intermediate.items as select range as item_id, 'text ' || range"
            " as body, timestamp '2026-12-01 02:00:00' as scored_at from range(?)",
            [rows],
        )
        conn.execute("create view marts.fct_items as select * from intermediate.items")


def run_stamped_batch(warehouse: Path, rows: int, *, delete_one: bool) -> None:
    """The next run: 1% new items and one item scored again, all stamped with its start."""
    with duckdb.connect(str(warehouse)) as conn:
        stamp = "timestamp '2026-12-02 02:00:00'"
        conn.execute(
            f"insert into intermediate.items select range, 'new ' || range, {stamp}"
            " from range(?, ?)",
            [rows, rows + rows // 100],
        )
        conn.execute("delete from intermediate.items where item_id = 7")
        conn.execute(f"insert into intermediate.items values (7, 'scored again', {stamp})")
        if delete_one:
            conn.execute("delete from intermediate.items where item_id = 8")


@pytest.fixture
def stamped_items(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        publish_module, "STAMPED_TABLES", {"marts.fct_items": ("item_id", "scored_at")}
    )


@pytest.mark.usefixtures("row_level_from_2000_rows", "stamped_items")
def test_a_stamped_table_takes_the_rows_stamped_after_the_copy_without_hashing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "published.duckdb"
    build_stamped_warehouse(warehouse, 5000)
    publish_marts(warehouse, published, build_id="1")
    run_stamped_batch(warehouse, 5000, delete_one=False)

    def no_hashing(*_: object) -> None:
        raise AssertionError("the row hashes were matched")

    monkeypatch.setattr(publish_module, "_update_rows", no_hashing)
    record = RunRecord(covered=MART_NAMES, rebuilt=frozenset({"marts.fct_items"}))
    result = publish_marts(warehouse, published, build_id="2", run_record=record)

    assert result.updated_rows == ("marts.fct_items",)
    assert result.row_counts["marts.fct_items"] == 5050
    assert_copy_equals_warehouse(warehouse, published)


@pytest.mark.usefixtures("row_level_from_2000_rows", "stamped_items")
def test_rows_the_warehouse_deleted_from_a_stamped_table_go_by_matching_hashes(
    tmp_path: Path,
) -> None:
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "published.duckdb"
    build_stamped_warehouse(warehouse, 5000)
    publish_marts(warehouse, published, build_id="1")
    run_stamped_batch(warehouse, 5000, delete_one=True)

    record = RunRecord(covered=MART_NAMES, rebuilt=frozenset({"marts.fct_items"}))
    result = publish_marts(warehouse, published, build_id="2", run_record=record)

    assert result.updated_rows == ("marts.fct_items",)
    assert result.row_counts["marts.fct_items"] == 5049
    assert_copy_equals_warehouse(warehouse, published)
