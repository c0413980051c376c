"""The shared HTTP client: error messages, waits, Link headers, time-outs."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest

from ingestion.api.http import (
    ApiError,
    HttpClient,
    RetryPolicy,
    parse_link_header,
    retry_wait_seconds,
)
from tests.api.fake_vendors import HTML_404, FakeVendor, json_answer, serve


class Echo(FakeVendor):
    def authorised(self, headers: dict[str, str]) -> bool:
        return True

    def answer(self, path: str, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if path == "/slow":
            time.sleep(1.0)
        if path == "/html":
            return 200, {"Content-Type": "text/html"}, HTML_404
        return json_answer({"path": path, "query": query})


def client(sleeps: list[float], timeout: float = 5) -> HttpClient:
    return HttpClient(
        "acme",
        "PULSE_API_ACME_TOKEN",
        timeout_seconds=timeout,
        retry=RetryPolicy(max_attempts=2, base_delay_seconds=0.01),
        sleep=sleeps.append,
    )


def test_html_404_page_gives_a_readable_error_without_retrying() -> None:
    vendor = Echo()
    vendor.script[1] = (404, {"Content-Type": "text/html; charset=utf-8"}, HTML_404)
    sleeps: list[float] = []
    with serve(vendor) as base_url, pytest.raises(ApiError) as raised:
        client(sleeps).get(f"{base_url}/missing")
    message = str(raised.value)
    assert "HTTP 404" in message and "Page not found" in message and "<h1>" not in message
    assert sleeps == [] and len(vendor.requests) == 1


def test_html_body_where_json_was_expected_is_named() -> None:
    with serve(Echo()) as base_url:
        response = client([]).get(f"{base_url}/html")
        with pytest.raises(ApiError, match="expected JSON, got text/html"):
            response.json()


def test_params_are_encoded_into_the_url() -> None:
    with serve(Echo()) as base_url:
        document = client([]).get(f"{base_url}/x", {"since": "2026-01-01T00:00:00Z"}).json()
    assert document == {"path": "/x", "query": {"since": "2026-01-01T00:00:00Z"}}


def test_a_request_that_outlasts_the_time_out_is_retried_then_fails() -> None:
    sleeps: list[float] = []
    started = time.monotonic()
    with serve(Echo()) as base_url, pytest.raises(ApiError, match="after 2 attempts"):
        client(sleeps, timeout=0.2).get(f"{base_url}/slow")
    assert time.monotonic() - started < 1.5
    assert len(sleeps) == 1


def test_retry_wait_reads_seconds_dates_and_rate_limit_resets() -> None:
    policy = RetryPolicy(base_delay_seconds=1, max_delay_seconds=60)
    now = 1_800_000_000.0
    assert retry_wait_seconds({"retry-after": "7"}, 1, policy, now) == 7
    assert retry_wait_seconds({"retry-after": "2.0"}, 1, policy, now) == 2
    http_date = formatdate(now + 30, usegmt=True)
    assert retry_wait_seconds({"retry-after": http_date}, 1, policy, now) == pytest.approx(30)
    assert retry_wait_seconds({"x-rate-limit-reset": str(int(now) + 12)}, 1, policy, now) == 12
    assert retry_wait_seconds({"retry-after": "3600"}, 1, policy, now) == 60  # bounded
    assert retry_wait_seconds({}, 3, policy, now) == 4  # exponential backoff


def test_link_header_is_parsed_by_rel() -> None:
    header = (
        '<https://shop.example/orders.json?page_info=abc&limit=2>; rel="previous", '
        '<https://shop.example/orders.json?page_info=def&limit=2>; rel="next"'
    )
    assert parse_link_header(header) == {
        "previous": "https://shop.example/orders.json?page_info=abc&limit=2",
        "next": "https://shop.example/orders.json?page_info=def&limit=2",
    }
    assert parse_link_header(None) == {}


def test_the_credential_stays_out_of_the_client_repr() -> None:
    http = HttpClient("acme", "PULSE_API_ACME_TOKEN", {"Authorization": "Bearer s3cr3t"})
    assert "s3cr3t" not in repr(http)
