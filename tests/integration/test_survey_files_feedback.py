"""Survey items from every survey file format reach the conformed feedback model through
the registry, with their time stamps in UTC."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from ingestion.pipeline import ingest
from ingestion.settings import DBT_PROJECT_DIR, MODELS_WITHOUT_TESTS_ARGS
from orchestration.lib.quality.gx_runner import audit_new_loads
from orchestration.project import dbt_executable

pytestmark = pytest.mark.integration

FORMATS = Path(__file__).resolve().parent.parent / "fixtures" / "formats" / "surveys"


def test_survey_files_reach_int_feedback_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(FORMATS, landing)
    warehouse = tmp_path / "warehouse.duckdb"
    env = {
        **os.environ,
        "PULSE_WAREHOUSE": str(warehouse),
        "PULSE_LANDING_DIR": str(landing),
        "PULSE_PSEUDONYM_KEY": "survey-formats-key",
    }
    for name in ("PULSE_WAREHOUSE", "PULSE_LANDING_DIR", "PULSE_PSEUDONYM_KEY"):
        monkeypatch.setenv(name, env[name])
    monkeypatch.delenv("PULSE_SURVEY_REGISTRY", raising=False)
    results = ingest(warehouse=warehouse, landing_root=landing)
    assert {r.status for r in results} == {"loaded"}
    assert not [outcome for outcome in audit_new_loads(warehouse) if outcome.held]
    subprocess.run(
        [
            dbt_executable(),
            *MODELS_WITHOUT_TESTS_ARGS,
            "--select",
            "+int_feedback_items",
            "--quiet",
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        cwd=DBT_PROJECT_DIR,
        env=env,
        check=True,
    )
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        by_source = conn.execute(
            "select source, instrument, count(*), count(score_value), count(occurred_at)"
            " from intermediate.int_feedback_items where channel = 'survey'"
            " group by all order by all"
        ).fetchall()
        occurred = dict(
            conn.execute(
                "select source_record_id, occurred_at from intermediate.int_feedback_items"
                " where channel = 'survey' and instrument in ('nps', 'csat')"
                " and source_record_id in ('114003', '610fc266478b41e4927945e20fe54ad2',"
                " 'R_2016aaaaaaaaaaa')"
            ).fetchall()
        )
        ces = conn.execute(
            "select raw_value, normalised_score from intermediate.int_feedback_items"
            " where source = 'qualtrics' and instrument = 'ces' order by raw_value"
        ).fetchall()
    # The Typeform JSON document and JSON lines deliver the same responses: the latest
    # load wins, each response counts once. The Airbyte files add a Typeform survey of
    # three responses and a SurveyMonkey comment.
    assert by_source == [
        ("google_forms", "csat", 3, 3, 3),
        ("google_forms", "open_text", 2, 0, 2),
        ("qualtrics", "ces", 2, 2, 2),
        ("qualtrics", "driver", 2, 2, 2),
        ("qualtrics", "nps", 3, 3, 3),
        ("surveymonkey", "nps", 3, 3, 3),
        ("surveymonkey", "open_text", 3, 0, 3),
        ("typeform", "nps", 6, 6, 6),
        ("typeform", "open_text", 2, 0, 2),
    ]
    assert occurred == {
        # 05/03/2024 12:02:01 AM in New York (UTC-4 in May)
        "114003": datetime(2024, 5, 3, 4, 2, 1),
        # a partial Typeform response: no submit time, so its landing time (UTC)
        "610fc266478b41e4927945e20fe54ad2": datetime(2024, 5, 1, 10, 0, 0),
        # Qualtrics 2016 EndDate in Helsinki (UTC+3 in May)
        "R_2016aaaaaaaaaaa": datetime(2016, 5, 4, 7, 15, 0),
    }
    # Recode values decoded through the .qsf score on the registered 1..3 scale.
    assert ces == [("2", 0.5), ("3", 1.0)]
