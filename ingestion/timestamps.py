"""Vendor time stamps (ISO 8601, UTC) as datetimes and back."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_utc(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def format_utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def latest(current: str | None, candidate: str | None) -> str | None:
    """The later of two time stamps, as the candidate's UTC text."""
    if candidate is None:
        return current
    if current is None or parse_utc(candidate) > parse_utc(current):
        return format_utc(parse_utc(candidate))
    return current
