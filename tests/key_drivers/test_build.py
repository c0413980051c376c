"""The key-driver mart built from a small feedback fact: cells, completeness, performance,
quadrants, reproducibility, and checks that fail on a broken table."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from analytics.key_drivers import build_key_drivers
from analytics.key_drivers.checks import CHECKS, ERROR, WARN
from analytics.key_drivers.settings import ModelSettings, small_sample_min
from analytics.key_drivers.statistics import quadrants, wilson_interval

DRIVERS = (("D1", "support_team", 0.9), ("D2", "delivery_speed", 0.5), ("D3", "site_search", 0.1))
# The dbt var's minimum, which the values_within_ranges check compares the flag with.
SETTINGS = ModelSettings(small_sample_min=small_sample_min(), resamples=200)


def feedback_items(responses: int, seed: int = 1) -> pd.DataFrame:
    """marts.fct_feedback_items rows of one survey: an NPS item, a CSAT item and three 1..5
    drivers of falling strength, over two quarters and two touchpoints, one response in ten
    about a product; response r0 skips driver D3, so it is not complete."""
    rng = np.random.default_rng(seed)
    rows = []
    start = datetime(2025, 2, 1)
    for number in range(responses):
        satisfaction = rng.random()
        when = start + timedelta(days=int(rng.integers(0, 150)))
        segments = {
            "touchpoint": "support" if number % 2 else "delivery",
            "product": "boots" if number % 10 == 0 else None,
            "location": "Helsinki",
        }
        answers = {
            ("Q1", "nps", None, 0, 10): round(min(10, max(0, 10.5 * satisfaction + rng.normal()))),
            ("Q2", "csat", None, 1, 5): round(min(5, max(1, 1 + 4 * satisfaction + rng.normal()))),
        }
        for item_id, name, strength in DRIVERS:
            level = strength * satisfaction + (1 - strength) * rng.random()
            value = round(min(5, max(1, 1 + 4 * level + rng.normal(0, 0.4))))
            answers[(item_id, "driver", name, 1, 5)] = value
        for (item_id, instrument, name, low, high), value in answers.items():
            if number == 0 and item_id == "D3":
                continue
            rows.append(
                {
                    "survey_id": "pulse",
                    "source_record_id": f"r{number}",
                    "item_id": item_id,
                    "instrument": instrument,
                    "item_name": name,
                    "nps_group": (
                        ("promoter" if value >= 9 else "passive" if value >= 7 else "detractor")
                        if instrument == "nps"
                        else None
                    ),
                    "scale_min": low,
                    "scale_max": high,
                    "score_value": float(value),
                    "normalised_score": (value - low) / (high - low),
                    "channel": "survey",
                    **segments,
                    "occurred_at": when,
                }
            )
    return pd.DataFrame(rows)


def warehouse_with(items: pd.DataFrame, path: Path) -> Path:
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.register("items", items)
        conn.execute("create table marts.fct_feedback_items as select * from items")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = warehouse_with(feedback_items(600), tmp_path_factory.mktemp("kd") / "w.duckdb")
    build_key_drivers(warehouse, SETTINGS)
    return warehouse


def mart(warehouse: Path, where: str = "true") -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        # `where` is a fixed clause written in these tests
        return conn.execute(
            f"select * from marts.metrics_key_drivers where {where}"
            " order by outcome_item_id, period_grain, period_start, segment_type,"
            " segment_value, driver_item_id"
        ).df()


def test_one_row_per_driver_and_cell(built: Path) -> None:
    rows = mart(built)
    cells = rows.groupby(
        ["outcome_item_id", "period_grain", "period_start", "segment_type", "segment_value"]
    )
    assert set(cells.size()) == {3}
    assert rows["key_driver_id"].is_unique
    # Two outcomes x (two quarters + all time) x (overall, channel survey, two
    # touchpoints, one product, one location); responses without a product are in no
    # product cell.
    assert cells.ngroups == 2 * 3 * 6
    assert set(rows["segment_type"]) == {"overall", "channel", "touchpoint", "product", "location"}
    product = rows[(rows.segment_type == "product") & (rows.period_grain == "all_time")]
    assert set(product["complete_responses"]) == {59}  # r0, the first, has no D3
    assert set(rows.loc[rows.period_grain == "quarter", "period_start"].astype(str)) == {
        "2025-01-01",
        "2025-04-01",
    }
    all_time = rows[rows.period_grain == "all_time"]
    assert set(all_time["period_start"].astype(str)) == {
        str(feedback_items(600).query("source_record_id != 'r0'")["occurred_at"].min().date())
    }


def test_only_complete_responses_count_and_weights_rank_the_strong_driver_first(
    built: Path,
) -> None:
    overall = mart(built, "period_grain = 'all_time' and segment_type = 'overall'")
    assert set(overall["complete_responses"]) == {599}  # r0 skipped a driver
    for _, outcome in overall.groupby("outcome_item_id"):
        ranked = outcome.sort_values("importance_rank")["driver_name"].tolist()
        assert ranked == ["support_team", "delivery_speed", "site_search"]
        assert outcome["importance_weight"].sum() == pytest.approx(
            outcome["r_squared"].iloc[0], abs=1e-12
        )
        assert outcome["importance_share"].sum() == pytest.approx(1.0, abs=1e-12)
        assert (outcome["importance_ci_lower"] <= outcome["importance_ci_upper"]).all()
        assert set(outcome["bootstrap_resamples"]) == {200}
    assert not overall["is_small_sample"].any()


def test_performance_is_the_mean_score_and_top_two_box_share(built: Path) -> None:
    items = feedback_items(600).query("source_record_id != 'r0' and instrument == 'driver'")
    row = mart(
        built,
        "period_grain = 'all_time' and segment_type = 'overall' and outcome = 'nps'"
        " and driver_item_id = 'D2'",
    ).iloc[0]
    answers = items[items.item_id == "D2"]["score_value"]
    assert row["performance_mean"] == pytest.approx(((answers - 1) / 4).mean(), abs=1e-12)
    top_two = int((answers >= 4).sum())
    assert row["top_two_box_share"] == pytest.approx(top_two / 599, abs=1e-12)
    lower, upper = wilson_interval(np.array([float(top_two)]), 599.0)
    assert (row["top_two_box_ci_lower"], row["top_two_box_ci_upper"]) == pytest.approx(
        (lower[0], upper[0]), abs=1e-12
    )
    assert row["correlation"] == pytest.approx(
        np.corrcoef(
            answers.to_numpy(),
            feedback_items(600)
            .query("source_record_id != 'r0' and item_id == 'Q1'")["score_value"]
            .to_numpy(),
        )[0, 1],
        abs=1e-12,
    )


def test_cells_under_the_minimum_are_flagged(built: Path) -> None:
    rows = mart(built)
    minimum = small_sample_min()
    assert (rows["is_small_sample"] == (rows["complete_responses"] < minimum)).all()
    assert set(rows.loc[rows.segment_type == "product", "is_small_sample"]) == {True}
    assert set(rows.loc[rows.segment_type == "overall", "is_small_sample"]) == {False}


def test_a_rebuild_gives_the_same_rows(built: Path, tmp_path: Path) -> None:
    again = warehouse_with(feedback_items(600), tmp_path / "again.duckdb")
    build_key_drivers(again, SETTINGS)
    pd.testing.assert_frame_equal(mart(built), mart(again))


def test_a_cell_too_small_for_the_model_keeps_its_performance(tmp_path: Path) -> None:
    warehouse = warehouse_with(feedback_items(5), tmp_path / "tiny.duckdb")
    build_key_drivers(warehouse, SETTINGS)
    rows = mart(warehouse)
    # Four complete responses for three drivers: no more than drivers + 1.
    assert set(rows["model_status"]) == {"too_few_responses"}
    assert rows["importance_weight"].isna().all() and rows["quadrant"].isna().all()
    assert rows["performance_mean"].notna().all()
    assert set(rows["bootstrap_resamples"]) == {0}


def test_quadrants_split_at_the_medians_and_ties_count_as_below() -> None:
    importance = np.array([0.30, 0.20, 0.10, 0.05, 0.25])
    performance = np.array([0.40, 0.90, 0.70, 0.80, 0.60])
    # medians: importance 0.20, performance 0.70
    assert quadrants(importance, performance) == [
        "fix_first",  # above / below
        "possible_overkill",  # at the importance median (below) / above
        "secondary",  # below / at the performance median (below)
        "possible_overkill",  # below / above
        "fix_first",  # above / below
    ]
    assert quadrants(np.array([0.3, 0.1]), np.array([0.9, 0.2])) == ["keep_up", "secondary"]


def test_every_check_passes_on_the_built_mart(built: Path) -> None:
    with duckdb.connect(str(built), read_only=True) as conn:
        outcomes = {name: check(conn) for name, check in CHECKS.items()}
    failed = {name: outcome.description for name, outcome in outcomes.items() if not outcome.passed}
    assert not failed or all(outcomes[name].severity == WARN for name in failed), failed


@pytest.mark.parametrize(
    ("check", "breakage", "expected"),
    [
        (
            "weights_sum_to_r_squared",
            "update marts.metrics_key_drivers set importance_weight = importance_weight * 1.01"
            " where driver_item_id = 'D1' and period_grain = 'all_time'",
            "cells do not add up",
        ),
        (
            "intervals_contain_estimates",
            "update marts.metrics_key_drivers set top_two_box_ci_upper = top_two_box_share / 2"
            " where driver_item_id = 'D2'",
            "wilson_outside",
        ),
        (
            "values_within_ranges",
            "update marts.metrics_key_drivers set quadrant = null"
            " where model_status = 'fitted' and driver_item_id = 'D3'",
            "importance_not_iff_fitted",
        ),
        (
            "matches_contract",
            "alter table marts.metrics_key_drivers alter column importance_rank type bigint",
            "importance_rank is BIGINT, the contract says INTEGER",
        ),
    ],
)
def test_each_check_fails_on_a_broken_mart(
    built: Path, tmp_path: Path, check: str, breakage: str, expected: str
) -> None:
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(built.read_bytes())
    with duckdb.connect(str(broken)) as conn:
        conn.execute(breakage)
        outcome = CHECKS[check](conn)
    assert not outcome.passed and outcome.severity == ERROR
    assert expected in outcome.description


def test_no_driver_items_writes_an_empty_mart(tmp_path: Path) -> None:
    items = feedback_items(50).query("instrument != 'driver'")
    warehouse = warehouse_with(items, tmp_path / "no_drivers.duckdb")
    result = build_key_drivers(warehouse, SETTINGS)
    assert result.rows == 0 and mart(warehouse).empty
