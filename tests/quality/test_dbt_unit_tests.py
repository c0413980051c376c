"""The dbt unit tests run here, since the scheduled build leaves them out, and the DuckDB
override of dbt's `unique` test reports exactly what dbt's own test reports."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from analytics.text.scoring import ensure_text_tables
from ingestion.settings import DBT_PROJECT_DIR, MODELS_WITHOUT_TESTS_ARGS, PRODUCTION_BUILD_ARGS
from ingestion.warehouse import connect, ensure_raw_schema
from orchestration.project import dbt_executable

pytestmark = pytest.mark.integration


class DbtScratch:
    """An empty warehouse with every raw table, and dbt pointed at it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.warehouse = root / "warehouse.duckdb"
        self.env = {
            **os.environ,
            "PULSE_WAREHOUSE": str(self.warehouse),
            "PULSE_LANDING_DIR": str(root / "landing"),
            "PULSE_PSEUDONYM_KEY": "unit-test-key",
        }
        self.env.pop("PULSE_SURVEY_REGISTRY", None)

    def dbt(self, *args: str) -> subprocess.CompletedProcess[str]:
        paths = ["--target-path", str(self.root / "target"), "--log-path", str(self.root / "logs")]
        return subprocess.run(
            [dbt_executable(), *args, *paths],
            cwd=DBT_PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )

    def run_results(self) -> list[dict]:
        """Results of the invocation's nodes, without its on-run-start/end hooks."""
        path = self.root / "target" / "run_results.json"
        results = json.loads(path.read_text(encoding="utf-8"))["results"]
        return [result for result in results if not result["unique_id"].startswith("operation.")]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> DbtScratch:
    """Every model built empty: unit tests read their inputs' column types from there."""
    project = DbtScratch(tmp_path_factory.mktemp("dbt_unit_tests"))
    with connect(project.warehouse) as conn:
        ensure_raw_schema(conn)
        ensure_text_tables(conn)  # the text marts' source, which the text scorer writes
    built = project.dbt(*MODELS_WITHOUT_TESTS_ARGS, "--empty", "--quiet")
    assert built.returncode == 0, built.stdout + built.stderr
    return project


def test_every_dbt_unit_test_passes(scratch: DbtScratch) -> None:
    completed = scratch.dbt("test", "--select", "test_type:unit")
    results = scratch.run_results()
    failed = [result["unique_id"] for result in results if result["status"] != "pass"]
    assert completed.returncode == 0 and not failed, failed or completed.stdout[-3000:]
    # The project has unit tests for every metric macro and loyalty rule; none got lost.
    assert len(results) >= 20
    assert {result["unique_id"].split(".")[0] for result in results} == {"unit_test"}


def test_the_scheduled_build_leaves_unit_tests_out(scratch: DbtScratch) -> None:
    listed = scratch.dbt("ls", "--resource-type", "unit_test", "--quiet")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert listed.stdout.strip(), "the project has unit tests"
    scheduled = scratch.dbt("ls", *PRODUCTION_BUILD_ARGS[1:], "--quiet")
    assert scheduled.returncode == 0, scheduled.stdout + scheduled.stderr
    assert "unit_test" not in scheduled.stdout
    assert "unique_fct_feedback_items_feedback_item_id" in scheduled.stdout


def compiled(scratch: DbtScratch, sql: str) -> str:
    completed = scratch.dbt("compile", "--inline", sql, "--quiet")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def load_keys(conn: duckdb.DuckDBPyConnection, duplicated: bool) -> None:
    """200,000 keys: md5 strings, some nulls and, when `duplicated`, 5 keys 40 times each."""
    repeated = "'dup-' || (i % 5000)" if duplicated else "'dup-' || i"
    conn.execute(
        f"""
        create or replace table keys_under_test as
        select case
            when i % 1000 = 7 then {repeated}
            when i % 997 = 0 then null
            else md5(cast(i as varchar))
        end as key
        from range(200000) as t(i)
        """
    )


def test_duckdb_unique_test_finds_what_dbts_own_test_finds(scratch: DbtScratch) -> None:
    ours = compiled(scratch, "{{ duckdb__test_unique('keys_under_test', 'key') }}")
    dbts = compiled(scratch, "{{ default__test_unique('keys_under_test', 'key') }}")
    assert "hash(key)" in ours and "hash(key)" not in dbts
    with duckdb.connect() as conn:
        load_keys(conn, duplicated=True)
        found = sorted(conn.execute(ours).fetchall())
        assert found == sorted(conn.execute(dbts).fetchall())
        assert len(found) == 5 and all(count == 40 for _, count in found)
        # No duplicate, no row: the test passes.
        load_keys(conn, duplicated=False)
        assert conn.execute(ours).fetchall() == []
