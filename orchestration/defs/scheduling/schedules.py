"""The pipeline job and its daily schedule."""

import dagster as dg

# Retry a run only when the run itself died (worker lost, process killed): the loads are
# idempotent, so a rerun is safe. A failing asset or check is a data problem and is not
# retried.
TRANSIENT_RUN_RETRY_TAGS = {
    "dagster/max_retries": "2",
    "dagster/retry_on_asset_or_op_failure": "false",
}

pulse_pipeline = dg.define_asset_job(
    name="pulse_pipeline",
    # Vendor API pulls (groups "api", "api_history") need credentials and run on their
    # own schedules or backfills; daily history partitions (group "history") run in their
    # own partitioned job.
    selection=dg.AssetSelection.all()
    - dg.AssetSelection.groups("api", "api_history")
    - dg.AssetSelection.groups("history"),
    tags=TRANSIENT_RUN_RETRY_TAGS,
    description="Ingest every landing file, build the dbt models, run every check, publish.",
)

daily_pipeline_schedule = dg.ScheduleDefinition(
    name="daily_pipeline",
    job=pulse_pipeline,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Daily run at 05:00 UTC, after the vendors' nightly exports have landed.",
)
