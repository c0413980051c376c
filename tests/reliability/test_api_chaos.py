"""Vendor API clients against local fakes that misbehave: the token never leaves the API
host, paging cannot loop, rate-limit answers are waited out, auth failures are not retried."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from ingestion.api.http import ApiAuthError, ApiError, ForeignHostError, HttpClient, RetryPolicy
from ingestion.api.paging import PageGuard

TOKEN = "canary-token-8f3a"  # a canary: must never reach another host


@dataclass
class FakeServer:
    """A local HTTP server answering each request with `answer(path)`:
    (status, headers, body); it records the requests' paths and Authorization headers."""

    answer: Callable[[str], tuple[int, dict[str, str], bytes]]
    seen: list[tuple[str, str | None]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[str], tuple[int, dict[str, str], bytes]]], FakeServer]]:
    servers: list[HTTPServer] = []

    def start(answer: Callable[[str], tuple[int, dict[str, str], bytes]]) -> FakeServer:
        fake = FakeServer(answer)

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.seen.append((self.path, self.headers.get("Authorization")))
                status, headers, body = fake.answer(self.path)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        fake.url = f"http://127.0.0.1:{server.server_address[1]}"
        return fake

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _client(base_url: str, waits: list[float] | None = None) -> HttpClient:
    return HttpClient(
        vendor="fake",
        credential_env_var="FAKE_TOKEN",
        headers={"Authorization": f"Bearer {TOKEN}"},
        base_url=base_url,
        timeout_seconds=5,
        retry=RetryPolicy(max_attempts=3, base_delay_seconds=0.01, total_seconds=30),
        sleep=(waits.append if waits is not None else lambda seconds: None),
    )


OK = (200, {"Content-Type": "application/json"}, b'{"items": []}')


def test_redirect_to_another_host_drops_the_token(serve) -> None:  # type: ignore[no-untyped-def]
    elsewhere = serve(lambda path: OK)
    api = serve(lambda path: (302, {"Location": f"{elsewhere.url}/landing"}, b""))

    response = _client(api.url).get(f"{api.url}/v1/reviews")

    assert response.status == 200
    assert api.seen == [("/v1/reviews", f"Bearer {TOKEN}")]
    assert elsewhere.seen == [("/landing", None)]


def test_request_to_another_host_is_refused(serve) -> None:  # type: ignore[no-untyped-def]
    api = serve(lambda path: OK)
    elsewhere = serve(lambda path: OK)
    client = _client(api.url)

    with pytest.raises(ForeignHostError, match="another host"):
        client.get(f"{elsewhere.url}/v1/reviews?page=2")  # a next-page link elsewhere
    assert elsewhere.seen == []


def test_repeated_page_or_too_many_pages_stop_paging(monkeypatch: pytest.MonkeyPatch) -> None:
    guard = PageGuard("fake", "https://api.example/v1?page=1")
    guard.follow("https://api.example/v1?page=2")
    with pytest.raises(ApiError, match="already read"):
        guard.follow("https://api.example/v1?page=2")
    monkeypatch.setenv("PULSE_API_MAX_PAGES", "3")
    limited = PageGuard("fake", 0)
    limited.follow(1)
    limited.follow(2)
    with pytest.raises(ApiError, match="more than 3 pages"):
        limited.follow(3)


@pytest.mark.parametrize(
    "limit_headers",
    [
        {"Retry-After": "7"},
        {
            "X-Ratelimit-App-Global-Minute-Remaining": "0",
            "X-Ratelimit-App-Global-Minute-Reset": "7",
        },
        {"RateLimit-Reset": "7"},
    ],
)
def test_rate_limit_answers_are_waited_out(serve, limit_headers: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    answers = iter([(429, limit_headers, b"slow down"), (503, {}, b"busy"), OK])
    api = serve(lambda path: next(answers))
    waits: list[float] = []

    response = _client(api.url, waits).get(f"{api.url}/v1/reviews")

    assert response.status == 200 and len(api.seen) == 3
    assert waits[0] == pytest.approx(7)  # the server's word, not the backoff


def test_auth_failure_is_not_retried(serve) -> None:  # type: ignore[no-untyped-def]
    api = serve(lambda path: (401, {"Content-Type": "application/json"}, b'{"error":"bad"}'))

    with pytest.raises(ApiAuthError, match="FAKE_TOKEN") as refused:
        _client(api.url).get(f"{api.url}/v1/reviews")

    assert len(api.seen) == 1 and TOKEN not in str(refused.value)
