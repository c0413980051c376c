"""Send the alerts of the latest build that a channel has not had yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.lib.alerting.channels import (
    AlertDeliveryError,
    Channel,
    EmailChannel,
    WebhookChannel,
)
from orchestration.lib.alerting.conditions import read_alerts
from orchestration.lib.alerting.config import AlertConfig, AlertConfigError
from orchestration.lib.alerting.messages import render, webhook_payload
from orchestration.lib.alerting.state import SentAlerts

PUBLICATION_SQL = "select max(build_id) from pipeline.publication"


@dataclass
class DeliveryOutcome:
    alerts: int = 0  # wanted alerts in the build
    sent: dict[str, int] = field(default_factory=dict)  # channel -> new alerts delivered
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        sent = ", ".join(f"{count} to {channel}" for channel, count in self.sent.items())
        return f"{self.alerts} alert(s) in the build; new ones sent: {sent or 'none'}"


def channels(config: AlertConfig) -> list[Channel]:
    """The channels the configuration sets up; a webhook whose variable is unset is none."""
    configured: list[Channel] = []
    if config.webhook is not None:
        url = config.webhook.url()
        if url:
            configured.append(WebhookChannel(url))
    if config.email is not None:
        configured.append(EmailChannel(config.email))
    return configured


def published_build_id(published: Path) -> str | None:
    """The run that wrote the published copy (pipeline.publication)."""
    with duckdb.connect(str(published), read_only=True) as conn:
        row = conn.execute(PUBLICATION_SQL).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def deliver_new_alerts(published: Path, config: AlertConfig) -> DeliveryOutcome:
    """Read the wanted alerts, and send each channel those it has not had."""
    targets = channels(config)
    if not targets:
        raise AlertConfigError(
            "alerts are enabled but no channel is set up (webhook url_env unset, no email)"
        )
    alerts = read_alerts(published, config)
    state = SentAlerts.load(config.state_path())
    outcome = DeliveryOutcome(alerts=len(alerts))
    for channel in targets:
        new = [alert for alert in alerts if not state.was_sent(channel.name, alert.alert_id)]
        if not new:
            continue
        subject, body = render(new, config.max_cases_listed)
        try:
            channel.send(subject, body, webhook_payload(new, config.max_cases_listed))
        except AlertDeliveryError as error:
            outcome.failures.append(str(error))
            continue
        state.mark(channel.name, (alert.alert_id for alert in new))
        state.save()
        outcome.sent[channel.name] = len(new)
    return outcome
