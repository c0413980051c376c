"""Build scope: a dbt step builds only what changed sources reach."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from orchestration.build_scope import plan_build, record_build

# raw.reviews -> stg_reviews -> fct_reviews; raw.orders -> stg_orders -> fct_orders;
# follow_up (every_run) reads fct_reviews; a test on each fact.
NODES = {
    "model.p.stg_reviews": [],
    "model.p.fct_reviews": [],
    "model.p.stg_orders": [],
    "model.p.fct_orders": [],
    "model.p.follow_up": ["every_run"],
    "test.p.unique_fct_orders_id": [],
    "test.p.unique_fct_reviews_id": [],
}
PARENTS = {
    "model.p.stg_reviews": ["source.p.raw.reviews"],
    "model.p.fct_reviews": ["model.p.stg_reviews"],
    "model.p.stg_orders": ["source.p.raw.orders"],
    "model.p.fct_orders": ["model.p.stg_orders"],
    "model.p.follow_up": ["model.p.fct_reviews"],
    "test.p.unique_fct_orders_id": ["model.p.fct_orders"],
    "test.p.unique_fct_reviews_id": ["model.p.fct_reviews"],
}


def manifest() -> dict[str, Any]:
    children: dict[str, list[str]] = {}
    for child, parents in PARENTS.items():
        for parent in parents:
            children.setdefault(parent, []).append(child)
    return {
        "nodes": {
            node: {"name": node.split(".")[-1], "tags": tags} for node, tags in NODES.items()
        },
        "sources": {
            f"source.p.raw.{table}": {"schema": "raw", "identifier": table}
            for table in ("reviews", "orders")
        },
        "parent_map": PARENTS,
        "child_map": children,
    }


@pytest.fixture
def conn(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    connection.execute("create schema raw")
    connection.execute("create table raw.load_audits (load_id varchar, status varchar)")
    for table in ("reviews", "orders"):
        connection.execute(f"create table raw.{table} as select 'l1' as _load_id, 1 as id")
        connection.execute("insert into raw.load_audits values ('l1', 'published')")
    return connection


def plan(conn: duckdb.DuckDBPyConnection, project: str = "p1") -> Any:
    return plan_build(conn, manifest(), "duckdb:models", NODES, project)


def test_first_build_builds_everything(conn: duckdb.DuckDBPyConnection) -> None:
    scope = plan(conn)
    assert scope.full and scope.builds == len(NODES) and scope.dbt_args() == []


def test_a_new_load_rebuilds_its_source_descendants_and_every_run_models(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    record_build(conn, "duckdb:models", plan(conn))
    conn.execute("insert into raw.orders values ('l2', 2)")
    conn.execute("insert into raw.load_audits values ('l2', 'published')")

    scope = plan(conn)

    assert scope.changed_sources == ("source.p.raw.orders",)
    assert set(scope.excluded) == {"stg_reviews", "fct_reviews", "unique_fct_reviews_id"}
    assert scope.builds == 4  # stg_orders, fct_orders, its test, follow_up
    assert scope.dbt_args() == ["--exclude", "fct_reviews stg_reviews unique_fct_reviews_id"]


def test_a_held_load_counts_once_released(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("insert into raw.reviews values ('l3', 3)")
    conn.execute("insert into raw.load_audits values ('l3', 'held')")
    record_build(conn, "duckdb:models", plan(conn))
    conn.execute("update raw.load_audits set status = 'published' where load_id = 'l3'")

    assert plan(conn).changed_sources == ("source.p.raw.reviews",)


def test_nothing_new_builds_only_every_run_models(conn: duckdb.DuckDBPyConnection) -> None:
    record_build(conn, "duckdb:models", plan(conn))
    scope = plan(conn)
    assert not scope.full and scope.changed_sources == () and scope.builds == 1


def test_a_changed_project_builds_everything_again(conn: duckdb.DuckDBPyConnection) -> None:
    record_build(conn, "duckdb:models", plan(conn))
    scope = plan(conn, project="p2")
    assert scope.full and scope.reason == "the project or its settings changed"


def test_rows_edited_in_place_rebuild_their_descendants_in_full(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    from ingestion.warehouse import read_sql, record_edit

    schema = read_sql("raw_schema.sql")
    conn.execute(schema[schema.index("create table if not exists raw.table_edits") :])
    record_build(conn, "duckdb:models", plan(conn))
    record_edit(conn, ["reviews"], "names masked")  # same loads, same row counts

    scope = plan(conn)

    assert not scope.full and scope.changed_sources == ("source.p.raw.reviews",)
    assert "--full-refresh" in scope.dbt_args()
    assert "stg_orders" in scope.dbt_args()[1]  # what the edit does not reach stays out
    record_build(conn, "duckdb:models", scope)
    assert "--full-refresh" not in plan(conn).dbt_args()
