"""Daily partitioned vendor API assets: each partition pulls exactly one UTC day.

Only vendors whose API filters by time have them (ingestion.api.pull.RANGE_PULLERS). A
partition is an API window like any other (recorded in raw.api_windows, the day in its
window id), but it reads an explicit time range and leaves the incremental cursor of the
hourly asset alone; its records dedupe by content hash, so rerunning or backfilling a day
writes nothing new.
"""

import os

import dagster as dg

from ingestion import settings
from ingestion.api.pull import pull_vendor_range
from ingestion.api.window import TimeRange
from orchestration.defs.api.assets import VENDOR_ASSETS, window_metadata
from orchestration.project import DUCKDB_WRITER_POOL
from orchestration.retries import TRANSIENT_RETRY_POLICY, retry_only_transient

DEFAULT_BACKFILL_START_DATE = "2024-01-01"


def backfill_start_date() -> str:
    """The first partition day (PULSE_API_BACKFILL_START_DATE, YYYY-MM-DD)."""
    return os.environ.get("PULSE_API_BACKFILL_START_DATE") or DEFAULT_BACKFILL_START_DATE


API_DAILY_PARTITIONS = dg.DailyPartitionsDefinition(
    start_date=backfill_start_date(), timezone="UTC"
)


def build_daily_vendor_asset(vendor: str) -> dg.AssetsDefinition:
    _, tables = VENDOR_ASSETS[vendor]

    @dg.asset(
        key=dg.AssetKey(["api", f"{vendor}_daily"]),
        group_name="api_history",
        kinds={"duckdb", "python"},
        partitions_def=API_DAILY_PARTITIONS,
        pool=DUCKDB_WRITER_POOL,
        retry_policy=TRANSIENT_RETRY_POLICY,
        description=(
            f"{vendor} API, one UTC day per partition, into raw.{', raw.'.join(tables)};"
            " backfills past days without moving the incremental cursor."
        ),
    )
    def _pull_day(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        window = context.partition_time_window
        time_range = TimeRange(window.start, window.end)
        with retry_only_transient():
            result = pull_vendor_range(vendor, settings.warehouse_path(), time_range)
        context.log.info(
            f"{result.window_id}: {result.pages} pages, {result.records_changed} records"
            f" changed, {result.rows_loaded} rows loaded"
        )
        return dg.MaterializeResult(
            metadata={**window_metadata(result), "day": dg.MetadataValue.text(time_range.label)}
        )

    return _pull_day


trustpilot_daily = build_daily_vendor_asset("trustpilot")
typeform_daily = build_daily_vendor_asset("typeform")
surveymonkey_daily = build_daily_vendor_asset("surveymonkey")
shopify_daily = build_daily_vendor_asset("shopify")
