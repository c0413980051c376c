"""A small sample built into DuckDB, and a throwaway Postgres database to build it again.

The Postgres fixtures skip when no server is reachable: start one with
`eval "$(tests/services/postgres.sh)"`, which exports the PULSE_PG_* variables.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from analytics.key_drivers import build_key_drivers
from analytics.text.scoring import DBT_TEXT_MODELS_SELECTION, score_warehouse
from analytics.text.settings import TextSettings
from ingestion.pipeline import ingest
from ingestion.postgres_copy import postgres_connection_settings
from ingestion.sample_data import generate_sample_data
from ingestion.settings import DBT_PROJECT_DIR, MODELS_WITHOUT_TESTS_ARGS
from orchestration.lib.quality.gx_runner import audit_new_loads

BIN_DIR = Path(sys.executable).parent


@dataclass(frozen=True)
class BuiltSample:
    """A DuckDB warehouse with the sample loaded and built, and the dbt project copy used."""

    warehouse: Path
    dbt_project: Path
    env: dict[str, str]


def run_tool(tool: str, args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run dbt or mf from this environment; fail with its output when it fails."""
    result = subprocess.run(
        [str(BIN_DIR / tool), *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.fail(f"{tool} {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr}")
    return result.stdout


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> BuiltSample:
    """The seeded sample (scale 0.25) ingested and built into a temporary DuckDB file,
    with the key-driver mart the Dagster job builds after the dbt marts."""
    root = tmp_path_factory.mktemp("pulse_sample")
    landing = root / "landing"
    generate_sample_data(landing, seed=7, scale=0.25)
    warehouse = root / "warehouse.duckdb"
    env = {
        **os.environ,
        "PULSE_WAREHOUSE": str(warehouse),
        "PULSE_LANDING_DIR": str(landing),
        "PULSE_PSEUDONYM_KEY": "postgres-test-key",
        "PULSE_TARGET": "duckdb",
    }
    env.pop("PULSE_SURVEY_REGISTRY", None)
    # dbt and mf run in a copy of the project, with its own default target folder.
    env.pop("DBT_TARGET_PATH", None)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("PULSE_PSEUDONYM_KEY", env["PULSE_PSEUDONYM_KEY"])
        monkeypatch.setenv("PULSE_LANDING_DIR", env["PULSE_LANDING_DIR"])
        monkeypatch.delenv("PULSE_SURVEY_REGISTRY", raising=False)
        ingest(warehouse=warehouse, landing_root=landing)
    # The raw gates publish the loads to staging, as a pipeline run's checks do.
    assert not [outcome for outcome in audit_new_loads(warehouse) if outcome.held]
    # mf reads <project>/target/semantic_manifest.json, so each run gets its own copy.
    project = root / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    # As `pulse run` orders it: the text scorer between the models it reads and the text
    # marts that read what it writes, and the key drivers after the marts.
    run_tool(
        "dbt",
        [*MODELS_WITHOUT_TESTS_ARGS, "--quiet", "--exclude", DBT_TEXT_MODELS_SELECTION],
        cwd=project,
        env=env,
    )
    score_warehouse(warehouse, TextSettings())
    run_tool(
        "dbt",
        [*MODELS_WITHOUT_TESTS_ARGS, "--quiet", "--select", DBT_TEXT_MODELS_SELECTION],
        cwd=project,
        env=env,
    )
    build_key_drivers(warehouse)
    return BuiltSample(warehouse=warehouse, dbt_project=project, env=env)


@contextmanager
def throwaway_database(prefix: str) -> Iterator[dict[str, str]]:
    """A fresh database on the PULSE_PG_* server, dropped afterwards; its connection settings."""
    if not os.environ.get("PULSE_PG_HOST"):
        pytest.skip(
            'no Postgres server: PULSE_PG_* unset (run `eval "$(tests/services/postgres.sh)"`)'
        )
    server = postgres_connection_settings()
    try:
        admin = psycopg.connect(**server, autocommit=True, connect_timeout=5)  # type: ignore[arg-type]
    except psycopg.OperationalError as error:
        pytest.skip(f"Postgres at {server['host']}:{server['port']} is not reachable: {error}")
    database = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(database)))
        try:
            yield {**server, "dbname": database}
        finally:
            admin.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(database))
            )


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[dict[str, str]]:
    """A database for the warehouse tests, shared by the session."""
    with throwaway_database("pulse_test") as settings:
        yield settings


@pytest.fixture
def dagster_storage_database() -> Iterator[dict[str, str]]:
    """A database of its own for Dagster's run, event and schedule storage."""
    with throwaway_database("pulse_dagster") as settings:
        yield settings
