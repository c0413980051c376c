"""A backfill of three past days builds exactly those daily partitions, through dbt vars."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import duckdb

from ingestion.pipeline import ingest
from orchestration.defs.scheduling.partitions import (
    SNAPSHOT_KEY,
    dbt_window_vars,
    repeat_purchase_daily,
)
from orchestration.lib.quality.gx_runner import audit_new_loads
from orchestration.project import dbt_resource

# C000001 places a second order on 2024-03-05: from that day on, one repeat customer.
DAYS = ["2024-03-04", "2024-03-05", "2024-03-06"]


def test_window_vars_name_the_partition_day() -> None:
    assert dbt_window_vars(
        datetime(2025, 3, 10, tzinfo=UTC), datetime(2025, 3, 11, tzinfo=UTC)
    ) == {
        "window_start": "2025-03-10",
        "window_end": "2025-03-11",
        "as_of_date": "2025-03-10",
    }


def test_backfill_of_three_days_builds_exactly_those_partitions(pulse_env: Path) -> None:
    assert {result.status for result in ingest(families={"commerce"})} == {"loaded"}
    # The raw gates publish the loads to staging, as `pulse audit` does before a dbt run.
    assert all(not outcome.held for outcome in audit_new_loads(pulse_env))
    dbt_resource().cli(["run", "--select", "+metrics_repeat_purchase"]).wait()

    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [repeat_purchase_daily],
            instance=instance,
            resources={"dbt": dbt_resource()},
            tags={
                "dagster/asset_partition_range_start": DAYS[0],
                "dagster/asset_partition_range_end": DAYS[-1],
            },
        )
        assert result.success
        materialized = instance.get_materialized_partitions(SNAPSHOT_KEY)
    assert materialized == set(DAYS)

    with duckdb.connect(str(pulse_env), read_only=True) as conn:
        days = conn.execute(
            "select as_of_date, count(*) from history.repeat_purchase_daily"
            " group by as_of_date order by as_of_date"
        ).fetchall()
        overall = conn.execute(
            "select as_of_date, customers, repeat_customers from history.repeat_purchase_daily"
            " where window_grain = 'all_time' and segment_type = 'overall'"
            " order by as_of_date"
        ).fetchall()
    assert [day for day, _ in days] == [date.fromisoformat(day) for day in DAYS]
    assert all(rows > 0 for _, rows in days)
    assert overall == [
        (date(2024, 3, 4), 2, 0),
        (date(2024, 3, 5), 2, 1),
        (date(2024, 3, 6), 2, 1),
    ]
