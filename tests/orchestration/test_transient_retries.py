"""Steps are retried only for failures that go away by themselves; the rest fail at once."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingestion.api.http import ApiError, HttpClient, RetryPolicy
from orchestration.defs.api.assets import API_ASSETS
from orchestration.defs.ingestion.assets import raw_reviews, raw_surveys
from orchestration.retries import TRANSIENT_RETRY_POLICY, is_transient
from tests.api.fake_vendors import FakeTrustpilot, json_answer, serve
from tests.api.vendor_cases import trustpilot_case

# Holds the DuckDB write lock on a file from another process until stdin closes.
LOCK_HOLDER = textwrap.dedent(
    """
    import sys, duckdb
    conn = duckdb.connect(sys.argv[1])
    conn.execute("create schema if not exists held")
    print("locked", flush=True)
    sys.stdin.read()
    conn.close()
    """
)


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as instance:
        yield instance


def step_events(result: dg.ExecuteInProcessResult, event_type: dg.DagsterEventType) -> list:
    return [event for event in result.all_events if event.event_type == event_type]


def test_ingestion_and_api_assets_carry_the_transient_retry_policy() -> None:
    for asset in (raw_reviews, raw_surveys, API_ASSETS["trustpilot"]):
        assert asset.op.retry_policy == TRANSIENT_RETRY_POLICY


def first_retry_requested(instance: dg.DagsterInstance, timeout: float = 300) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for run in instance.get_runs():
            if instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_UP_FOR_RETRY):
                return True
        time.sleep(0.2)
    return False


def test_a_held_write_lock_is_retried_and_the_load_then_succeeds(
    pulse_env: Path, instance: dg.DagsterInstance
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(pulse_env)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(duckdb.IOException, match="Could not set lock"):
            duckdb.connect(str(pulse_env))
        with ThreadPoolExecutor(max_workers=1) as pool:
            run = pool.submit(
                dg.materialize, [raw_reviews], instance=instance, raise_on_error=False
            )
            # The first attempt meets the lock; the holder lets go once a retry is queued.
            assert first_retry_requested(instance)
            holder.stdin.close()
            result = run.result(timeout=300)
    finally:
        if not holder.stdin.closed:
            holder.stdin.close()
        holder.wait(timeout=30)
    assert result.success
    retries = step_events(result, dg.DagsterEventType.STEP_UP_FOR_RETRY)
    assert "Could not set lock" in str(retries[0].event_specific_data.error)
    with duckdb.connect(str(pulse_env), read_only=True) as conn:
        loaded = conn.execute("select count(*) from raw.reviews").fetchone()
    assert loaded is not None and loaded[0] > 0


def test_bad_configuration_fails_at_once_without_a_retry(
    pulse_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, instance: dg.DagsterInstance
) -> None:
    registry = tmp_path / "registry.yml"
    registry.write_text("surveys: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("PULSE_SURVEY_REGISTRY", str(registry))
    result = dg.materialize([raw_surveys], instance=instance, raise_on_error=False)
    assert not result.success
    assert not step_events(result, dg.DagsterEventType.STEP_UP_FOR_RETRY)
    [failure] = step_events(result, dg.DagsterEventType.STEP_FAILURE)
    error = failure.event_specific_data.error
    assert "not valid YAML" in error.message
    assert str(registry) in error.message


def test_a_refused_credential_fails_at_once_without_a_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, instance: dg.DagsterInstance
) -> None:
    monkeypatch.setenv("PULSE_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("PULSE_PSEUDONYM_KEY", "test-key")
    case = trustpilot_case()
    with serve(case.fake):
        case.seed(3)
        case.puller(monkeypatch, [], "not-the-token")
        result = dg.materialize([API_ASSETS["trustpilot"]], instance=instance, raise_on_error=False)
    assert not result.success
    assert not step_events(result, dg.DagsterEventType.STEP_UP_FOR_RETRY)
    [failure] = step_events(result, dg.DagsterEventType.STEP_FAILURE)
    assert "ApiAuthError" in failure.event_specific_data.error.message


def test_api_errors_are_transient_only_when_the_client_ran_out_of_retries() -> None:
    vendor = FakeTrustpilot()
    vendor.script = {n: json_answer({"message": "busy"}, 503) for n in (1, 2)}
    vendor.script[3] = json_answer({"message": "Unauthorized"}, 401)
    vendor.script[4] = json_answer({"message": "Not found"}, 404)
    client = HttpClient(
        vendor="trustpilot",
        credential_env_var="PULSE_API_TRUSTPILOT_TOKEN",
        retry=RetryPolicy(max_attempts=2),
        sleep=lambda seconds: None,
    )
    errors = []
    with serve(vendor) as base_url:
        for _ in range(3):
            with pytest.raises(ApiError) as raised:
                client.get(f"{base_url}/v1/anything")
            errors.append(raised.value)
    exhausted, refused, missing = errors
    assert is_transient(exhausted)
    assert not is_transient(refused)
    assert not is_transient(missing)


def test_only_lock_conflicts_and_network_failures_count_as_transient(tmp_path: Path) -> None:
    not_a_database = tmp_path / "garbage.duckdb"
    not_a_database.write_bytes(b"x" * 4096)
    with pytest.raises(duckdb.IOException) as corrupt:
        duckdb.connect(str(not_a_database))
    assert not is_transient(corrupt.value)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConnectionRefusedError) as refused:
        socket.create_connection(("127.0.0.1", port), timeout=5)
    assert is_transient(refused.value)
    assert is_transient(TimeoutError("timed out"))
    assert not is_transient(ValueError("bad row"))
