"""The pipeline job and its daily schedule."""

import dagster as dg

pulse_pipeline = dg.define_asset_job(
    name="pulse_pipeline",
    # Vendor API pulls (group "api") need credentials and run on their own schedules.
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups("api"),
    description="Ingest every landing file, build the dbt models and run every check.",
)

daily_pipeline_schedule = dg.ScheduleDefinition(
    name="daily_pipeline",
    job=pulse_pipeline,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Daily run at 05:00 UTC, after the vendors' nightly exports have landed.",
)
