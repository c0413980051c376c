"""dbt on a local Spark, reading the Parquet raw layer, builds the same marts as on DuckDB."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import jinja2
import pytest

from ingestion.lake.store import final_name
from ingestion.settings import DBT_PROJECT_DIR
from orchestration.targets import READ_BY_THE_JOB

# The engine-neutral comparison the Postgres tests use, and the masking cases DuckDB's
# branch of mask_pii is held to.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "postgres"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))
from comparison import table_differences
from spark_build import SparkBuild
from test_text_masking import CASES as MASKING_CASES

pytestmark = pytest.mark.integration

MART_SCHEMA = "marts"
# Columns that say when a build ran: two builds differ there by definition.
RUN_STAMP_COLUMNS = frozenset({"scored_at", "evaluated_at"})
# Marts dbt builds on DuckDB that Spark does not, each with the reason (docs/spark.md).
# Every model of the project builds on Spark today: a model added here must fail on the
# spark target with a message saying so, never be left out unnoticed.
NOT_ON_SPARK: dict[str, str] = {}


def relations(warehouse: Path, schema: str) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute(
            "select table_name from information_schema.tables where table_schema = ?"
            " order by table_name",
            [schema],
        ).fetchall()
    return [str(name) for (name,) in rows]


def read(
    conn: duckdb.DuckDBPyConnection, mart: str, schema: str = MART_SCHEMA
) -> tuple[list[str], list[tuple]]:
    result = conn.execute(f'select * from "{schema}"."{mart}"')  # names from the catalog
    columns = [column[0] for column in result.description]
    kept = [index for index, name in enumerate(columns) if name not in RUN_STAMP_COLUMNS]
    return [columns[index] for index in kept], [
        tuple(row[index] for index in kept) for row in result.fetchall()
    ]


def test_spark_builds_every_mart_dbt_builds_on_duckdb(spark_build: SparkBuild) -> None:
    duckdb_marts = relations(spark_build.warehouse, MART_SCHEMA)
    assert {"metrics_nps", "fct_orders", "dim_customers", "fct_feedback_text"} <= set(duckdb_marts)
    assert set(NOT_ON_SPARK) <= set(duckdb_marts)
    assert sorted(spark_build.copied_rows) == sorted(set(duckdb_marts) - set(NOT_ON_SPARK))
    print(f"dbt build of the models on spark: {spark_build.spark_seconds:.0f} s")


def test_every_mart_has_the_same_rows_on_spark_and_duckdb(spark_build: SparkBuild) -> None:
    compared = [
        (MART_SCHEMA, mart)
        for mart in relations(spark_build.warehouse, MART_SCHEMA)
        if mart not in NOT_ON_SPARK
    ]
    # And what the job's Python steps read besides the marts (the text scorer's input).
    compared += [(schema, table) for schema, tables in READ_BY_THE_JOB.items() for table in tables]
    differences: list[str] = []
    with (
        duckdb.connect(str(spark_build.warehouse), read_only=True) as duck,
        duckdb.connect(str(spark_build.spark_marts), read_only=True) as spark,
    ):
        for schema, mart in compared:
            duck_columns, duck_rows = read(duck, mart, schema)
            assert duck_rows, f"{mart} is empty in DuckDB: the comparison would prove nothing"
            spark_columns, spark_rows = read(spark, mart, schema)
            differences += table_differences(
                f"{schema}.{mart}",
                (duck_columns, spark_columns),
                (duck_rows, spark_rows),
                engines=("duckdb", "spark"),
            )
    assert not differences, "\n".join(differences)


def test_spark_masks_what_duckdb_masks(spark_build: SparkBuild) -> None:
    """Spark's branch of mask_pii (Java regular expressions) on the cases DuckDB's is held
    to: the sample's texts have few of the forms it must catch or leave alone."""
    from ingestion.spark import spark_session

    macros = DBT_PROJECT_DIR / "macros" / "cross_db"
    source = "".join(
        (macros / name).read_text("utf-8") for name in ("mask_pii.sql", "spark_types.sql")
    )
    environment = jinja2.Environment(extensions=["jinja2.ext.do"])
    environment.globals["return"] = lambda value: value  # dbt's return() of a text macro
    expression = environment.from_string(source).module.spark__mask_pii("t")  # type: ignore[attr-defined]
    spark = spark_session()
    texts = spark.createDataFrame([(text,) for text, _ in MASKING_CASES], "t string")
    texts.createOrReplaceTempView("masking_cases")
    masked = {
        row[0]: row[1] for row in spark.sql(f"select t, {expression} from masking_cases").collect()
    }
    assert [
        (text, masked[text]) for text, expected in MASKING_CASES if masked[text] != expected
    ] == []


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
