"""Alerts on the marts after every successful run that published them.

A run-status sensor: when a run succeeds, it reads marts.fct_alert_conditions from the
published read-only copy (never the warehouse, whose single writer it would block),
keeps what the alert configuration (PULSE_ALERTS_CONFIG) wants, and sends each channel
the alerts it has not had yet; what was sent is kept in a state file under DAGSTER_HOME.
Runs that did not publish (an API pull, say) are let pass.
"""

import dagster as dg

from ingestion import settings
from orchestration.lib.alerting.config import load_config
from orchestration.lib.alerting.deliver import deliver_new_alerts, published_build_id


class AlertsNotDelivered(RuntimeError):
    """A channel refused or could not be reached; its alerts go with the next run."""


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    name="metric_alerts",
    monitor_all_code_locations=False,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "After a run that published the marts: drops of NPS, CSAT or average rating,"
        " spikes of 1-2 star reviews, missed targets and past-due follow-up cases, each"
        " sent once to the webhook and e-mail of PULSE_ALERTS_CONFIG (off when unset)."
    ),
)
def metric_alerts(context: dg.RunStatusSensorContext) -> dg.SkipReason | None:
    config = load_config()
    if not config.enabled:
        return dg.SkipReason("metric alerts are off (PULSE_ALERTS_CONFIG unset or disabled)")
    published = settings.published_warehouse_path()
    run_id = context.dagster_run.run_id
    if not published.is_file() or published_build_id(published) != run_id:
        return dg.SkipReason(f"run {run_id} did not publish the marts")
    outcome = deliver_new_alerts(published, config)
    context.log.info(f"run {run_id}: {outcome.summary()}")
    if outcome.failures:
        raise AlertsNotDelivered("; ".join(outcome.failures))
    return None
