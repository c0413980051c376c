"""Where alerts go: a Slack-compatible webhook (JSON POST) and e-mail over SMTP.

The webhook URL carries a token in most chat tools, so it is read from the environment
when an alert is sent and never written to a log or an error message; SMTP credentials
likewise.
"""

from __future__ import annotations

import json
import os
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import urlsplit

from orchestration.lib.alerting.config import EmailSettings

TIMEOUT_SECONDS = 10
# The webhook every failed run is reported to (the run-failure sensor), besides the
# channels the metric alerts' configuration names.
RUN_FAILURE_WEBHOOK_ENV = "PULSE_ALERT_WEBHOOK_URL"


class AlertDeliveryError(RuntimeError):
    """An alert could not be delivered (the message never holds a secret)."""


class Channel(Protocol):
    name: str

    def send(self, subject: str, body: str, payload: dict[str, object]) -> None: ...

    def describe(self) -> str: ...


class WebhookChannel:
    name = "webhook"

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise AlertDeliveryError("the alert webhook URL is not an http(s) URL")
        self._url = url
        self._host = parts.hostname

    def describe(self) -> str:
        return f"webhook on {self._host}"

    def send(self, subject: str, body: str, payload: dict[str, object]) -> None:
        request = urllib.request.Request(
            self._url,
            data=json.dumps(payload, default=str).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            raise AlertDeliveryError(f"{self.describe()} answered HTTP {error.code}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise AlertDeliveryError(
                f"{self.describe()} unreachable: {type(reason).__name__}"
            ) from None
        if not 200 <= status < 300:
            raise AlertDeliveryError(f"{self.describe()} answered HTTP {status}")


class EmailChannel:
    name = "email"

    def __init__(self, settings: EmailSettings) -> None:
        self._settings = settings

    def describe(self) -> str:
        return f"e-mail via {self._settings.smtp_host}:{self._settings.smtp_port}"

    def send(self, subject: str, body: str, payload: dict[str, object]) -> None:
        settings = self._settings
        message = EmailMessage()
        message["Subject"] = subject
        message["From"] = settings.sender
        message["To"] = ", ".join(settings.recipients)
        message.set_content(body)
        try:
            smtp: smtplib.SMTP
            if settings.ssl:
                smtp = smtplib.SMTP_SSL(
                    settings.smtp_host,
                    settings.smtp_port,
                    timeout=settings.timeout_seconds,
                    context=ssl.create_default_context(),
                )
            else:
                smtp = smtplib.SMTP(
                    settings.smtp_host, settings.smtp_port, timeout=settings.timeout_seconds
                )
            with smtp:
                if settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                credentials = settings.credentials()
                if credentials is not None:
                    smtp.login(*credentials)
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            raise AlertDeliveryError(f"{self.describe()} failed: {type(error).__name__}") from None


def run_failure_webhook() -> WebhookChannel | None:
    """The webhook failed runs are reported to, or None when PULSE_ALERT_WEBHOOK_URL is unset."""
    url = os.environ.get(RUN_FAILURE_WEBHOOK_ENV, "").strip()
    return WebhookChannel(url) if url else None
