"""A wide survey export lands as one raw row per response, its items and answers as
parallel lists (a blank cell as a null answer), and staging unnests them to one row per
answered item."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingestion.pipeline import ingest
from ingestion.settings import DBT_PROJECT_DIR
from orchestration.lib.quality.gx_runner import audit_new_loads

FORMATS = Path(__file__).resolve().parent.parent / "fixtures" / "formats" / "surveys"
EXPORT = "qualtrics_2016_insights.csv"
# Every item column of the file, in column order (the repeated Q1 numbered as pandas does).
ITEMS = ["Q1", "Q1.1", "Q3_1", "Q3_2", "Q5_1", "Q5_2", "Q6#1_1", "Q7_4_TEXT", "Q8"]
# Per answered item, in column order: the first response left Q3_2 blank, its
# multi-answer cell "1,2" is decoded choice by choice.
FIRST_RESPONSE = [
    ("Q1", "9"),
    ("Q1.1", "3"),
    ("Q3_1", "Web shop"),
    ("Q5_1", "5"),
    ("Q5_2", "Good"),
    ("Q6#1_1", "Yes"),
    ("Q7_4_TEXT", "Hats"),
    ("Q8", "Email; Phone"),
]
SECOND_RESPONSE = [
    ("Q1", "3"),
    ("Q1.1", "2"),
    ("Q3_2", "Store"),
    ("Q5_1", "3"),
    ("Q5_2", "OK"),
    ("Q6#1_1", "No"),
    ("Q8", "Phone"),
]


def _aligned(answered: list[tuple[str, str]]) -> list[str | None]:
    """The raw answers list: one entry per item column, null where the cell was blank."""
    answers = dict(answered)
    return [answers.get(item) for item in ITEMS]


def test_wide_export_lands_as_lists_and_stages_as_long_rows(
    tmp_path: Path, pulse_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing = tmp_path / "formats"
    shutil.copytree(FORMATS, landing)
    monkeypatch.setenv("PULSE_LANDING_DIR", str(landing))
    [result] = ingest([landing / EXPORT])
    assert result.status == "loaded", result.error

    with duckdb.connect(str(pulse_env), read_only=True) as conn:
        raw = conn.execute(
            "select response_id, item_ids, answers, _row_number from raw.survey_answers"
            " where response_id in ('R_2016aaaaaaaaaaa', 'R_2016bbbbbbbbbbb')"
            " order by response_id"
        ).fetchall()
    assert raw == [
        ("R_2016aaaaaaaaaaa", ITEMS, _aligned(FIRST_RESPONSE), 1),
        ("R_2016bbbbbbbbbbb", ITEMS, _aligned(SECOND_RESPONSE), 2),
    ]

    assert not [outcome for outcome in audit_new_loads(pulse_env) if outcome.held]
    command = [str(Path(sys.executable).with_name("dbt")), "run", "--select"]
    command += ["stg_surveys__answers", "--project-dir", str(DBT_PROJECT_DIR)]
    command += ["--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(tmp_path / "target")]
    command += ["--log-path", str(tmp_path / "logs")]
    completed = subprocess.run(command, env=os.environ, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout[-3000:]

    with duckdb.connect(str(pulse_env), read_only=True) as conn:
        staged = conn.execute(
            "select response_id, item_id, answer, source_file_name"
            " from staging.stg_surveys__answers"
            " where response_id in ('R_2016aaaaaaaaaaa', 'R_2016bbbbbbbbbbb')"
            " order by response_id, item_id"
        ).fetchall()
    assert staged == [
        ("R_2016aaaaaaaaaaa", item, answer, EXPORT) for item, answer in FIRST_RESPONSE
    ] + [("R_2016bbbbbbbbbbb", item, answer, EXPORT) for item, answer in SECOND_RESPONSE]
