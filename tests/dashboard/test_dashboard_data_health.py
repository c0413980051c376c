"""Data health on a copy with something to report, which the sample run does not have: a
held load and why, stale sources, checks that failed or warned. The copy is published by
`publish_marts` from a small warehouse (tests/serving), so no pipeline run is needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.lib.serving.publish import CheckResult, publish_marts
from tests.dashboard.app_elements import charts, metrics, open_page
from tests.serving.test_publish import build_warehouse
from tests.serving.test_publish_pipeline_health import NOW, WINDOWS, add_loads

CHECKS = [
    CheckResult("raw/reviews", "gx_raw_reviews", True, "passed", "error", None, None, "r1", NOW),
    CheckResult("marts/metrics_nps", "not_null_nps", True, "failed", "error", "4 nulls", 4),
    CheckResult("staging/stg_reviews", "recent_reviews", False, "warned", "warn", "3 days"),
]


@pytest.fixture
def health_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "published.duckdb"
    build_warehouse(warehouse, 1)
    add_loads(warehouse)
    publish_marts(warehouse, published, check_results=CHECKS, freshness=WINDOWS)
    monkeypatch.setenv("PULSE_PUBLISHED_WAREHOUSE", str(published))
    monkeypatch.setenv("PULSE_WAREHOUSE", str(tmp_path / "no" / "warehouse.duckdb"))
    return published


def test_data_health_names_the_held_load_stale_sources_and_failed_checks(
    health_copy: Path,
) -> None:
    app = open_page("data-health")

    shown = metrics(app)
    # Three loaded files and the held one, each 4 rows loaded and 1 quarantined.
    assert (shown["Files loaded"], shown["Rows loaded"], shown["Files held"]) == ("4", "16", "1")
    assert shown["Rows quarantined"] == "4"
    assert [str(warning.value) for warning in app.warning] == [
        "1 load failed its raw gate and is held back from the marts: `pulse release LOAD_ID`"
        " after a fix, `pulse drop LOAD_ID` to remove one."
    ]
    tables = [frame.value for frame in app.dataframe]
    held = next(table for table in tables if "load_id" in table.columns)
    assert held.iloc[0][["load_id", "held_by", "expectation", "column_name"]].tolist() == [
        "l4",
        "raw_reviews",
        "ratings lie between 1 and 5",
        "rating",
    ]
    assert int(held.iloc[0]["failing_rows"]) == 3
    # The checks that did not pass come first, the failed one before the warned one.
    not_passed = next(table for table in tables if "check_name" in table.columns)
    assert not_passed["check_name"].tolist()[:2] == ["not_null_nps", "recent_reviews"]

    _, checks, freshness = charts(app)
    outcomes = checks.rows_with("layer", "outcome", "checks")
    assert sorted(zip(outcomes["layer"], outcomes["outcome"], strict=True)) == [
        ("marts", "failed"),
        ("raw", "passed"),
        ("staging", "warned"),
    ]
    statuses = freshness.rows_with("source", "freshness_status")
    assert dict(zip(statuses["source"], statuses["freshness_status"], strict=True)) == {
        "generic_commerce": "failed",
        "generic_reviews": "warn",
        "qualtrics": "fresh",
        "trustpilot": "fresh",
    }
