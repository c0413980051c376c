"""Alert on every failed run through the configured sink (PULSE_ALERT_WEBHOOK_URL)."""

import dagster as dg

from orchestration.lib.alerts.webhook import sink_from_environment


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
    sink = sink_from_environment()
    if sink is None:
        context.log.info("run failed; no alert sink configured (PULSE_ALERT_WEBHOOK_URL)")
        return
    sink.send(failure_payload(context))
    context.log.info(f"alert for run {context.dagster_run.run_id} sent to {sink.describe()}")
