"""Daily partitions of the vendor API assets pull exactly one UTC day, cursor untouched."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.defs.api.assets import API_ASSETS
from orchestration.defs.api.daily import API_DAILY_PARTITIONS, DAILY_API_ASSETS
from tests.api.cases_x_google_business_app_store import x_case
from tests.api.fake_vendors import FakeVendor, serve
from tests.api.vendor_cases import (
    VendorCase,
    shopify_case,
    surveymonkey_case,
    trustpilot_case,
    typeform_case,
)

shopify_orders = API_ASSETS["shopify"]
surveymonkey_responses = API_ASSETS["surveymonkey"]
trustpilot_reviews = API_ASSETS["trustpilot"]
typeform_responses = API_ASSETS["typeform"]
x_polls = API_ASSETS["x"]
shopify_daily = DAILY_API_ASSETS["shopify"]
surveymonkey_daily = DAILY_API_ASSETS["surveymonkey"]
trustpilot_daily = DAILY_API_ASSETS["trustpilot"]
typeform_daily = DAILY_API_ASSETS["typeform"]
x_daily = DAILY_API_ASSETS["x"]

DAY = "2026-01-02"


class DailyCase:
    """A vendor case, how many records to seed and which of them were made on DAY."""

    def __init__(
        self,
        case: Callable[[], VendorCase],
        seeded: int,
        day_keys: set[str],
        incremental: dg.AssetsDefinition,
        daily: dg.AssetsDefinition,
        range_params: tuple[str, str],
    ) -> None:
        self.case, self.seeded, self.day_keys = case, seeded, day_keys
        self.incremental, self.daily, self.range_params = incremental, daily, range_params


DAILY_CASES = {
    # reviews are created one a day from 2026-01-02; r2 falls on 2026-01-03 00:00, the
    # end of DAY, which the API's inclusive end bound returns and the partition must drop
    "trustpilot": DailyCase(
        trustpilot_case, 3, {"r1"}, trustpilot_reviews, trustpilot_daily,
        ("startDateTime", "endDateTime"),
    ),
    # orders are updated one an hour from 2026-01-01 01:00: hours 24-47 fall on DAY, hour
    # 48 (order 1048) is the next midnight
    "shopify": DailyCase(
        shopify_case, 50, {str(1000 + hour) for hour in range(24, 48)}, shopify_orders,
        shopify_daily, ("updated_at_min", "updated_at_max"),
    ),
    # responses are modified one a day from 2026-01-02, like the Trustpilot reviews
    "surveymonkey": DailyCase(
        surveymonkey_case, 3, {"sm1"}, surveymonkey_responses, surveymonkey_daily,
        ("start_modified_at", "end_modified_at"),
    ),
    # responses are submitted one an hour (t1 is partial: landed at 00:00) and t51 in the
    # same second as t50; t48 is submitted at the next midnight
    "typeform": DailyCase(
        typeform_case, 50, {f"t{number}" for number in range(24, 48)},
        typeform_responses, typeform_daily, ("since", "until"),
    ),
    # a poll tweet (and two plain tweets) an hour from 01:00, like the Shopify orders
    "x": DailyCase(
        x_case, 50, {str(1_400_000_000_000_000_000 + hour) for hour in range(24, 48)},
        x_polls, x_daily, ("start_time", "end_time"),
    ),
}  # fmt: skip


def keys_loaded(warehouse: Path, table: str, key_column: str) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        sql = f"select distinct {key_column} from raw.{table} order by all"
        rows = conn.execute(sql).fetchall()
    return [str(key) for (key,) in rows]


def ledger(warehouse: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def materialised_metadata(
    asset: dg.AssetsDefinition, partition_key: str | None = None
) -> dict[str, dg.MetadataValue]:
    result = dg.materialize([asset], partition_key=partition_key)
    assert result.success
    [materialization] = result.asset_materializations_for_node(asset.op.name)
    return dict(materialization.metadata)


@pytest.mark.parametrize("vendor", sorted(DAILY_CASES))
def test_partition_pulls_only_its_day_idempotently_and_leaves_the_cursor(
    vendor: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("PULSE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
    daily = DAILY_CASES[vendor]
    case = daily.case()
    with serve(case.fake):
        case.seed(daily.seeded)
        case.puller(monkeypatch, [], FakeVendor.token)  # sets PULSE_API_<VENDOR>_*

        first = materialised_metadata(daily.daily, DAY)
        assert set(keys_loaded(warehouse, case.table, case.key_column)) == daily.day_keys
        assert first["records_changed"] == dg.IntMetadataValue(len(daily.day_keys))
        start, end = daily.range_params
        first_page = case.fake.requests[case.requests_before_pages]
        assert f"{start}=2026-01-02T00%3A00%3A00Z" in first_page
        assert f"{end}=2026-01-03T00%3A00%3A00Z" in first_page

        again = materialised_metadata(daily.daily, DAY)
        assert again["rows_loaded"] == dg.IntMetadataValue(0)
        assert again["records_changed"] == dg.IntMetadataValue(0)
        assert ledger(warehouse, "select count(*) from raw.api_cursors") == [(0,)]

        materialised_metadata(daily.incremental)  # the hourly pull: everything, sets the cursor
        cursor_sql = "select vendor, cursor_value from raw.api_cursors"
        cursor = ledger(warehouse, cursor_sql)
        assert len(cursor) == 1
        everything = keys_loaded(warehouse, case.table, case.key_column)
        assert len(everything) == len(case.fake.records())

        last = materialised_metadata(daily.daily, DAY)
        assert last["rows_loaded"] == dg.IntMetadataValue(0)
        assert ledger(warehouse, cursor_sql) == cursor
        assert keys_loaded(warehouse, case.table, case.key_column) == everything

    windows = ledger(
        warehouse,
        "select window_id, cursor_before, cursor_after, status from raw.api_windows"
        " where window_id like '%:2026-01-02:%' order by started_at",
    )
    assert len(windows) == 3
    assert all(row[1:] == (None, None, "loaded") for row in windows)
    assert windows[0][0].startswith(f"api:{vendor}:")


def test_a_partition_range_runs_once_with_one_window_per_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("PULSE_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
    case = trustpilot_case()
    with serve(case.fake):
        case.seed(4)  # r1..r4 created on 2026-01-02..2026-01-05
        case.puller(monkeypatch, [], FakeVendor.token)
        result = dg.materialize(
            [trustpilot_daily],
            tags={
                "dagster/asset_partition_range_start": "2026-01-03",
                "dagster/asset_partition_range_end": "2026-01-04",
            },
        )
    assert result.success
    materializations = result.asset_materializations_for_node(trustpilot_daily.op.name)
    assert sorted(m.partition or "" for m in materializations) == ["2026-01-03", "2026-01-04"]
    assert materializations[0].metadata["records_changed"] == dg.IntMetadataValue(2)
    assert keys_loaded(warehouse, "reviews", "review_id") == ["r2", "r3"]
    windows = ledger(warehouse, "select window_id from raw.api_windows order by started_at")
    assert [window_id.split(":")[3] for (window_id,) in windows] == ["2026-01-03", "2026-01-04"]


def test_daily_assets_are_partitioned_by_utc_day_in_their_own_group() -> None:
    for daily in DAILY_CASES.values():
        assert daily.daily.partitions_def == API_DAILY_PARTITIONS
        assert daily.daily.backfill_policy == dg.BackfillPolicy.single_run()
        assert daily.daily.group_names_by_key[daily.daily.key] == "api_history"
        assert daily.incremental.partitions_def is None
    assert isinstance(API_DAILY_PARTITIONS, dg.DailyPartitionsDefinition)
    assert API_DAILY_PARTITIONS.timezone == "UTC"
    window = API_DAILY_PARTITIONS.time_window_for_partition_key(DAY)
    assert (window.end - window.start).days == 1
