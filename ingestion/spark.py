"""A Spark session set up as dbt's `spark` target is (profiles.yml), for the Python steps
around a build on Spark: copying its marts into the DuckDB warehouse, tests, benchmarks.

The settings are read from the profile itself, so dbt and these steps share one
metastore, one table location and the same SQL semantics. pyspark is imported only when
a session is asked for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import yaml

from ingestion import settings
from ingestion.warehouse import connect, drop_view_if_exists, quote_identifier

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

PROFILE_NAME = "customer_pulse"
SPARK_OUTPUT = "spark"


def _env_var(environment: dict[str, str]) -> Any:
    def env_var(name: str, default: str | None = None) -> str:
        if name in environment:
            return environment[name]
        if default is None:
            raise KeyError(f"profiles.yml needs the environment variable {name}")
        return default

    return env_var


def session_settings() -> dict[str, str]:
    """The spark output's server_side_parameters, rendered with this process's environment
    and the paths `settings.target_environment()` pins (absolute, as dbt gets them)."""
    profile = yaml.safe_load((settings.DBT_PROJECT_DIR / "profiles.yml").read_text("utf-8"))
    parameters = profile[PROFILE_NAME]["outputs"][SPARK_OUTPUT]["server_side_parameters"]
    environment = {**os.environ, **spark_environment()}
    renderer = jinja2.Environment(autoescape=False)
    renderer.globals["env_var"] = _env_var(environment)
    rendered = {
        str(key): renderer.from_string(str(value)).render() for key, value in parameters.items()
    }
    # dbt-spark sets this on every session it opens; so must a session it shares.
    rendered["spark.sql.ansi.enabled"] = "false"
    return rendered


def spark_environment() -> dict[str, str]:
    """The Spark-related settings dbt reads, as absolute values (target forced to spark)."""
    return {
        "PULSE_LAKE_URL": str(settings.lake_url(required=True)),
        "PULSE_SPARK_HOME": str(settings.spark_home()),
    }


def spark_session(extra: dict[str, str] | None = None) -> SparkSession:
    """The session dbt's spark target opens (or the one already open in this process)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in {**session_settings(), **(extra or {})}.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def copy_marts_back(
    spark: SparkSession,
    warehouse: Path,
    schema: str = "marts",
    only: Sequence[str] | None = None,
) -> dict[str, int]:
    """Replace the warehouse file's `schema` tables (those named in `only`, when given)
    with the ones dbt built on Spark (views arrive as tables), so the steps after a build
    read what Spark built. Each table comes over as Arrow; one DuckDB transaction replaces
    them all."""
    names = sorted(
        str(row.tableName)
        for row in spark.sql(f"show tables in {quote_spark_identifier(schema)}").collect()
        if not row.isTemporary and (only is None or str(row.tableName) in only)
    )
    copied: dict[str, int] = {}
    conn = connect(warehouse)
    try:
        relation_schema = quote_identifier(schema)
        conn.execute(f"create schema if not exists {relation_schema}")
        conn.execute("begin transaction")
        for name in names:
            rows = spark.table(f"{quote_spark_identifier(schema)}.{quote_spark_identifier(name)}")
            conn.register("spark_rows", rows.toArrow())
            relation = f"{relation_schema}.{quote_identifier(name)}"
            drop_view_if_exists(conn, schema, name)
            conn.execute(f"create or replace table {relation} as select * from spark_rows")
            conn.unregister("spark_rows")
            count = conn.execute(f"select count(*) from {relation}").fetchone()
            copied[name] = int(count[0]) if count else 0
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    finally:
        conn.close()
    return copied


def quote_spark_identifier(name: str) -> str:
    """A Spark SQL identifier in backticks (names come from the catalogue)."""
    return "`" + name.replace("`", "``") + "`"


def copy_back_in_child(
    warehouse: Path, tables: Mapping[str, Sequence[str] | None]
) -> dict[str, dict[str, int]]:
    """`copy_marts_back` for each schema (all its tables, or those named), run in a child
    process: a JVM started in the job's own process would outlive the copy and keep the
    local metastore (embedded Derby, one JVM at a time) locked, and the next dbt step on
    Spark could not open it. Returns rows per table, per schema."""
    request = json.dumps({"warehouse": str(warehouse), "tables": tables})
    result = subprocess.run(
        [sys.executable, "-m", "ingestion.spark"],
        input=request,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"copying the Spark marts back failed:\n{result.stderr[-4000:]}")
    copied: dict[str, dict[str, int]] = json.loads(result.stdout.strip().splitlines()[-1])
    return copied


def main() -> None:
    """The child of `copy_back_in_child`: the request as JSON on stdin, the rows copied as
    JSON on the last line of stdout."""
    request = json.loads(sys.stdin.read())
    spark = spark_session()
    copied = {
        schema: copy_marts_back(spark, Path(request["warehouse"]), schema, only)
        for schema, only in request["tables"].items()
    }
    print(json.dumps(copied))


if __name__ == "__main__":
    main()
