"""Daily partitioned vendor API assets: each partition pulls exactly one UTC day.

Only vendors whose API filters by time have them (their vendor module's `api.by_day`). A
partition is an API window like any other (recorded in raw.api_windows, the day in its
window id), but it reads an explicit time range and leaves the incremental cursor of the
hourly asset alone; its records dedupe by content hash, so rerunning or backfilling a day
writes nothing new.
"""

import os

import dagster as dg

from ingestion import settings
from ingestion.api.pull import pull_vendor_range
from ingestion.api.window import TimeRange, WindowResult
from ingestion.vendors import api_sources
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


def days_metadata(results: list[WindowResult]) -> dict[str, dg.MetadataValue]:
    """One day: its window's metadata; a range: the totals and every window id."""
    if len(results) == 1:
        return window_metadata(results[0])
    return {
        "window_ids": dg.MetadataValue.json([result.window_id for result in results]),
        "pages": dg.MetadataValue.int(sum(result.pages for result in results)),
        "rows_loaded": dg.MetadataValue.int(sum(result.rows_loaded for result in results)),
        "records_changed": dg.MetadataValue.int(sum(r.records_changed for r in results)),
        "records_unchanged": dg.MetadataValue.int(sum(r.records_unchanged for r in results)),
    }


def build_daily_vendor_asset(vendor: str) -> dg.AssetsDefinition:
    _, tables = VENDOR_ASSETS[vendor]

    @dg.asset(
        key=dg.AssetKey(["api", f"{vendor}_daily"]),
        group_name="api_history",
        kinds={"duckdb", "python"},
        partitions_def=API_DAILY_PARTITIONS,
        # a backfill range runs as one run, one window per day (`--partition-range`)
        backfill_policy=dg.BackfillPolicy.single_run(),
        pool=DUCKDB_WRITER_POOL,
        retry_policy=TRANSIENT_RETRY_POLICY,
        description=(
            f"{vendor} API, one UTC day per partition, into raw.{', raw.'.join(tables)};"
            " backfills past days without moving the incremental cursor."
        ),
    )
    def _pull_days(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        results = []
        for key in context.partition_keys:  # one API window per day, oldest first
            window = API_DAILY_PARTITIONS.time_window_for_partition_key(key)
            with retry_only_transient():
                result = pull_vendor_range(
                    vendor, settings.warehouse_path(), TimeRange(window.start, window.end)
                )
            context.log.info(result.summary())
            results.append(result)
        return dg.MaterializeResult(metadata=days_metadata(results))

    return _pull_days


# API settings name -> its daily asset, for the vendors whose API filters by time.
DAILY_API_ASSETS: dict[str, dg.AssetsDefinition] = {
    vendor: build_daily_vendor_asset(vendor)
    for vendor, source in sorted(api_sources().items())
    if source.by_day
}


@dg.definitions
def daily_vendor_api_assets() -> dg.Definitions:
    return dg.Definitions(assets=list(DAILY_API_ASSETS.values()))
