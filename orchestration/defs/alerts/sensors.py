"""Alert on every failed run through the webhook PULSE_ALERT_WEBHOOK_URL names."""

import dagster as dg

from orchestration.lib.alerting.channels import run_failure_webhook


def failure_payload(context: dg.RunFailureSensorContext) -> dict[str, object]:
    run = context.dagster_run
    failed_steps = sorted(
        {event.step_key for event in context.get_step_failure_events() if event.step_key}
    )
    return {
        "event": "run_failed",
        "project": "customer_pulse",
        "run_id": run.run_id,
        "job_name": run.job_name,
        "failed_steps": failed_steps,
        "message": context.failure_event.message,
        "tags": {key: value for key, value in run.tags.items() if key.startswith("pulse/")},
    }


@dg.run_failure_sensor(
    name="run_failure_alert",
    monitor_all_code_locations=False,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Posts a JSON alert to PULSE_ALERT_WEBHOOK_URL when a run fails.",
)
def run_failure_alert(context: dg.RunFailureSensorContext) -> None:
    webhook = run_failure_webhook()
    if webhook is None:
        context.log.info("run failed; no alert webhook configured (PULSE_ALERT_WEBHOOK_URL)")
        return
    run_id = context.dagster_run.run_id
    subject = f"Customer Pulse run {run_id} failed"
    webhook.send(subject, context.failure_event.message or subject, failure_payload(context))
    context.log.info(f"alert for run {run_id} sent to {webhook.describe()}")
