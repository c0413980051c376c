"""Metric alerts reach a local webhook and a local SMTP server (tests/conftest.py), each
alert once, with its numbers, interval and segment; a channel that fails gets its alerts
with the next run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import pytest
import yaml

from orchestration.defs.alerts.metric_alerts import AlertsNotDelivered, metric_alerts
from orchestration.lib.alerting.config import AlertConfigError, load_config
from orchestration.lib.alerting.deliver import deliver_new_alerts

SECRET = "hook-t0ken"
CONDITION_COLUMNS = (
    "alert_id varchar, alert_key varchar, alert_kind varchar, metric varchar,"
    " period_grain varchar, period_start date, segment_type varchar, segment_value varchar,"
    " n bigint, metric_value double, ci_lower double, ci_upper double,"
    " reference_value double, metric_change double, change_z double, subject_id varchar,"
    " priority_rank integer"
)
NPS_DROP = (
    "a-nps", "metric_drop|nps|month|2026-01-01|overall|all", "metric_drop", "nps", "month",
    "2026-01-01", "overall", "all", 212, 4.2, -6.1, 14.5, 21.7, -17.5, -2.61, None, None,
)  # fmt: skip
NPS_DROP_BY_TOUCHPOINT = (
    "a-nps-support", "metric_drop|nps|month|2026-01-01|touchpoint|support", "metric_drop",
    "nps", "month", "2026-01-01", "touchpoint", "support", 80, -10.0, -30.0, 10.0, 15.0,
    -25.0, -2.1, None, None,
)  # fmt: skip
TARGET_MISSED = (
    "a-target", "target_missed|nps_monthly|2026-01-01", "target_missed", "nps", "month",
    "2026-01-01", "overall", "all", 212, 4.2, -6.1, 14.5, 20.0, -15.8, None, "nps_monthly", None,
)  # fmt: skip
PAST_DUE = (
    "a-case", "follow_up_past_due|case-1", "follow_up_past_due", "nps", None, "2026-01-03",
    "channel", "survey", 1, 2.0, None, None, 48.0, None, None, "case-1", 1,
)  # fmt: skip
SPIKE = (
    "a-spike", "review_spike|trustpilot|2026-01-15", "review_spike", "low_rating_reviews",
    "day", "2026-01-15", "platform", "trustpilot", 40, 40.0, None, None, 1.25, 38.75, None,
    None, None,
)  # fmt: skip


@pytest.fixture
def alert_config(
    tmp_path: Path,
    webhook_receiver: Any,
    smtp_receiver: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """Alerts on, to both channels; the webhook URL only in the environment."""
    monkeypatch.setenv("PULSE_TEST_ALERT_HOOK", webhook_receiver.url(f"/services/{SECRET}"))
    path = tmp_path / "alerts.yml"
    path.write_text(
        yaml.safe_dump(
            {
                "enabled": True,
                "metrics": ["nps", "csat", "average_rating"],
                "grains": ["month"],
                "segment_types": ["overall"],
                "webhook": {"url_env": "PULSE_TEST_ALERT_HOOK"},
                "email": {
                    "smtp_host": "127.0.0.1",
                    "smtp_port": smtp_receiver.port,
                    "sender": "pulse@example.com",
                    "recipients": ["cx-team@example.com"],
                },
                "state_file": str(tmp_path / "state" / "alerts_sent.json"),
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("PULSE_ALERTS_CONFIG", str(path))
    return path


def publish(path: Path, build_id: str, *conditions: tuple) -> Path:
    """A published copy as the pipeline leaves it, with these alert conditions."""
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute("create schema pipeline")
        conn.execute(f"create table marts.fct_alert_conditions ({CONDITION_COLUMNS})")
        conn.execute(
            "create table marts.fct_follow_up_cases (case_id varchar, priority varchar,"
            " reason varchar, due_at timestamp, source varchar)"
        )
        conn.execute(
            "insert into marts.fct_follow_up_cases values"
            " ('case-1', 'vip', 'NPS 2 on 0-10', '2026-01-03 10:00:00', 'qualtrics')"
        )
        conn.execute(
            "create table pipeline.publication (build_id varchar, published_at timestamptz,"
            " table_name varchar, row_count bigint)"
        )
        conn.execute("insert into pipeline.publication values (?, now(), 'x', 1)", [build_id])
        placeholders = ", ".join("?" * 17)
        for condition in conditions:
            conn.execute(
                f"insert into marts.fct_alert_conditions values ({placeholders})", condition
            )
    return path


def test_each_alert_goes_out_once_with_its_numbers(
    alert_config: Path,
    webhook_receiver: Any,
    smtp_receiver: Any,
    tmp_path: Path,
) -> None:
    published = publish(tmp_path / "published.duckdb", "run-1", NPS_DROP, NPS_DROP_BY_TOUCHPOINT)
    config = load_config()
    first = deliver_new_alerts(published, config)
    # The touchpoint drop is not wanted: only the overall segment is configured.
    assert (first.alerts, first.sent, first.failures) == (1, {"webhook": 1, "email": 1}, [])
    [(path, payload)] = webhook_receiver.received
    assert path == f"/services/{SECRET}"
    text = payload["text"]
    assert "NPS fell significantly, month of 2026-01-01, overall: 4.2" in text
    assert "95% CI -6.1 to 14.5, n=212" in text and "from 21.7" in text and "z -2.61" in text
    [alert] = payload["metadata"]["event_payload"]["alerts"]
    assert alert["alert_id"] == "a-nps" and alert["ci_upper"] == 14.5
    [mail] = smtp_receiver.messages
    assert mail["Subject"] == "Customer Pulse alerts: 1 metric alert(s)"
    assert mail["To"] == "cx-team@example.com"
    assert "NPS fell significantly" in mail.get_payload()

    # The next run's build holds the same drop and three new alerts: only those go out.
    publish(published, "run-2", NPS_DROP, TARGET_MISSED, SPIKE, PAST_DUE)
    second = deliver_new_alerts(published, config)
    assert second.sent == {"webhook": 3, "email": 3}
    text = webhook_receiver.received[1][1]["text"]
    assert "NPS fell" not in text
    assert "Target nps_monthly missed, month of 2026-01-01, overall: NPS 4.2" in text
    assert "against 20 (gap -15.8)" in text
    assert "1-2 star reviews spiked on trustpilot on 2026-01-15: 40 reviews" in text
    assert "1 follow-up case(s) newly past their response due time" in text
    assert "case case-1 (vip, survey qualtrics): NPS 2 on 0-10; response was due 2026-01-03" in text

    third = deliver_new_alerts(published, config)
    assert (
        third.sent == {}
        and len(webhook_receiver.received) == 2
        and len(smtp_receiver.messages) == 2
    )


def test_a_failed_channel_gets_its_alerts_next_time_and_never_shows_the_secret(
    alert_config: Path,
    webhook_receiver: Any,
    smtp_receiver: Any,
    tmp_path: Path,
) -> None:
    published = publish(tmp_path / "published.duckdb", "run-1", NPS_DROP)
    config = load_config()
    webhook_receiver.status = 500
    refused = deliver_new_alerts(published, config)
    assert refused.sent == {"email": 1}
    assert refused.failures == ["webhook on 127.0.0.1 answered HTTP 500"]
    assert SECRET not in " ".join(refused.failures)
    webhook_receiver.status = 200
    retried = deliver_new_alerts(published, config)
    assert retried.sent == {"webhook": 1}
    assert len(smtp_receiver.messages) == 1


def test_alerts_are_off_unless_configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PULSE_ALERTS_CONFIG", raising=False)
    assert not load_config().enabled
    path = tmp_path / "alerts.yml"
    path.write_text("enabled: true\nkinds: [metric_drop, weather]\n", encoding="utf-8")
    with pytest.raises(AlertConfigError, match="unknown weather"):
        load_config(path)
    path.write_text(
        "enabled: true\nemail: {smtp_host: localhost, recipients: [a@b.example]}\n",
        encoding="utf-8",
    )
    with pytest.raises(AlertConfigError, match="email: sender is required"):
        load_config(path)


@dg.op
def build_marts() -> None:
    pass


@dg.job
def publishing_job() -> None:
    build_marts()


def _success_context(instance: dg.DagsterInstance) -> dg.RunStatusSensorContext:
    result = publishing_job.execute_in_process(instance=instance)
    run = instance.get_run_by_id(result.run_id)
    assert run is not None
    success = next(
        event for event in result.all_events if event.event_type_value == "PIPELINE_SUCCESS"
    )
    return dg.build_run_status_sensor_context(
        sensor_name="metric_alerts",
        dagster_instance=instance,
        dagster_run=run,
        dagster_event=success,
    )


def test_the_sensor_alerts_after_the_run_that_published(
    alert_config: Path,
    webhook_receiver: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    published = tmp_path / "published.duckdb"
    monkeypatch.setenv("PULSE_PUBLISHED_WAREHOUSE", str(published))
    with dg.instance_for_test() as instance:
        context = _success_context(instance)
        publish(published, "another-run", NPS_DROP)
        skipped = metric_alerts(context)
        assert isinstance(skipped, dg.SkipReason) and "did not publish" in str(skipped.skip_message)
        assert webhook_receiver.received == []

        publish(published, context.dagster_run.run_id, NPS_DROP)
        assert metric_alerts(context) is None
        assert len(webhook_receiver.received) == 1
        assert metric_alerts(context) is None  # evaluated again: nothing new
        assert len(webhook_receiver.received) == 1

        webhook_receiver.status = 500
        publish(published, context.dagster_run.run_id, NPS_DROP, SPIKE)
        with pytest.raises(AlertsNotDelivered, match="HTTP 500"):
            metric_alerts(context)


def test_the_sensor_stays_quiet_without_a_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PULSE_ALERTS_CONFIG", raising=False)
    with dg.instance_for_test() as instance:
        result = metric_alerts(_success_context(instance))
    assert isinstance(result, dg.SkipReason) and "off" in str(result.skip_message)


def test_the_documented_example_configuration_loads() -> None:
    example = Path(__file__).resolve().parents[2] / "docs" / "alerts.example.yml"
    config = load_config(example)
    assert config.enabled and config.kinds == (
        "metric_drop",
        "review_spike",
        "target_missed",
        "follow_up_past_due",
    )
    assert config.webhook is not None and config.webhook.url_env == "PULSE_ALERT_WEBHOOK_URL"
    assert config.email is not None and config.email.starttls
    assert config.email.recipients == ("cx-team@example.com",)
