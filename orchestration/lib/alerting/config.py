"""The alert configuration: one YAML file, named by PULSE_ALERTS_CONFIG.

Without the variable (or with `enabled: false`) no metric alert is sent: the sample run
and a fresh install stay quiet. Secrets (the webhook URL, SMTP credentials) are never in
the file: it names the environment variables that hold them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONFIG_ENV = "PULSE_ALERTS_CONFIG"
KINDS = ("metric_drop", "review_spike", "target_missed", "follow_up_past_due")
METRICS = (
    "nps",
    "csat",
    "ces",
    "average_rating",
    "low_rating_share",
    "high_rating_share",
    "repeat_purchase_rate",
)
GRAINS = ("day", "week", "month", "quarter", "year")


class AlertConfigError(ValueError):
    """The alert configuration cannot be used; the message says where."""


@dataclass(frozen=True)
class WebhookSettings:
    url_env: str = "PULSE_ALERT_WEBHOOK_URL"

    def url(self) -> str | None:
        return os.environ.get(self.url_env, "").strip() or None


@dataclass(frozen=True)
class EmailSettings:
    smtp_host: str
    sender: str
    recipients: tuple[str, ...]
    smtp_port: int = 25
    starttls: bool = False
    ssl: bool = False
    username_env: str | None = None
    password_env: str | None = None
    timeout_seconds: float = 10.0

    def credentials(self) -> tuple[str, str] | None:
        if not self.username_env:
            return None
        username = os.environ.get(self.username_env, "")
        password = os.environ.get(self.password_env or "", "")
        if not username:
            raise AlertConfigError(f"email: {self.username_env} is not set")
        return username, password


@dataclass(frozen=True)
class AlertConfig:
    enabled: bool = False
    kinds: tuple[str, ...] = KINDS
    # metric_drop and target_missed alerts only for these metrics, grains and segments.
    metrics: tuple[str, ...] = ("nps", "csat", "average_rating")
    grains: tuple[str, ...] = ("week", "month")
    segment_types: tuple[str, ...] = ("overall",)
    # How many past-due cases one message lists (it always gives their count).
    max_cases_listed: int = 10
    webhook: WebhookSettings | None = None
    email: EmailSettings | None = None
    state_file: Path | None = None  # default: $DAGSTER_HOME/pulse/alerts_sent.json
    source: Path | None = field(default=None, compare=False)

    def state_path(self) -> Path:
        if self.state_file is not None:
            return self.state_file
        home = os.environ.get("DAGSTER_HOME")
        if not home:
            raise AlertConfigError("set state_file in the alert configuration, or DAGSTER_HOME")
        return Path(home) / "pulse" / "alerts_sent.json"


def _listed(
    document: dict[str, Any], key: str, allowed: tuple[str, ...], default: tuple[str, ...]
) -> tuple[str, ...]:
    values = document.get(key, list(default))
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise AlertConfigError(f"{key} must be a list of names")
    unknown = sorted(set(values) - set(allowed)) if allowed else []
    if unknown:
        raise AlertConfigError(f"{key}: unknown {', '.join(unknown)} (known: {', '.join(allowed)})")
    return tuple(values)


def _email(section: dict[str, Any]) -> EmailSettings:
    try:
        recipients = section["recipients"]
        if isinstance(recipients, str):
            recipients = [recipients]
        return EmailSettings(
            smtp_host=str(section["smtp_host"]),
            sender=str(section["sender"]),
            recipients=tuple(str(recipient) for recipient in recipients),
            smtp_port=int(section.get("smtp_port", 25)),
            starttls=bool(section.get("starttls", False)),
            ssl=bool(section.get("ssl", False)),
            username_env=section.get("username_env"),
            password_env=section.get("password_env"),
            timeout_seconds=float(section.get("timeout_seconds", 10)),
        )
    except KeyError as missing:
        raise AlertConfigError(f"email: {missing.args[0]} is required") from None


def parse_config(document: dict[str, Any], source: Path | None = None) -> AlertConfig:
    if not isinstance(document, dict):
        raise AlertConfigError("the alert configuration must be a mapping")
    webhook = document.get("webhook")
    email = document.get("email")
    state_file = document.get("state_file")
    return AlertConfig(
        enabled=bool(document.get("enabled", False)),
        kinds=_listed(document, "kinds", KINDS, KINDS),
        metrics=_listed(document, "metrics", METRICS, AlertConfig.metrics),
        grains=_listed(document, "grains", GRAINS, AlertConfig.grains),
        segment_types=_listed(document, "segment_types", (), AlertConfig.segment_types),
        max_cases_listed=int(document.get("max_cases_listed", AlertConfig.max_cases_listed)),
        webhook=WebhookSettings(**webhook) if isinstance(webhook, dict) else None,
        email=_email(email) if isinstance(email, dict) else None,
        state_file=Path(state_file).expanduser() if state_file else None,
        source=source,
    )


def load_config(path: Path | None = None) -> AlertConfig:
    """The configuration in `path` (default: PULSE_ALERTS_CONFIG); disabled when unset."""
    if path is None:
        value = os.environ.get(CONFIG_ENV, "").strip()
        if not value:
            return AlertConfig(enabled=False)
        path = Path(value).expanduser()
    if not path.is_file():
        raise AlertConfigError(f"{CONFIG_ENV} names {path}, which does not exist")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise AlertConfigError(f"{path}: not valid YAML: {error}") from None
    return parse_config(document, source=path)
