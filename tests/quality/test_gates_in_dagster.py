"""Gates in real Dagster runs: a failed ERROR check skips what is downstream in its run,
and later runs refuse to build on it until the checked asset is rebuilt; a raw load that
fails its suite is held while the rest goes on."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from nps_mart import GOOD_CELLS, NPS_OF_120, SMALL_OVERALL, write_nps_mart

from ingestion.pipeline import ingest
from orchestration.definitions import defs
from orchestration.defs.ingestion.assets import raw_key
from orchestration.defs.quality.checks import build_suite_check
from orchestration.defs.serving.assets import PUBLISHED_MARTS_KEY, published_marts

METRICS_NPS = dg.AssetKey(["marts", "metrics_nps"])
STG_REVIEWS = dg.AssetKey(["staging", "stg_reviews__reviews"])
REVIEWS_RESOLVED = dg.AssetKey(["intermediate", "int_reviews_resolved"])
BROKEN_REVIEW = (
    "review_id,platform,product,location,rating,title,body,language,created_at\n"
    "br-1,trustpilot,footwear,web,7,Too good,Seven stars,en,2025-05-01T10:00:00Z\n"
)


def started_steps(result: dg.ExecuteInProcessResult) -> set[str]:
    return {event.step_key or "" for event in result.all_events if event.is_step_start}


def step_failure_text(result: dg.ExecuteInProcessResult, step_key: str) -> str:
    [failure] = [
        event for event in result.all_events if event.is_step_failure and event.step_key == step_key
    ]
    return str(failure.step_failure_data.error)


class MartStandIn:
    """Builds marts.metrics_nps in place of dbt, with whatever cells the test sets; the
    check on it and the publication downstream are the real ones."""

    def __init__(self, warehouse: Path) -> None:
        self.warehouse = warehouse
        self.cells: list[tuple] | None = GOOD_CELLS

        @dg.asset(key=METRICS_NPS)
        def metrics_nps() -> None:
            write_nps_mart(self.warehouse, self.cells)

        self.asset = metrics_nps

    def run(
        self, instance: dg.DagsterInstance, selection: list[dg.AssetKey] | None = None
    ) -> dg.ExecuteInProcessResult:
        return dg.materialize(
            [self.asset, build_suite_check("metrics_nps", "marts.metrics_nps"), published_marts],
            instance=instance,
            selection=selection,
            raise_on_error=False,
        )


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "published.duckdb"
    monkeypatch.setenv("PULSE_PUBLISHED_WAREHOUSE", str(path))
    return path


def test_broken_mart_skips_publication_and_later_runs_refuse_it(
    pulse_env: Path, published: Path
) -> None:
    instance = dg.DagsterInstance.ephemeral()
    mart = MartStandIn(pulse_env)
    mart.cells = [*GOOD_CELLS, NPS_OF_120]

    broken = mart.run(instance)
    [evaluation] = broken.get_asset_check_evaluations()
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert "nps=120.0" in (evaluation.description or "")
    assert "marts__metrics_nps" in started_steps(broken)
    assert "serving__published_marts" not in started_steps(broken)
    assert not published.exists()

    # The next run publishes only: it sees the failed check and refuses, naming it.
    refused = mart.run(instance, selection=[PUBLISHED_MARTS_KEY])
    assert not refused.success
    message = step_failure_text(refused, "serving__published_marts")
    assert "marts/metrics_nps:gx_metrics_nps" in message and "nps=120.0" in message
    assert not published.exists()

    # Rebuilt with good data and checked again: the publication goes ahead.
    mart.cells = GOOD_CELLS
    fixed = mart.run(instance)
    assert fixed.success
    assert published.exists()
    assert mart.run(instance, selection=[PUBLISHED_MARTS_KEY]).success


def test_warning_check_annotates_and_publication_goes_ahead(
    pulse_env: Path, published: Path
) -> None:
    mart = MartStandIn(pulse_env)
    mart.cells = SMALL_OVERALL
    instance = dg.DagsterInstance.ephemeral()
    result = mart.run(instance)
    assert result.success
    [evaluation] = result.get_asset_check_evaluations()
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
    assert published.exists()
    assert mart.run(instance, selection=[PUBLISHED_MARTS_KEY]).success


def test_crashing_validator_is_an_error_and_blocks_until_rebuilt(
    pulse_env: Path, published: Path
) -> None:
    instance = dg.DagsterInstance.ephemeral()
    mart = MartStandIn(pulse_env)
    mart.cells = None  # the build leaves no table: the suite cannot run

    crashed = mart.run(instance)
    assert crashed.get_asset_check_evaluations() == []  # no verdict on the data
    message = step_failure_text(crashed, "marts__metrics_nps_gx_metrics_nps")
    assert "ValidatorError" in message and "metrics_nps could not run" in message
    assert "serving__published_marts" not in started_steps(crashed)

    refused = mart.run(instance, selection=[PUBLISHED_MARTS_KEY])
    assert "the check did not complete" in step_failure_text(refused, "serving__published_marts")


def gate_job(name: str, selection: dg.AssetSelection) -> dg.JobDefinition:
    definitions = dg.Definitions.merge(
        defs(), dg.Definitions(jobs=[dg.define_asset_job(name, selection=selection)])
    )
    return definitions.resolve_job_def(name)


def test_broken_raw_file_is_held_and_the_rest_goes_on(pulse_env: Path) -> None:
    landing = Path(os.environ["PULSE_LANDING_DIR"])
    (landing / "reviews" / "reviews_broken.csv").write_text(BROKEN_REVIEW, encoding="utf-8")
    instance = dg.DagsterInstance.ephemeral()

    reviews_to_staging = gate_job(
        "reviews_to_staging", dg.AssetSelection.assets(raw_key("reviews"), STG_REVIEWS)
    )
    first = reviews_to_staging.execute_in_process(instance=instance, raise_on_error=False)
    evaluations = {e.check_name: e for e in first.get_asset_check_evaluations()}
    # The bad load is held, with what it broke; the check only warns, so staging builds.
    held = evaluations["gx_raw_reviews"]
    assert not held.passed and held.severity == dg.AssetCheckSeverity.WARN
    held_loads = str(held.metadata["held_loads"].value)
    assert "reviews/reviews_broken.csv" in held_loads and "rating=7" in held_loads
    assert first.success
    assert "pulse_dbt_models" in started_steps(first)
    with duckdb.connect(str(pulse_env), read_only=True) as connection:
        staged = {row[0] for row in connection.execute(
            "select review_id from staging.stg_reviews__reviews"
        ).fetchall()}  # fmt: skip
    assert staged and "br-1" not in staged

    # A later run of a mart alone is not refused by the next-run guard: a held load
    # concerns that load only. (It fails on its own: nothing upstream of it was built.)
    dbt_only = gate_job("nps_only", dg.AssetSelection.assets(METRICS_NPS))
    second = dbt_only.execute_in_process(instance=instance, raise_on_error=False)
    assert "not building on data that failed" not in step_failure_text(second, "pulse_dbt_models")


@pytest.mark.integration
def test_failing_staging_test_skips_the_models_downstream(pulse_env: Path) -> None:
    landing = Path(os.environ["PULSE_LANDING_DIR"])
    (landing / "reviews" / "reviews_broken.csv").write_text(BROKEN_REVIEW, encoding="utf-8")
    # Every load is let through, as if no raw gate had run, so the bad rating reaches
    # staging, whose dbt tests are the gate here.
    ingest()
    with duckdb.connect(str(pulse_env)) as connection:
        connection.execute(
            "insert into raw.load_audits (load_id, status, audited_at)"
            " select load_id, 'published', now() from raw.load_ledger where status = 'loaded'"
        )
    models = [
        dg.AssetKey(["staging", name])
        for name in (
            "stg_reviews__reviews",
            "stg_commerce__customers",
            "stg_surveys__responses",
            "stg_vendors__feedback_sources",
        )
    ] + [dg.AssetKey(["intermediate", "int_customer_identities"]), REVIEWS_RESOLVED]
    job = gate_job("reviews_through_staging", dg.AssetSelection.assets(*models))
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    assert not result.success
    failed_tests = [
        evaluation
        for evaluation in result.get_asset_check_evaluations()
        if not evaluation.passed and evaluation.asset_key == STG_REVIEWS
    ]
    assert failed_tests, "a dbt test on the staging model should fail on a rating of 7"
    assert any("rating" in evaluation.check_name for evaluation in failed_tests)
    materialized = {
        event.asset_key for event in result.get_asset_materialization_events() if event.asset_key
    }
    assert STG_REVIEWS in materialized
    assert REVIEWS_RESOLVED not in materialized
