"""dbt on a local Spark, reading the Parquet raw layer, builds the same marts as on DuckDB."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

from ingestion.lake.store import final_name

# The engine-neutral comparison the Postgres tests use.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "postgres"))
from comparison import table_differences
from spark_build import SparkBuild

pytestmark = pytest.mark.integration

MART_SCHEMA = "marts"
# Columns that say when a build ran: two builds differ there by definition.
RUN_STAMP_COLUMNS = frozenset({"scored_at", "evaluated_at"})


def relations(warehouse: Path, schema: str) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute(
            "select table_name from information_schema.tables where table_schema = ?"
            " order by table_name",
            [schema],
        ).fetchall()
    return [str(name) for (name,) in rows]


def read(conn: duckdb.DuckDBPyConnection, mart: str) -> tuple[list[str], list[tuple]]:
    result = conn.execute(f'select * from "{MART_SCHEMA}"."{mart}"')  # names from the catalog
    columns = [column[0] for column in result.description]
    kept = [index for index, name in enumerate(columns) if name not in RUN_STAMP_COLUMNS]
    return [columns[index] for index in kept], [
        tuple(row[index] for index in kept) for row in result.fetchall()
    ]


def test_spark_builds_every_mart_dbt_builds_on_duckdb(spark_build: SparkBuild) -> None:
    duckdb_marts = relations(spark_build.warehouse, MART_SCHEMA)
    assert {"metrics_nps", "fct_orders", "dim_customers"} <= set(duckdb_marts)
    assert sorted(spark_build.copied_rows) == duckdb_marts
    print(f"dbt build of the models on spark: {spark_build.spark_seconds:.0f} s")


def test_every_mart_has_the_same_rows_on_spark_and_duckdb(spark_build: SparkBuild) -> None:
    differences: list[str] = []
    with (
        duckdb.connect(str(spark_build.warehouse), read_only=True) as duck,
        duckdb.connect(str(spark_build.spark_marts), read_only=True) as spark,
    ):
        for mart in relations(spark_build.warehouse, MART_SCHEMA):
            duck_columns, duck_rows = read(duck, mart)
            assert duck_rows, f"{mart} is empty in DuckDB: the comparison would prove nothing"
            spark_columns, spark_rows = read(spark, mart)
            differences += table_differences(
                mart,
                (duck_columns, spark_columns),
                (duck_rows, spark_rows),
                engines=("duckdb", "spark"),
            )
    assert not differences, "\n".join(differences)


def test_the_lake_holds_the_files_its_ledger_names_and_no_other(spark_build: SparkBuild) -> None:
    with duckdb.connect(str(spark_build.warehouse), read_only=True) as conn:
        ledgered = {
            str(path) for (path,) in conn.execute("select path from raw.lake_files").fetchall()
        }
        answers_in_raw = conn.execute("select count(*) from raw.survey_answers").fetchone()
        answers_in_lake = conn.execute(
            "select count(*) from read_parquet($files)",
            {
                "files": [
                    spark_build.lake.full_path(path)
                    for path in sorted(ledgered)
                    if path.startswith("raw/survey_answers/")
                ]
            },
        ).fetchone()
    files = spark_build.lake.files("raw")
    assert files == ledgered
    assert not [path for path in files if final_name(path)]
    assert answers_in_raw == answers_in_lake
