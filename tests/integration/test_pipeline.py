"""Materialise every asset into a temporary DuckDB file, as `pulse run` does."""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.definitions import defs

pytestmark = pytest.mark.integration

MARTS = (
    "fct_feedback_items",
    "metrics_nps",
    "metrics_csat",
    "metrics_ces",
    "dim_customers",
    "fct_orders",
    "dim_customer_rfm",
    "metrics_repeat_purchase",
    # Built by a Python asset; its bootstrap is seeded, so a rerun changes nothing either.
    "metrics_key_drivers",
    # Built after the text scorer, in the second dbt step.
    "fct_feedback_text",
    "fct_feedback_text_themes",
    "metrics_themes",
    "metrics_theme_impact",
    "metrics_text_model_card",
    "metrics_text_uncategorised_phrases",
)


def run_pipeline(instance: dg.DagsterInstance | None = None) -> dg.ExecuteInProcessResult:
    job = defs().resolve_job_def("pulse_pipeline")
    return job.execute_in_process(
        instance=instance or dg.DagsterInstance.ephemeral(), raise_on_error=False
    )


def resubmitted_forms(landing: Path) -> int:
    """Relationship-survey answers from a respondent who already answered in that wave's
    export: the forms the sample deliberately sends twice."""
    resubmitted = 0
    for export in sorted((landing / "surveys").glob("qualtrics_relationship_*.csv")):
        with export.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))[2:]  # below the question and ImportId rows
        respondents = Counter(
            (row["ExternalReference"], row["RecipientEmail"].lower())
            for row in rows
            if row["ExternalReference"] or row["RecipientEmail"]
        )
        resubmitted += sum(answers - 1 for answers in respondents.values())
    return resubmitted


# Columns that say when a run wrote the row (incremental models): not part of the data.
RUN_STAMP_COLUMNS = ("scored_at",)


def mart_fingerprints(warehouse: Path) -> dict[str, tuple[int, str]]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        fingerprints = {}
        for mart in MARTS:
            stamps = conn.execute(
                "select list(column_name) from information_schema.columns"
                " where table_schema = 'marts' and table_name = ?"
                " and list_contains(?, column_name)",
                [mart, list(RUN_STAMP_COLUMNS)],
            ).fetchone()
            excluded = f"exclude ({', '.join(stamps[0])})" if stamps and stamps[0] else ""
            # mart and column names come from the constants above
            fingerprints[mart] = conn.execute(
                f"select count(*), md5(coalesce(string_agg(md5(cast(row_value as varchar)), ''"
                f" order by md5(cast(row_value as varchar))), ''))"
                f" from (select * {excluded} from marts.{mart}) as row_value"
            ).fetchone()
        return fingerprints


def test_full_run_builds_every_mart_and_rerun_changes_nothing(sample_env: Path) -> None:
    # One instance for both runs, as a deployment keeps its run history.
    instance = dg.DagsterInstance.ephemeral()
    first = run_pipeline(instance)
    assert first.success
    marts = mart_fingerprints(sample_env)
    assert all(count > 0 for count, _ in marts.values()), marts
    # Customers answer the relationship survey once per half-year wave: the warning
    # reports the resubmitted forms and nothing else.
    [duplicates] = [
        evaluation
        for evaluation in first.get_asset_check_evaluations()
        if evaluation.check_name.startswith("survey_duplicate_respondents_")
    ]
    resubmitted = resubmitted_forms(Path(os.environ["PULSE_LANDING_DIR"]))
    assert resubmitted > 0 and not duplicates.passed
    assert duplicates.metadata["dagster_dbt/failed_row_count"].value == resubmitted
    text_checks = {
        evaluation.check_name: evaluation.passed
        for evaluation in first.get_asset_check_evaluations()
        if evaluation.asset_key.path[0] == "analytics"
    }
    assert text_checks == {"sentiment_macro_f1": True, "undetermined_language_share": True}

    with duckdb.connect(str(sample_env), read_only=True) as conn:
        ledger_rows = conn.execute("select count(*) from raw.load_ledger").fetchone()
        no_clear_email = conn.execute(
            "select count(*) from marts.fct_feedback_items where text_value like '%@%.%'"
        ).fetchone()
    assert no_clear_email == (0,)

    second = run_pipeline(instance)
    assert second.success
    loaded = [
        event.materialization.metadata["rows_loaded"].value
        for event in second.get_asset_materialization_events()
        if event.materialization.asset_key.path[0] == "raw"
        and "rows_loaded" in event.materialization.metadata
    ]
    assert loaded and set(loaded) == {0}
    [scored] = [
        event.materialization.metadata["texts_scored"].value
        for event in second.get_asset_materialization_events()
        if event.materialization.asset_key == dg.AssetKey(["analytics", "text_scores"])
    ]
    assert scored == 0
    # Nothing new: dbt rebuilt only the follow-up queue (its due times move with the
    # clock) and what reads it, not the cases' triggers; the mart suites reused their
    # verdicts.
    rebuilt = {
        event.materialization.asset_key.path[-1]: event.materialization.metadata.get("rebuilt")
        for event in second.get_asset_materialization_events()
    }
    assert rebuilt["metrics_nps"].value is False and rebuilt["fct_feedback_items"].value is False
    assert rebuilt["fct_follow_up_cases"] is None
    assert rebuilt["fct_follow_up_case_triggers"].value is False
    reused = {
        evaluation.check_name
        for evaluation in second.get_asset_check_evaluations()
        if "verdict_reused_from_run" in evaluation.metadata
    }
    assert {"gx_metrics_nps", "gx_metrics_csat", "gx_metrics_ces"} <= reused
    assert mart_fingerprints(sample_env) == marts
    with duckdb.connect(str(sample_env), read_only=True) as conn:
        assert conn.execute("select count(*) from raw.load_ledger").fetchone() == ledger_rows


def test_broken_raw_file_is_held_and_every_other_load_reaches_the_marts(
    sample_env: Path,
) -> None:
    landing = Path(os.environ["PULSE_LANDING_DIR"])
    (landing / "reviews" / "reviews_broken.csv").write_text(
        "review_id,platform,product,location,rating,title,body,language,created_at\n"
        "br-1,trustpilot,footwear,web,7,Too good,Seven stars,en,2025-05-01T10:00:00Z\n",
        encoding="utf-8",
    )
    result = run_pipeline()
    evaluations = {
        evaluation.check_name: evaluation for evaluation in result.get_asset_check_evaluations()
    }
    held = evaluations["gx_raw_reviews"]
    assert not held.passed and held.severity == dg.AssetCheckSeverity.WARN
    held_loads = str(held.metadata["held_loads"].value)
    assert "reviews/reviews_broken.csv" in held_loads and "rating=7" in held_loads
    assert evaluations["gx_raw_orders"].passed
    assert result.success
    with duckdb.connect(str(sample_env), read_only=True) as conn:
        reviews = conn.execute(
            "select count(*), count(*) filter (where source_record_id = 'br-1')"
            " from marts.fct_feedback_items where channel = 'review'"
        ).fetchone()
        ledger = conn.execute(
            "select status from raw.load_ledger where file_name = 'reviews/reviews_broken.csv'"
        ).fetchall()
    assert reviews is not None and reviews[0] > 0 and reviews[1] == 0
    assert ledger == [("held",)]
