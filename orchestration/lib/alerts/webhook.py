"""Alert sinks: where a run-failure alert goes. The webhook sink posts JSON to a URL.

The URL usually carries a token (Slack, Teams and most chat webhooks do), so it is read
from the environment when an alert is sent and never written to a log or an error.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Protocol
from urllib.parse import urlsplit

WEBHOOK_URL_ENV = "PULSE_ALERT_WEBHOOK_URL"
TIMEOUT_SECONDS = 10


class AlertError(RuntimeError):
    """An alert could not be delivered (the message never contains the secret URL)."""


class AlertSink(Protocol):
    def send(self, payload: dict[str, object]) -> None: ...

    def describe(self) -> str: ...


class WebhookSink:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise AlertError(f"{WEBHOOK_URL_ENV} is not an http(s) URL")
        self._url = url
        self._host = parts.hostname

    def describe(self) -> str:
        """Where alerts go, without path, query or credentials."""
        return f"webhook on {self._host}"

    def send(self, payload: dict[str, object]) -> None:
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
            raise AlertError(f"{self.describe()} answered HTTP {error.code}") from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise AlertError(f"{self.describe()} unreachable: {type(reason).__name__}") from None
        if not 200 <= status < 300:
            raise AlertError(f"{self.describe()} answered HTTP {status}")


def sink_from_environment() -> AlertSink | None:
    """The configured sink, or None when no webhook URL is set."""
    url = os.environ.get(WEBHOOK_URL_ENV, "").strip()
    return WebhookSink(url) if url else None
