"""Daily partitions and the backfill path: a day's window reaches dbt as `--vars`.

The marts are rebuilt whole on every run; what is time-based is the "as of" date of the
loyalty metrics (dbt var `as_of_date`). Each daily partition asks dbt for the repeat
purchase rate as it stood at the end of that day (`dbt show`, nothing in the marts is
overwritten) and keeps it in `history.repeat_purchase_daily`, so a backfill of past days
rebuilds exactly those days' rows.
"""

import json
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource

from ingestion import settings
from ingestion.warehouse import connect
from orchestration.project import DUCKDB_WRITER_POOL

SQL_DIR = Path(__file__).resolve().parent / "sql"
DAILY_PARTITIONS = dg.DailyPartitionsDefinition(start_date="2024-01-01", timezone="UTC")
SNAPSHOT_KEY = dg.AssetKey(["history", "repeat_purchase_daily"])
SNAPSHOT_MODEL = "metrics_repeat_purchase"
SNAPSHOT_COLUMNS = (
    "window_grain",
    "window_start",
    "segment_type",
    "segment_value",
    "customers",
    "repeat_customers",
    "repeat_purchase_rate",
    "is_small_sample",
)


def dbt_window_vars(window_start: datetime, window_end: datetime) -> dict[str, str]:
    """dbt vars for one partition window [start, end): metrics as of its last day."""
    last_day = (window_end - timedelta(days=1)).date()
    return {
        "window_start": window_start.date().isoformat(),
        "window_end": window_end.date().isoformat(),
        "as_of_date": last_day.isoformat(),
    }


def dbt_show_args(model: str, dbt_vars: dict[str, str]) -> list[str]:
    return [
        "show",
        "--select",
        model,
        "--vars",
        json.dumps(dbt_vars, sort_keys=True),
        "--limit",
        "-1",
        "--output",
        "json",
    ]


def shown_rows(dbt: DbtCliResource, args: list[str]) -> list[dict[str, Any]]:
    """The rows `dbt show` printed, from its structured log events."""
    invocation = dbt.cli(args, raise_on_error=True)
    previews = [
        event.raw_event["data"]["preview"]
        for event in invocation.stream_raw_events()
        if event.raw_event.get("info", {}).get("name") == "ShowNode"
    ]
    invocation.wait()
    if not previews:
        raise RuntimeError(f"dbt {' '.join(args[:3])} printed no rows")
    return list(json.loads(previews[0]))


def replace_day(conn: duckdb.DuckDBPyConnection, as_of_date: date, rows: list[dict]) -> None:
    """Replace one day's snapshot in one transaction, so a rerun changes nothing."""
    conn.execute((SQL_DIR / "create_repeat_purchase_daily.sql").read_text(encoding="utf-8"))
    conn.execute("begin")
    conn.execute(
        (SQL_DIR / "delete_repeat_purchase_day.sql").read_text(encoding="utf-8"),
        {"as_of_date": as_of_date},
    )
    insert = (SQL_DIR / "insert_repeat_purchase_day.sql").read_text(encoding="utf-8")
    for row in rows:
        values = {column: row.get(column) for column in SNAPSHOT_COLUMNS}
        conn.execute(insert, {"as_of_date": as_of_date, **values})
    conn.execute("commit")


@dg.asset(
    key=SNAPSHOT_KEY,
    deps=[dg.AssetKey(["marts", SNAPSHOT_MODEL])],
    partitions_def=DAILY_PARTITIONS,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="history",
    kinds={"dbt", "duckdb"},
    pool=DUCKDB_WRITER_POOL,
)
def repeat_purchase_daily(
    context: dg.AssetExecutionContext, dbt: DbtCliResource
) -> dg.MaterializeResult:
    """Repeat purchase rate as of the end of each day, one daily partition per day."""
    started = time.perf_counter()
    rows_by_day: dict[date, list[dict]] = {}
    for key in context.partition_keys:
        window = DAILY_PARTITIONS.time_window_for_partition_key(key)
        dbt_vars = dbt_window_vars(window.start, window.end)
        context.log.info(f"partition {key}: dbt vars {dbt_vars}")
        rows_by_day[date.fromisoformat(dbt_vars["as_of_date"])] = shown_rows(
            dbt, dbt_show_args(SNAPSHOT_MODEL, dbt_vars)
        )
    # Written only after dbt has finished: dbt holds the warehouse while it runs.
    conn = connect(settings.warehouse_path())
    try:
        for as_of_date, rows in rows_by_day.items():
            replace_day(conn, as_of_date, rows)
    finally:
        conn.close()
    return dg.MaterializeResult(
        metadata={
            "partitions": len(rows_by_day),
            "rows": sum(len(rows) for rows in rows_by_day.values()),
            "duration_seconds": round(time.perf_counter() - started, 3),
        }
    )


repeat_purchase_daily_job = dg.define_asset_job(
    name="repeat_purchase_daily_job",
    selection=dg.AssetSelection.assets(repeat_purchase_daily),
    partitions_def=DAILY_PARTITIONS,
    description="Daily loyalty snapshot; backfill past days from the Dagster UI or CLI.",
)

repeat_purchase_daily_schedule = dg.build_schedule_from_partitioned_job(
    repeat_purchase_daily_job,
    hour_of_day=6,
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
