"""The sample's raw layer as Parquet, its marts built by dbt on DuckDB and on a local
Spark (one session for the whole test run), and the Spark marts copied into a DuckDB file.

Skipped when no Java runtime is found: PySpark starts a JVM. The Spark build runs dbt in
this process (`method: session`), so the session it opens is the one the tests read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from spark_build import SparkBuild

from analytics.text.scoring import DBT_TEXT_MODELS_SELECTION, score_warehouse
from analytics.text.settings import TextSettings
from ingestion.lake import Lake
from ingestion.pipeline import ingest
from ingestion.sample_data import generate_sample_data
from ingestion.settings import DBT_PROJECT_DIR, MODELS_WITHOUT_TESTS_ARGS
from orchestration.lib.quality.gx_runner import audit_new_loads
from orchestration.targets import READ_BY_THE_JOB, prepare_build

BIN_DIR = Path(sys.executable).parent
# Few shuffle partitions: the sample is small and the CI machine has two cores.
SHUFFLE_PARTITIONS = "2"


def java_available() -> bool:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return True
    return shutil.which("java") is not None


def run_dbt_subprocess(args: list[str], cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run(
        [str(BIN_DIR / "dbt"), *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.fail(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr}")


def run_dbt_in_process(args: list[str], project: Path) -> None:
    """dbt in this process, so that its Spark session is the tests' one."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        [*args, "--project-dir", str(project), "--profiles-dir", str(project)]
    )
    if not result.success:
        failed = [
            f"{node.node.unique_id}: {node.status}: {(node.message or '')[:800]}"
            for node in (result.result or [])
            if getattr(node, "status", None) not in ("success", "pass", "skipped", "no-op")
        ]
        pytest.fail(
            f"dbt {' '.join(args)} on spark failed: {result.exception}\n" + "\n".join(failed)
        )


@pytest.fixture(scope="session")
def spark_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkBuild]:
    if not java_available():
        pytest.skip("no Java runtime (java on PATH or JAVA_HOME): PySpark cannot start")
    pytest.importorskip("pyspark")
    root = tmp_path_factory.mktemp("pulse_spark")
    landing = root / "landing"
    generate_sample_data(landing, seed=7, scale=0.25)
    warehouse = root / "warehouse.duckdb"
    settings = {
        "PULSE_WAREHOUSE": str(warehouse),
        "PULSE_LANDING_DIR": str(landing),
        "PULSE_PSEUDONYM_KEY": "spark-test-key",
        "PULSE_LAKE_URL": str(root / "lake"),
        "PULSE_SPARK_HOME": str(root / "spark"),
        "PULSE_SPARK_SHUFFLE_PARTITIONS": SHUFFLE_PARTITIONS,
    }
    project = root / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name, value in settings.items():
            monkeypatch.setenv(name, value)
        for name in ("PULSE_SURVEY_REGISTRY", "PULSE_TARGET", "PULSE_DBT_TARGET"):
            monkeypatch.delenv(name, raising=False)
        # Each load is written to the lake as it lands, as `pulse ingest` does.
        ingest(warehouse=warehouse, landing_root=landing)
        assert not [outcome for outcome in audit_new_loads(warehouse) if outcome.held]
        # On DuckDB as `pulse run` orders it: the text scorer between the models it reads
        # and the text models that read what it writes.
        duckdb_env = {**os.environ, "PULSE_TARGET": "duckdb"}
        build = [*MODELS_WITHOUT_TESTS_ARGS, "--quiet"]
        run_dbt_subprocess([*build, "--exclude", DBT_TEXT_MODELS_SELECTION], project, duckdb_env)
        score_warehouse(warehouse, TextSettings())
        run_dbt_subprocess([*build, "--select", DBT_TEXT_MODELS_SELECTION], project, duckdb_env)

        # Before a build on Spark the job brings the lake in line (the gates' verdicts)
        # and writes the scorer's tables beside it. Spark then builds every model in one
        # dbt run: the scores it reads are those DuckDB's texts got, and its own
        # int_feedback_texts, which the job's scorer would read, is compared below.
        monkeypatch.setenv("PULSE_TARGET", "spark")
        monkeypatch.setenv("DBT_TARGET_PATH", str(root / "dbt_target_spark"))
        prepare_build(warehouse)
        started = time.monotonic()
        run_dbt_in_process(build, project)
        spark_seconds = time.monotonic() - started

        from ingestion.spark import copy_marts_back, spark_session

        spark = spark_session()
        spark_marts = root / "spark_marts.duckdb"
        copied = copy_marts_back(spark, spark_marts)
        for schema, tables in READ_BY_THE_JOB.items():
            copy_marts_back(spark, spark_marts, schema, tables)
        lake = Lake.at(settings["PULSE_LAKE_URL"])
    # Yielded with the environment restored: the tests that run after these on the same
    # worker build on DuckDB, not on this fixture's Spark.
    yield SparkBuild(warehouse, spark_marts, lake, copied, spark_seconds)
