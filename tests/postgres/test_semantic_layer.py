"""The MetricFlow metrics answer what the metric marts hold (DuckDB; no server needed)."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from conftest import BuiltSample, run_tool

pytestmark = pytest.mark.integration

MONTHLY_METRICS = {
    "nps": "select period_start, nps from marts.metrics_nps"
    " where period_grain = 'month' and segment_type = 'overall'",
    "csat": "select period_start, csat from marts.metrics_csat"
    " where period_grain = 'month' and segment_type = 'overall'",
    "ces": "select period_start, ces from marts.metrics_ces"
    " where period_grain = 'month' and segment_type = 'overall'",
    "high_rating_share": "select period_start, high_rating_share from marts.metrics_review_ratings"
    " where period_grain = 'month' and segment_type = 'overall' and platform = 'all'",
}


def mf_query(
    sample: BuiltSample, metrics: list[str], group_by: str | None, output: Path
) -> list[dict[str, str]]:
    """`mf query` rows as dicts of column -> text."""
    args = ["query", "--metrics", ",".join(metrics), "--csv", str(output)]
    if group_by:
        args += ["--group-by", group_by]
    run_tool("mf", args, cwd=sample.dbt_project, env=sample.env)
    with output.open(newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def mart_values(sample: BuiltSample, query: str) -> dict[str, float]:
    with duckdb.connect(str(sample.warehouse), read_only=True) as conn:
        return {str(key): float(value) for key, value in conn.execute(query).fetchall()}


@pytest.fixture(scope="module")
def monthly_rows(
    built_sample: BuiltSample, tmp_path_factory: pytest.TempPathFactory
) -> list[dict[str, str]]:
    output = tmp_path_factory.mktemp("mf") / "monthly.csv"
    return mf_query(built_sample, list(MONTHLY_METRICS), "metric_time__month", output)


@pytest.mark.parametrize("metric", list(MONTHLY_METRICS))
def test_monthly_metric_matches_its_mart(
    built_sample: BuiltSample, monthly_rows: list[dict[str, str]], metric: str
) -> None:
    semantic = {
        row["metric_time__month"][:10]: float(row[metric]) for row in monthly_rows if row[metric]
    }
    mart = mart_values(built_sample, MONTHLY_METRICS[metric])
    assert len(mart) >= 12 and semantic.keys() == mart.keys()
    for month, value in mart.items():
        # The marts round to four places; MetricFlow does not.
        assert semantic[month] == pytest.approx(value, abs=1e-4), (metric, month)


def test_all_time_metrics_match_the_marts(built_sample: BuiltSample, tmp_path: Path) -> None:
    (row,) = mf_query(
        built_sample, ["repeat_purchase_rate", "average_rating"], None, tmp_path / "all.csv"
    )
    repeat_rate = mart_values(
        built_sample,
        "select 'all', repeat_purchase_rate from marts.metrics_repeat_purchase"
        " where window_grain = 'all_time' and segment_type = 'overall'",
    )
    assert float(row["repeat_purchase_rate"]) == pytest.approx(repeat_rate["all"], abs=1e-4)
    mean_rating = mart_values(
        built_sample,
        "select 'all', avg(score_value) from marts.fct_feedback_items"
        " where instrument = 'star_rating'",
    )
    assert 1 <= float(row["average_rating"]) <= 5
    assert float(row["average_rating"]) == pytest.approx(mean_rating["all"], abs=1e-9)


def test_text_sentiment_by_month_matches_the_text_fact(
    built_sample: BuiltSample, tmp_path: Path
) -> None:
    rows = mf_query(built_sample, ["text_sentiment"], "metric_time__month", tmp_path / "t.csv")
    semantic = {row["metric_time__month"][:10]: float(row["text_sentiment"]) for row in rows}
    fact = mart_values(
        built_sample,
        "select cast(date_trunc('month', occurred_at) as date), avg(sentiment_score)"
        " from marts.fct_feedback_text group by 1",
    )
    assert len(fact) >= 12 and semantic.keys() == fact.keys()
    for month, value in fact.items():
        assert semantic[month] == pytest.approx(value, abs=1e-9), month


def test_theme_mentions_match_metrics_themes(built_sample: BuiltSample, tmp_path: Path) -> None:
    rows = mf_query(built_sample, ["theme_mentions"], "text_theme__theme", tmp_path / "m.csv")
    semantic = {row["text_theme__theme"]: float(row["theme_mentions"]) for row in rows}
    mart = mart_values(
        built_sample,
        "select theme, mentions from marts.metrics_themes"
        " where period_grain = 'all_time' and segment_type = 'overall'",
    )
    assert len(mart) == 7 and semantic == mart
