"""The alerts the published copy holds (marts.fct_alert_conditions), as the configuration
wants them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from orchestration.lib.alerting.config import AlertConfig

ALERTS_SQL = """
select
    conditions.alert_id,
    conditions.alert_key,
    conditions.alert_kind,
    conditions.metric,
    conditions.period_grain,
    conditions.period_start,
    conditions.segment_type,
    conditions.segment_value,
    conditions.n,
    conditions.metric_value,
    conditions.ci_lower,
    conditions.ci_upper,
    conditions.reference_value,
    conditions.metric_change,
    conditions.change_z,
    conditions.subject_id,
    conditions.priority_rank,
    cases.priority,
    cases.reason,
    strftime(cases.due_at, '%Y-%m-%d %H:%M') as due_at_utc,
    cases.source
from marts.fct_alert_conditions as conditions
left join marts.fct_follow_up_cases as cases
    on conditions.alert_kind = 'follow_up_past_due'
    and conditions.subject_id = cases.case_id
order by
    conditions.alert_kind,
    conditions.priority_rank nulls last,
    cases.due_at,
    conditions.period_start,
    conditions.alert_key
"""


@dataclass(frozen=True)
class Alert:
    alert_id: str
    alert_key: str
    kind: str
    metric: str | None
    period_grain: str | None
    period_start: date | None
    segment_type: str | None
    segment_value: str | None
    n: int | None
    value: float | None
    ci_lower: float | None
    ci_upper: float | None
    reference_value: float | None
    change: float | None
    change_z: float | None
    subject_id: str | None
    priority_rank: int | None
    priority: str | None
    reason: str | None
    due_at_utc: str | None
    source: str | None

    def as_dict(self) -> dict[str, object]:
        values = dict(self.__dict__)
        values["period_start"] = self.period_start.isoformat() if self.period_start else None
        return values


def wanted(alert: Alert, config: AlertConfig) -> bool:
    """Drops are filtered by metric, grain and segment type; the team chose every target,
    so each missed one counts; spikes and past-due cases always do."""
    if alert.kind not in config.kinds:
        return False
    if alert.kind == "metric_drop":
        return (
            alert.metric in config.metrics
            and alert.period_grain in config.grains
            and alert.segment_type in config.segment_types
        )
    return True


def read_alerts(published: Path, config: AlertConfig) -> list[Alert]:
    """The wanted alerts of the published copy, opened read-only."""
    with duckdb.connect(str(published), read_only=True) as conn:
        rows = conn.execute(ALERTS_SQL).fetchall()
    alerts = [Alert(*row) for row in rows]
    return [alert for alert in alerts if wanted(alert, config)]
