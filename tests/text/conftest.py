"""The default sample (what `pulse sample` writes) loaded, built up to the scorer's input
and scored once for the text tests that need real volume."""

from __future__ import annotations

import os
import subprocess

import pytest
from text_sample import ScoredSample

from analytics.text.scoring import score_warehouse
from analytics.text.settings import TextSettings
from ingestion.pipeline import ingest
from ingestion.sample_data import generate_sample_data
from ingestion.settings import DBT_PROJECT_DIR, MODELS_WITHOUT_TESTS_ARGS
from orchestration.lib.quality.gx_runner import audit_new_loads
from orchestration.project import dbt_executable


@pytest.fixture(scope="session")
def scored_sample(tmp_path_factory: pytest.TempPathFactory) -> ScoredSample:
    root = tmp_path_factory.mktemp("text_sample")
    landing = root / "landing"
    warehouse = root / "warehouse.duckdb"
    generate_sample_data(landing)
    env = {
        **os.environ,
        "PULSE_WAREHOUSE": str(warehouse),
        "PULSE_LANDING_DIR": str(landing),
        "PULSE_PSEUDONYM_KEY": "text-test-key",
    }
    env.pop("PULSE_SURVEY_REGISTRY", None)
    with pytest.MonkeyPatch.context() as patch:
        for name in ("PULSE_WAREHOUSE", "PULSE_LANDING_DIR", "PULSE_PSEUDONYM_KEY"):
            patch.setenv(name, env[name])
        patch.delenv("PULSE_SURVEY_REGISTRY", raising=False)
        ingest(warehouse=warehouse, landing_root=landing)
    # The raw gate, as a run's checks do: staging reads only the loads it published.
    outcomes = audit_new_loads(warehouse)
    assert all(outcome.success for outcome in outcomes), [o.error or o.held for o in outcomes]
    subprocess.run(
        [
            dbt_executable(),
            *MODELS_WITHOUT_TESTS_ARGS,  # models and the seeds they read (review brands)
            "--select",
            "+int_feedback_texts",
            "--quiet",
            "--target-path",
            str(root / "target"),
            "--log-path",
            str(root / "logs"),
        ],
        cwd=DBT_PROJECT_DIR,
        env=env,
        check=True,
    )
    return ScoredSample(warehouse, score_warehouse(warehouse, TextSettings()))
