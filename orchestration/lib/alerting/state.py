"""Which alerts each channel was sent: a small JSON file (by default under DAGSTER_HOME),
written atomically after every successful delivery, so an alert goes out once across
runs and a channel that failed gets the alert with the next run."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

STATE_VERSION = 1


@dataclass
class SentAlerts:
    path: Path
    sent: dict[str, dict[str, str]] = field(default_factory=dict)  # channel -> id -> when

    @classmethod
    def load(cls, path: Path) -> SentAlerts:
        if not path.is_file():
            return cls(path)
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("version") != STATE_VERSION:
            raise ValueError(f"{path}: unknown alert state version {document.get('version')}")
        return cls(path, {channel: dict(ids) for channel, ids in document["sent"].items()})

    def was_sent(self, channel: str, alert_id: str) -> bool:
        return alert_id in self.sent.get(channel, {})

    def mark(self, channel: str, alert_ids: Iterable[str], when: datetime | None = None) -> None:
        stamp = (when or datetime.now(UTC)).isoformat()
        self.sent.setdefault(channel, {}).update(dict.fromkeys(alert_ids, stamp))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        document = {"version": STATE_VERSION, "sent": self.sent}
        temporary.write_text(json.dumps(document, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.path)
