"""The dbt project on Postgres builds the same marts as on DuckDB from the same raw layer."""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg
import pytest
from comparison import table_differences
from conftest import BuiltSample, run_tool
from psycopg import sql

from analytics.key_drivers.postgres import build_key_drivers_on_postgres
from analytics.text.scoring import DBT_SOURCE_TABLES, TEXT_SCHEMA
from ingestion.postgres_copy import copy_raw_layer
from ingestion.settings import PRODUCTION_BUILD_ARGS

pytestmark = pytest.mark.integration

MART_SCHEMA = "marts"
# Columns that say when a build ran: two builds differ there by definition (the follow-up
# queue judges due times against the build's start).
RUN_STAMP_COLUMNS = frozenset({"scored_at", "evaluated_at"})


@dataclass(frozen=True)
class PostgresBuild:
    connection: dict[str, str]
    env: dict[str, str]
    dbt_project: Path
    copied_rows: dict[str, int]


@pytest.fixture(scope="module")
def postgres_build(
    built_sample: BuiltSample,
    postgres_database: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> PostgresBuild:
    """Raw layer copied from the DuckDB sample, then the scheduled `dbt build` (models and
    data tests) and the unit tests on Postgres, and the key-driver mart computed from
    Postgres's own feedback items, as on DuckDB the Dagster job computes it after dbt."""
    copied = copy_raw_layer(built_sample.warehouse, postgres_database)
    copy_raw_layer(built_sample.warehouse, postgres_database, TEXT_SCHEMA, DBT_SOURCE_TABLES)
    # Its own project copy: mf reads the semantic manifest of the target it was parsed for.
    project = tmp_path_factory.mktemp("dbt_postgres") / "dbt_project"
    shutil.copytree(
        built_sample.dbt_project, project, ignore=shutil.ignore_patterns("target", "logs")
    )
    env = {
        **built_sample.env,
        "PULSE_TARGET": "postgres",
        "PULSE_PG_HOST": postgres_database["host"],
        "PULSE_PG_PORT": postgres_database["port"],
        "PULSE_PG_USER": postgres_database["user"],
        "PULSE_PG_PASSWORD": postgres_database["password"],
        "PULSE_PG_DATABASE": postgres_database["dbname"],
    }
    run_tool("dbt", [*PRODUCTION_BUILD_ARGS, "--quiet"], cwd=project, env=env)
    # Then every unit test on Postgres: a test whose input is the model's stored table
    # (an incremental run) needs that table to exist.
    run_tool("dbt", ["test", "--select", "test_type:unit", "--quiet"], cwd=project, env=env)
    build_key_drivers_on_postgres(postgres_database)
    return PostgresBuild(postgres_database, env, project, copied)


def duckdb_marts(warehouse: Path) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute(
            "select table_name from information_schema.tables"
            " where table_schema = ? and table_type in ('BASE TABLE', 'VIEW')"
            " order by table_name",
            [MART_SCHEMA],
        ).fetchall()
    return [table for (table,) in rows]


def without_run_stamps(
    columns: tuple[list[str], list[str]], rows: tuple[list[tuple], list[tuple]]
) -> tuple[tuple[list[str], list[str]], tuple[list[tuple], list[tuple]]]:
    """Both results without their RUN_STAMP_COLUMNS."""
    kept = [
        [index for index, name in enumerate(names) if name not in RUN_STAMP_COLUMNS]
        for names in columns
    ]
    return (
        (
            [columns[0][index] for index in kept[0]],
            [columns[1][index] for index in kept[1]],
        ),
        (
            [tuple(row[index] for index in kept[0]) for row in rows[0]],
            [tuple(row[index] for index in kept[1]) for row in rows[1]],
        ),
    )


def test_raw_layer_copy_matches_duckdb_row_counts(
    built_sample: BuiltSample, postgres_build: PostgresBuild
) -> None:
    with duckdb.connect(str(built_sample.warehouse), read_only=True) as conn:
        for table, rows in postgres_build.copied_rows.items():
            expected = conn.execute(f'select count(*) from "raw"."{table}"').fetchone()
            assert expected is not None and rows == expected[0], table  # names from the catalog
    assert postgres_build.copied_rows["survey_answers"] > 0


def test_every_mart_has_the_same_rows_on_postgres_and_duckdb(
    built_sample: BuiltSample, postgres_build: PostgresBuild
) -> None:
    marts = duckdb_marts(built_sample.warehouse)
    assert {"metrics_nps", "fct_orders", "dim_customers", "metrics_key_drivers"} <= set(marts)
    differences: list[str] = []
    with (
        duckdb.connect(str(built_sample.warehouse), read_only=True) as duck,
        psycopg.connect(**postgres_build.connection) as postgres,  # type: ignore[arg-type]
    ):
        for mart in marts:
            duck_result = duck.execute(
                f'select * from "{MART_SCHEMA}"."{mart}"'  # names from the catalog
            )
            duck_columns = [column[0] for column in duck_result.description]
            duck_rows = duck_result.fetchall()
            assert duck_rows, f"{mart} is empty in DuckDB: the comparison would prove nothing"
            with postgres.cursor() as cursor:
                cursor.execute(
                    sql.SQL("select * from {}").format(sql.Identifier(MART_SCHEMA, mart))
                )
                assert cursor.description is not None
                postgres_columns = [column.name for column in cursor.description]
                postgres_rows = cursor.fetchall()
            differences += table_differences(
                mart,
                *without_run_stamps((duck_columns, postgres_columns), (duck_rows, postgres_rows)),
            )
    assert not differences, "\n".join(differences)


def test_mf_query_on_postgres_matches_metrics_nps(
    built_sample: BuiltSample, postgres_build: PostgresBuild, tmp_path: Path
) -> None:
    output = tmp_path / "nps.csv"
    run_tool(
        "mf",
        ["query", "--metrics", "nps", "--group-by", "metric_time__month", "--csv", str(output)],
        cwd=postgres_build.dbt_project,
        env=postgres_build.env,
    )
    with output.open(newline="", encoding="utf-8") as stream:
        semantic = {
            row["metric_time__month"][:10]: float(row["nps"]) for row in csv.DictReader(stream)
        }
    with psycopg.connect(**postgres_build.connection) as postgres:  # type: ignore[arg-type]
        mart = {
            period_start.isoformat(): float(nps)
            for period_start, nps in postgres.execute(
                "select period_start, nps from marts.metrics_nps"
                " where period_grain = 'month' and segment_type = 'overall'"
            ).fetchall()
        }
    assert mart and semantic.keys() == mart.keys()
    for month, nps in mart.items():
        assert semantic[month] == pytest.approx(nps, abs=1e-4), month
