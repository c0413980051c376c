"""The key-driver mart on the user's path: `pulse sample` then `pulse run` (ingest, GX gates,
`dbt build`, the model and its checks, publish), read as a BI tool would."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from analytics.key_drivers.checks import CHECKS
from ingestion.sample_data.surveys import DRIVERS
from orchestration.cli import main

pytestmark = pytest.mark.integration

KEY = dg.AssetKey(["marts", "metrics_key_drivers"])
QUADRANTS = {"fix_first", "keep_up", "possible_overkill", "secondary"}
# The distinct values of one of the mart's columns (named in these tests), in order.
DISTINCT = "select distinct {column} from marts.metrics_key_drivers order by 1"


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default sample written and run through `pulse`; returns the warehouse."""
    root = tmp_path_factory.mktemp("key_drivers_run")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PULSE_LANDING_DIR", str(root / "landing"))
        env.setenv("PULSE_WAREHOUSE", str(root / "warehouse.duckdb"))
        env.setenv("DAGSTER_HOME", str(root / "dagster"))
        env.setenv("PULSE_PSEUDONYM_KEY", "key-driver-run-key")
        env.delenv("PULSE_SURVEY_REGISTRY", raising=False)
        env.delenv("PULSE_PUBLISHED_WAREHOUSE", raising=False)
        assert main(["sample", "--out", str(root / "landing")]) == 0
        assert main(["run"]) == 0
        with dg.DagsterInstance.get() as instance:
            records = instance.event_log_storage.get_latest_asset_check_execution_by_key(
                [dg.AssetCheckKey(KEY, name) for name in CHECKS]
            )
    verdicts = {
        key.name: (record.status.value, record.evaluation and record.evaluation.severity.value)
        for key, record in records.items()
    }
    assert verdicts.keys() == CHECKS.keys()
    # Every check ran; none failed with ERROR. A weight near zero may lie below its own
    # percentile interval (a WARN, as the check explains), which blocks nothing.
    assert all(
        status == "SUCCEEDED" or (status == "FAILED" and severity == "WARN")
        for status, severity in verdicts.values()
    ), verdicts
    return root / "warehouse.duckdb"


def query(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_the_sample_drivers_explain_nps_and_csat_in_the_generators_order(
    sample_run: Path,
) -> None:
    """The generator draws each driver answer from the respondent's satisfaction with a
    weight (support team 0.85, speed 0.80, quality 0.75, finding information 0.55, site
    navigation 0.45): all time and overall, the relative weights rank them the same way."""
    by_strength = [name for _, name, _, _ in sorted(DRIVERS, key=lambda d: -d[3])]
    rows = query(
        sample_run,
        "select outcome, list(driver_name order by importance_rank), any_value(r_squared),"
        " sum(importance_share), any_value(complete_responses)"
        " from marts.metrics_key_drivers"
        " where period_grain = 'all_time' and segment_type = 'overall'"
        " group by survey_id, outcome order by outcome",
    )
    assert [row[0] for row in rows] == ["csat", "nps"]  # post_purchase has no drivers
    for _, ranked, r_squared, shares, responses in rows:
        assert ranked == by_strength
        assert 0.3 < r_squared < 1
        assert shares == pytest.approx(1.0, abs=1e-9)
        assert responses > 4000  # of the 5000 responses, those answering every item


def test_every_cell_has_a_fit_or_a_reason_and_quadrants_cover_the_grid(
    sample_run: Path,
) -> None:
    [(rows, cells, fitted, small)] = query(
        sample_run,
        "select count(*), count(distinct key_cell),"
        " count(*) filter (where model_status = 'fitted'),"
        " count(*) filter (where is_small_sample)"
        " from (select *, concat_ws('|', outcome_item_id, period_grain, period_start,"
        " segment_type, segment_value) as key_cell from marts.metrics_key_drivers)",
    )
    periods = [row[0] for row in query(sample_run, DISTINCT.format(column="period_grain"))]
    segments = [row[0] for row in query(sample_run, DISTINCT.format(column="segment_type"))]
    quadrants = {row[0] for row in query(sample_run, DISTINCT.format(column="quadrant"))}
    assert rows == cells * len(DRIVERS)
    assert fitted > rows * 0.9 and small > 0
    assert periods == ["all_time", "quarter"]
    assert segments == ["channel", "location", "overall", "product", "touchpoint"]
    assert quadrants - {None} == QUADRANTS  # None where a cell could not be fitted
    [(bad_r_squared, bad_intervals)] = query(
        sample_run,
        "select count(*) filter (where r_squared not between 0 and 1),"
        " count(*) filter (where importance_ci_lower > importance_ci_upper"
        " or top_two_box_share not between top_two_box_ci_lower and top_two_box_ci_upper)"
        " from marts.metrics_key_drivers",
    )
    assert (bad_r_squared, bad_intervals) == (0, 0)


def test_the_published_copy_holds_the_mart(sample_run: Path) -> None:
    published = sample_run.with_name("published.duckdb")
    stored = query(sample_run, "select count(*) from marts.metrics_key_drivers")
    assert query(published, "select count(*) from marts.metrics_key_drivers") == stored
    assert (
        query(
            published,
            "select row_count from pipeline.publication"
            " where table_name = 'marts.metrics_key_drivers'",
        )
        == stored
    )
