"""Run-failure alerts reach a webhook on 127.0.0.1 as JSON, and never leak its URL."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import dagster as dg
import pytest

from orchestration.defs.alerts.sensors import run_failure_alert
from orchestration.lib.alerting.channels import AlertDeliveryError, WebhookChannel

SECRET = "s3cr3t-token"


class _Recorder(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, dict]]] = []
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, json.loads(body)))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[str]:
    _Recorder.received = []
    _Recorder.status = 200
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hooks/{SECRET}"
    finally:
        server.shutdown()
        server.server_close()


@dg.op
def load_orders() -> None:
    raise ValueError("orders.csv row 12: net_amount is not a number")


@dg.job(tags={"pulse/new_files": "1"})
def failing_job() -> None:
    load_orders()


def _failure_context(instance: dg.DagsterInstance) -> dg.RunFailureSensorContext:
    result = failing_job.execute_in_process(instance=instance, raise_on_error=False)
    assert not result.success
    run = instance.get_run_by_id(result.run_id)
    assert run is not None
    failure_event = next(
        event for event in result.all_events if event.event_type_value == "PIPELINE_FAILURE"
    )
    return dg.build_run_status_sensor_context(
        sensor_name="run_failure_alert",
        dagster_instance=instance,
        dagster_run=run,
        dagster_event=failure_event,
    ).for_run_failure()


def test_failed_run_posts_json_to_the_webhook(
    webhook: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULSE_ALERT_WEBHOOK_URL", webhook)
    with dg.instance_for_test() as instance:
        context = _failure_context(instance)
        run_failure_alert(context)

    assert len(_Recorder.received) == 1
    path, payload = _Recorder.received[0]
    assert path == f"/hooks/{SECRET}"
    assert payload["event"] == "run_failed"
    assert payload["job_name"] == "failing_job"
    assert payload["run_id"] == context.dagster_run.run_id
    assert payload["failed_steps"] == ["load_orders"]
    assert payload["tags"] == {"pulse/new_files": "1"}


def test_no_alert_without_a_configured_webhook(
    webhook: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PULSE_ALERT_WEBHOOK_URL", raising=False)
    with dg.instance_for_test() as instance:
        run_failure_alert(_failure_context(instance))
    assert _Recorder.received == []


def test_delivery_errors_never_contain_the_secret_url(webhook: str) -> None:
    _Recorder.status = 500
    channel = WebhookChannel(webhook)
    with pytest.raises(AlertDeliveryError) as refused:
        channel.send("run failed", "run failed", {"event": "run_failed"})
    assert "HTTP 500" in str(refused.value)

    closed_port = WebhookChannel(f"http://127.0.0.1:9/hooks/{SECRET}")
    with pytest.raises(AlertDeliveryError) as unreachable:
        closed_port.send("run failed", "run failed", {"event": "run_failed"})

    for message in (str(refused.value), str(unreachable.value), channel.describe()):
        assert SECRET not in message
        assert "/hooks" not in message
