"""Row-level dbt tests of the incremental survey models read only the rows no passing run
has checked yet: a bad row written after the mark fails every run until it is fixed, and
a row stamped at or before the mark is not read again."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from incremental_runs import ingest_landing, use_scratch_project

from bench.workloads import WorkloadSize, write_workload
from ingestion.settings import DBT_PROJECT_DIR

TINY = WorkloadSize("tiny", 200, 20, 2, 80, 100)
ANSWERS = "model.customer_pulse.stg_surveys__answers"


def _dbt(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("dbt")), *args]
    command += ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    command += ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    return subprocess.run(command, env=os.environ, capture_output=True, text=True)


def _marks(warehouse: Path) -> dict[str, object]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rows = conn.execute("select * from main.dbt_tested_batches").fetchall()
    return dict(rows)


def _insert_answer_without_key(warehouse: Path, transformed_at: str) -> None:
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "insert into staging.stg_surveys__answers by name"
            " select * replace (null as survey_answer_id, cast($at as timestamp) as transformed_at)"
            " from staging.stg_surveys__answers limit 1",
            {"at": transformed_at},
        )


def test_failed_rows_are_read_again_and_checked_rows_are_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing, warehouse = use_scratch_project(tmp_path, monkeypatch, "batch-scope-test-key")
    write_workload(landing, TINY, seed=5)
    ingest_landing(landing, warehouse)
    built = _dbt(
        tmp_path,
        "build",
        "--select",
        "stg_surveys__registry",
        "stg_surveys__responses",
        "stg_surveys__answers",
    )
    assert built.returncode == 0, built.stdout[-3000:]
    marks = _marks(warehouse)
    assert ANSWERS in marks, marks

    # A row stamped after the mark: the not_null test reads it and fails, and the mark
    # stays, so the next run reads it again.
    _insert_answer_without_key(warehouse, "2999-01-01")
    for _ in range(2):
        tested = _dbt(tmp_path, "test", "--select", "stg_surveys__answers")
        assert tested.returncode != 0
        assert "not_null_stg_surveys__answers_survey_answer_id" in tested.stdout
        assert _marks(warehouse)[ANSWERS] == marks[ANSWERS]

    # Fixed: the tests pass and the mark moves to that run's start.
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("delete from staging.stg_surveys__answers where survey_answer_id is null")
    tested = _dbt(tmp_path, "test", "--select", "stg_surveys__answers")
    assert tested.returncode == 0, tested.stdout[-3000:]
    assert _marks(warehouse)[ANSWERS] > marks[ANSWERS]

    # A row stamped at or before the mark belongs to a batch that passed: not read again.
    _insert_answer_without_key(warehouse, "2000-01-01")
    tested = _dbt(tmp_path, "test", "--select", "stg_surveys__answers")
    assert tested.returncode == 0, tested.stdout[-3000:]
