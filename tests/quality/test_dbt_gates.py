"""The dbt gates on a small scratch warehouse: broken staging rows fail the right error
test, seeded survey and review anomalies raise warnings (not errors) whose rows say
which response, platform or day and why, and a mart contract refuses a bad row."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ingestion.pipeline import ingest
from ingestion.settings import DBT_PROJECT_DIR
from orchestration.project import dbt_executable
from tests.conftest import FIXTURE_LANDING

pytestmark = pytest.mark.integration

STAGING_MODELS = [
    "stg_vendors__feedback_sources",
    "stg_surveys__registry",
    "stg_surveys__responses",
    "stg_surveys__answers",
    "stg_reviews__reviews",
]

# Broken and suspicious rows added to the raw layer after the fixture files load.
SEED_SQL = Path(__file__).with_name("dbt_gates_seed.sql")


@dataclass(frozen=True)
class GatedWarehouse:
    root: Path
    warehouse: Path
    env: dict[str, str]
    results: dict[str, dict[str, Any]]
    build_exit_code: int

    def result(self, test_name_prefix: str, model: str) -> dict[str, Any]:
        """The one result whose test name starts with the prefix and tests that model."""
        matches = [
            result
            for unique_id, result in self.results.items()
            if unique_id.split(".")[2].startswith(f"{test_name_prefix}_{model}")
        ]
        assert len(matches) == 1, (test_name_prefix, model, sorted(self.results))
        return matches[0]

    def failing_rows(self, result: dict[str, Any]) -> list[dict[str, Any]]:
        """Rerun a test's compiled query to read the rows it flagged."""
        with duckdb.connect(str(self.warehouse), read_only=True) as conn:
            cursor = conn.execute(result["compiled_code"])
            columns = [column[0] for column in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def run_dbt(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            dbt_executable(),
            *args,
            "--target-path",
            str(root / "target"),
            "--log-path",
            str(root / "logs"),
        ],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def gated(tmp_path_factory: pytest.TempPathFactory) -> GatedWarehouse:
    """The fixture landing files plus seeded bad rows, built and tested up to staging once."""
    root = tmp_path_factory.mktemp("dbt_gates")
    landing = root / "landing"
    shutil.copytree(FIXTURE_LANDING, landing)
    warehouse = root / "warehouse.duckdb"
    env = {
        **os.environ,
        "PULSE_WAREHOUSE": str(warehouse),
        "PULSE_LANDING_DIR": str(landing),
        "PULSE_PSEUDONYM_KEY": "gates-test-key",
    }
    env.pop("PULSE_SURVEY_REGISTRY", None)
    with pytest.MonkeyPatch.context() as patch:
        for name in ("PULSE_WAREHOUSE", "PULSE_LANDING_DIR", "PULSE_PSEUDONYM_KEY"):
            patch.setenv(name, env[name])
        patch.delenv("PULSE_SURVEY_REGISTRY", raising=False)
        ingest(warehouse=warehouse, landing_root=landing)
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(SEED_SQL.read_text(encoding="utf-8"))
        # The seeded rows stand in for loads the raw gate let through: these tests are of
        # the dbt tests behind it, which staging runs on published loads only.
        conn.execute(
            "insert into raw.load_audits (load_id, status, audited_at)"
            " select distinct _load_id, 'published', now() from (select _load_id from"
            " raw.survey_responses union select _load_id from raw.survey_answers union"
            " select _load_id from raw.reviews union select _load_id from raw.poll_options)"
        )
    build = run_dbt(
        root,
        env,
        "build",
        "--select",
        *STAGING_MODELS,
        "--exclude-resource-type",
        "unit_test",
        # Not the tests that also read models outside the selection (the poll platforms).
        "--indirect-selection",
        "cautious",
    )
    run_results = json.loads((root / "target" / "run_results.json").read_text(encoding="utf-8"))
    results = {result["unique_id"]: result for result in run_results["results"]}
    assert results, build.stdout + build.stderr
    return GatedWarehouse(root, warehouse, env, results, build.returncode)


def test_nps_answer_outside_its_scale_fails_the_scale_test(gated: GatedWarehouse) -> None:
    result = gated.result("answer_within_registered_scale", "stg_surveys__answers")
    assert result["status"] == "fail"
    assert result["failures"] == 4
    reasons = {row["response_id"]: row["reason"] for row in gated.failing_rows(result)}
    # Off the scale, and not whole numbers: 9.5 would count a promoter, 1e1 as 10, and
    # abc would drop out of n unseen.
    assert reasons == {
        response: f"answer {answer} to nps item Q1 is not a whole number on its scale 0..10"
        for response, answer in (
            ("R_nps11", "11"),
            ("R_nps95", "9.5"),
            ("R_nps1e1", "1e1"),
            ("R_npsabc", "abc"),
        )
    }
    # An error test failed, so the build as a whole fails.
    assert gated.build_exit_code != 0


def test_rating_off_the_scale_fails_the_rating_range_test(gated: GatedWarehouse) -> None:
    result = gated.result("value_between", "stg_reviews__reviews_rating")
    assert result["status"] == "fail"
    assert result["failures"] == 1
    [row] = gated.failing_rows(result)
    assert row["review_id"] == "off-scale"


def test_only_the_broken_rows_fail(gated: GatedWarehouse) -> None:
    failed = sorted(
        unique_id.split(".")[2]
        for unique_id, result in gated.results.items()
        if result["status"] in {"fail", "error"}
    )
    assert len(failed) == 2, failed
    assert gated.result("unique", "stg_surveys__responses_survey_response_id")["status"] == "pass"
    assert gated.result("not_null", "stg_surveys__answers_survey_answer_id")["status"] == "pass"


def test_speeder_warns_with_the_response_and_the_median(gated: GatedWarehouse) -> None:
    result = gated.result("survey_speeders", "stg_surveys__responses")
    assert result["status"] == "warn"
    rows = gated.failing_rows(result)
    assert [row["response_id"] for row in rows] == ["R_speeder"]
    assert rows[0]["reason"].startswith("speeder: took 4s, under 0.3333 of the survey median of ")


def test_straight_liner_warns_with_the_repeated_answer(gated: GatedWarehouse) -> None:
    result = gated.result("survey_straight_liners", "stg_surveys__answers")
    assert result["status"] == "warn"
    [row] = gated.failing_rows(result)
    assert row["response_id"] == "R_straight"
    assert row["reason"] == "straight-liner: answered 4 to all 3 driver items"


def duplicate_respondent_rows(gated: GatedWarehouse) -> dict[str, list[dict[str, Any]]]:
    """The duplicate-respondent warnings by respondent key."""
    result = gated.result("survey_duplicate_respondents", "stg_surveys__responses")
    assert result["status"] == "warn"
    rows: dict[str, list[dict[str, Any]]] = {}
    for row in gated.failing_rows(result):
        rows.setdefault(row["respondent_key"], []).append(row)
    return rows


def test_relationship_survey_repeat_within_30_days_warns(gated: GatedWarehouse) -> None:
    [row] = duplicate_respondent_rows(gated)["C-twice"]
    assert row["response_id"] == "R_again"
    assert row["reason"].startswith(
        "duplicate respondent: answered this survey before in response R_first at 2025-04-01"
    )
    assert row["reason"].endswith(", within 30 days (relationship survey)")


def test_transactional_survey_warns_only_on_the_same_day(gated: GatedWarehouse) -> None:
    rows = duplicate_respondent_rows(gated)
    # Two orders on consecutive days, under 24 hours apart: two answers, no duplicate.
    assert "hash-orders" not in rows
    [row] = rows["hash-double"]
    assert (row["response_id"], row["previous_response_key"]) == ("sent-twice", "sent-once")
    assert row["reason"].endswith(", on the same day (transactional survey)")


def test_registry_window_overrides_the_kind_default(gated: GatedWarehouse) -> None:
    [row] = duplicate_respondent_rows(gated)["hash-support"]
    assert row["response_id"] == "ticket-2"
    assert row["reason"].endswith(", within 7 days (transactional survey)")


def test_partial_response_warns_with_its_progress(gated: GatedWarehouse) -> None:
    result = gated.result("survey_partial_responses", "stg_surveys__responses")
    assert result["status"] == "warn"
    rows = [row for row in gated.failing_rows(result) if row["response_id"] == "R_partial"]
    assert [row["reason"] for row in rows] == ["partial response: not finished, progress 40.0%"]


def test_review_spike_warns_with_platform_and_day(gated: GatedWarehouse) -> None:
    result = gated.result("review_rating_spikes", "stg_reviews__reviews")
    assert result["status"] == "warn"
    [row] = gated.failing_rows(result)
    assert (row["platform"], str(row["review_date"]), row["review_count"]) == (
        "yelp",
        "2025-02-10",
        12,
    )
    assert row["reason"].startswith("review spike: 12 low (1-2 stars) reviews on yelp")


def test_mart_contract_refuses_a_null_in_a_not_null_column(gated: GatedWarehouse) -> None:
    # `run` skips the staging tests that would stop this row earlier: the contract still holds.
    run = run_dbt(
        gated.root, gated.env, "run", "--select", "stg_polls__poll_options", "fct_poll_results"
    )
    output = run.stdout + run.stderr
    assert run.returncode != 0, output
    assert "Failure in model fct_poll_results" in output, output
    assert "NOT NULL constraint failed: fct_poll_results__dbt_tmp.option_position" in output, output
