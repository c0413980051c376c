"""Alert text: one line per alert with its numbers, interval and segment; past-due cases
summed up with the first few by priority."""

from __future__ import annotations

from collections.abc import Sequence

from orchestration.lib.alerting.conditions import Alert

METRIC_NAMES = {
    "nps": "NPS",
    "csat": "CSAT (%)",
    "ces": "CES",
    "average_rating": "average rating",
    "low_rating_share": "share of 1-2 star reviews (%)",
    "high_rating_share": "share of 4-5 star reviews (%)",
    "repeat_purchase_rate": "repeat purchase rate (%)",
}
TITLE = "Customer Pulse alerts"


def _number(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _interval(alert: Alert) -> str:
    if alert.ci_lower is None or alert.ci_upper is None:
        return "no interval"
    return f"95% CI {_number(alert.ci_lower)} to {_number(alert.ci_upper)}"


def _segment(alert: Alert) -> str:
    if alert.segment_type in (None, "overall"):
        return "overall"
    return f"{alert.segment_type} {alert.segment_value}"


def _period(alert: Alert) -> str:
    start = alert.period_start.isoformat() if alert.period_start else "?"
    return "all time" if alert.period_grain == "all_time" else f"{alert.period_grain} of {start}"


def _metric(alert: Alert) -> str:
    return METRIC_NAMES.get(alert.metric or "", alert.metric or "?")


def describe(alert: Alert) -> str:
    """One alert in one line."""
    if alert.kind == "metric_drop":
        direction = "rose" if (alert.change or 0) > 0 else "fell"
        return (
            f"{_metric(alert)} {direction} significantly, {_period(alert)}, {_segment(alert)}:"
            f" {_number(alert.value)} ({_interval(alert)}, n={alert.n})"
            f" from {_number(alert.reference_value)} the period before"
            f" (change {_number(alert.change)}, z {_number(alert.change_z)})"
        )
    if alert.kind == "review_spike":
        return (
            f"1-2 star reviews spiked on {alert.segment_value} on {alert.period_start}:"
            f" {alert.n} reviews against a trailing daily mean of {_number(alert.reference_value)}"
        )
    if alert.kind == "target_missed":
        return (
            f"Target {alert.subject_id} missed, {_period(alert)}, {_segment(alert)}:"
            f" {_metric(alert)} {_number(alert.value)} ({_interval(alert)}, n={alert.n})"
            f" against {_number(alert.reference_value)} (gap {_number(alert.change)})"
        )
    return (
        f"case {alert.subject_id} ({alert.priority}, {alert.segment_value} {alert.source}):"
        f" {alert.reason}; response was due {alert.due_at_utc} UTC"
    )


def render(alerts: Sequence[Alert], max_cases_listed: int) -> tuple[str, str]:
    """Subject and plain-text body for a batch of new alerts."""
    lines: list[str] = []
    others = [alert for alert in alerts if alert.kind != "follow_up_past_due"]
    cases = [alert for alert in alerts if alert.kind == "follow_up_past_due"]
    lines += [f"- {describe(alert)}" for alert in others]
    if cases:
        lines.append(
            f"- {len(cases)} follow-up case(s) newly past their response due time"
            f" (`pulse followup list --past-due`); first by priority:"
        )
        lines += [f"  - {describe(alert)}" for alert in cases[:max_cases_listed]]
        if len(cases) > max_cases_listed:
            lines.append(f"  - and {len(cases) - max_cases_listed} more")
    parts = []
    if others:
        parts.append(f"{len(others)} metric alert(s)")
    if cases:
        parts.append(f"{len(cases)} past-due case(s)")
    subject = f"{TITLE}: {', '.join(parts)}"
    return subject, "\n".join(lines)


def _slack_escape(text: str) -> str:
    # Slack reads &, < and > as markup (<!channel> would ping everyone).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webhook_payload(alerts: Sequence[Alert], max_cases_listed: int) -> dict[str, object]:
    """A Slack-compatible incoming-webhook body: the text, and the alerts as data in the
    message metadata (event_type, event_payload) for receivers that read it."""
    subject, body = render(alerts, max_cases_listed)
    return {
        "text": _slack_escape(f"*{subject}*\n{body}"),
        "metadata": {
            "event_type": "customer_pulse_alerts",
            "event_payload": {"alerts": [alert.as_dict() for alert in alerts]},
        },
    }
