"""The vendor API job and its schedule (stopped until the credentials are configured)."""

import dagster as dg

vendor_api_pull = dg.define_asset_job(
    name="vendor_api_pull",
    selection=dg.AssetSelection.groups("api"),
    description="Pull the next window of every configured vendor API into the raw layer.",
)

hourly_vendor_api_schedule = dg.ScheduleDefinition(
    name="hourly_vendor_api_pull",
    job=vendor_api_pull,
    cron_schedule="20 * * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Hourly vendor API pulls; start it once PULSE_API_<VENDOR>_* are set.",
)
