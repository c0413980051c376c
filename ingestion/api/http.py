"""The HTTP client of every vendor API: httpx for requests, stamina for the retries.

- Every request has a time-out (connect, read, write and pool).
- 429 and 5xx answers and dropped connections are retried; the wait is the server's word
  when it gives one: Retry-After, X's `x-rate-limit-reset` (Unix seconds), SurveyMonkey's
  `X-Ratelimit-App-Global-Minute-Reset` / `-Day-Reset` (seconds) or the IETF
  `RateLimit-Reset` (seconds); otherwise exponential backoff. An answer that says the
  window is used up (`...-Remaining: 0`) makes the next request wait for its reset
  instead of spending an attempt on a 429.
- 401/403 fail at once, naming the vendor and the environment variable that holds its
  credential; other 4xx answers (a vendor's HTML 404 page included) fail with the status
  and the start of the body as readable text.
- The credential is sent only to the configured API host (scheme, host and port of the
  vendor's base URL): a redirect to another host is followed without it, and a request
  the caller makes to another host (a next-page link, say) is refused.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import stamina

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
AUTH_STATUSES = frozenset({401, 403})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
BODY_EXCERPT_CHARS = 200
# A vendor's page is kilobytes to a few megabytes; an export file (Qualtrics) more.
MAX_RESPONSE_BYTES = 512 * 1024 * 1024


class ApiError(RuntimeError):
    """A vendor API answered with an error that retrying will not fix (or retries ran out)."""


class ApiAuthError(ApiError):
    """The credential was refused (401/403): never retried."""


class ForeignHostError(ApiError):
    """A request the credential would have gone with points to another host: refused."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay_seconds: float = 1.0
    max_delay_seconds: float = 120.0
    # All attempts of one request together, waits included; None: no bound but attempts.
    total_seconds: float | None = 900.0


@dataclass(frozen=True)
class HttpResponse:
    status: int
    url: str
    headers: Mapping[str, str]  # names lower-cased
    body: bytes
    method: str = "GET"

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise ApiError(
                f"{self.method} {self.url}: expected JSON,"
                f" got {describe_body(self.headers, self.body)}"
            ) from error


def describe_body(headers: Mapping[str, str], body: bytes) -> str:
    """The start of a response body as one readable line (tags of HTML pages removed)."""
    text = body.decode("utf-8", errors="replace")
    if "html" in headers.get("content-type", "").lower() or text.lstrip().startswith("<"):
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    excerpt = text[:BODY_EXCERPT_CHARS] + ("..." if len(text) > BODY_EXCERPT_CHARS else "")
    return f"{headers.get('content-type', 'no content type')} body {excerpt!r}"


def _seconds(value: str | None) -> float | None:
    try:
        return float(value.strip()) if value is not None and value.strip() else None
    except ValueError:
        return None


def server_wait_seconds(headers: Mapping[str, str], now: float) -> float | None:
    """How long the server asks the client to wait, by the headers vendors document."""
    retry_after = headers.get("retry-after")
    if retry_after is not None:
        seconds = _seconds(retry_after)  # seconds; Shopify sends "2.0"
        if seconds is not None:
            return seconds
        try:
            return parsedate_to_datetime(retry_after.strip()).timestamp() - now
        except (TypeError, ValueError):
            return None
    reset = headers.get("x-rate-limit-reset", "").strip()
    if reset.isdigit():  # X: the window's end, in Unix seconds
        return float(reset) - now
    # SurveyMonkey: seconds until the app's per-minute or per-day allowance resets; the
    # day's reset only matters once the day's allowance is spent.
    for window in ("day", "minute"):
        remaining = _seconds(headers.get(f"x-ratelimit-app-global-{window}-remaining"))
        seconds = _seconds(headers.get(f"x-ratelimit-app-global-{window}-reset"))
        if seconds is not None and (remaining == 0 or window == "minute"):
            return seconds
    return _seconds(headers.get("ratelimit-reset"))  # IETF draft: seconds


def exhausted_window_seconds(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds until the rate-limit window a successful answer says is used up resets."""
    for remaining, reset in (
        ("x-rate-limit-remaining", "x-rate-limit-reset"),  # X, Unix seconds
        ("x-ratelimit-app-global-day-remaining", "x-ratelimit-app-global-day-reset"),
        ("x-ratelimit-app-global-minute-remaining", "x-ratelimit-app-global-minute-reset"),
        ("ratelimit-remaining", "ratelimit-reset"),
    ):
        if _seconds(headers.get(remaining)) != 0:
            continue
        seconds = _seconds(headers.get(reset))
        if seconds is None:
            continue
        return seconds - now if reset == "x-rate-limit-reset" else seconds
    return None


def retry_wait_seconds(
    headers: Mapping[str, str], attempt: int, policy: RetryPolicy, now: float
) -> float:
    """Seconds to wait before the next attempt: the server's word if it gave one."""
    wait = server_wait_seconds(headers, now)
    if wait is None:
        wait = policy.base_delay_seconds * 2 ** (attempt - 1)
    return min(max(wait, 0.0), policy.max_delay_seconds)


def origin(url: str) -> str:
    """scheme://host:port of a URL, the unit the credential is bound to."""
    parts = urllib.parse.urlsplit(url)
    port = parts.port or {"https": 443, "http": 80}.get(parts.scheme, 0)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


class _Retryable(Exception):
    """One attempt's answer that is worth another attempt; carries the wait it asks for."""

    def __init__(self, problem: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.headers = headers or {}


@dataclass
class HttpClient:
    """GET (or POST) JSON from one vendor. Credentials go in headers only, so URLs are safe
    to log; they go only to `base_url`'s host (when no base URL is given, to the host of
    the client's first request)."""

    vendor: str
    credential_env_var: str
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)  # holds the secret
    timeout_seconds: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # How the client waits (retries, exhausted rate-limit windows); tests record instead.
    sleep: Callable[[float], None] = time.sleep
    base_url: str | None = None
    attempts_made: int = 0  # every request sent, for run metadata and tests
    _api_origin: str | None = field(default=None, init=False, repr=False)
    _resume_at: float | None = field(default=None, init=False, repr=False)
    _attempt_number: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.base_url:
            self._api_origin = origin(self.base_url)

    def get(self, url: str, params: Mapping[str, str | int] | None = None) -> HttpResponse:
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params)}"
        return self.send("GET", url)

    def post(self, url: str, document: Any) -> HttpResponse:
        """POST a JSON body; retried like a GET, so only for requests safe to repeat."""
        return self.send("POST", url, json.dumps(document).encode("utf-8"))

    def send(self, method: str, url: str, body: bytes | None = None) -> HttpResponse:
        self._check_host(method, url)
        attempt_number = 0
        last_problem = ""
        try:
            for attempt in stamina.retry_context(
                on=self._wait_before_retry,
                attempts=self.retry.max_attempts,
                timeout=self.retry.total_seconds,
                wait_initial=0.0,
                wait_max=0.0,
                wait_jitter=0.0,
            ):
                with attempt:
                    attempt_number += 1
                    self._attempt_number = attempt_number
                    try:
                        return self._send_once(method, url, body)
                    except _Retryable as retryable:
                        last_problem = retryable.problem
                        raise
        except _Retryable:
            pass
        raise ApiError(
            f"{self.vendor}: {method} {url} failed after {attempt_number} attempts;"
            f" last answer {last_problem}"
        )

    def _wait_before_retry(self, error: Exception) -> bool | float:
        """stamina's backoff hook: retry only what may pass later, after the server's wait
        (or an exponential one); the client waits itself, so every wait goes through
        `sleep`."""
        if not isinstance(error, _Retryable):
            return False
        if self._attempt_number >= self.retry.max_attempts:
            return True  # stamina stops here: nothing to wait for
        self.sleep(retry_wait_seconds(error.headers, self._attempt_number, self.retry, time.time()))
        return 0.0

    def _check_host(self, method: str, url: str) -> None:
        if self._api_origin is None:
            self._api_origin = origin(url)
        if self.headers and origin(url) != self._api_origin:
            raise ForeignHostError(
                f"{self.vendor}: {method} {_without_query(url)} refused: it leads to"
                f" another host than the configured API host {self._api_origin}, and the"
                f" credential ({self.credential_env_var}) is sent only there"
            )

    def _send_once(self, method: str, url: str, body: bytes | None) -> HttpResponse:
        if self._resume_at is not None:
            wait = self._resume_at - time.time()
            self._resume_at = None
            if wait > 0:
                self.sleep(min(wait, self.retry.max_delay_seconds))
        headers = {"Accept": "application/json", **self.headers}
        if body is not None:
            headers["Content-Type"] = "application/json"
        target = url
        timeout = httpx.Timeout(self.timeout_seconds)
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            for _ in range(MAX_REDIRECTS + 1):
                self.attempts_made += 1
                request = client.build_request(method, target, headers=headers, content=body)
                try:
                    answer = client.send(request, stream=True)
                except httpx.TransportError as error:
                    raise _Retryable(f"connection failed: {_one_line(error)}") from None
                try:
                    content = _read_bounded(answer)
                except httpx.TransportError as error:
                    raise _Retryable(f"connection dropped: {_one_line(error)}") from None
                finally:
                    answer.close()
                if answer.status_code not in REDIRECT_STATUSES or "location" not in answer.headers:
                    break
                following = urllib.parse.urljoin(target, answer.headers["location"])
                if origin(following) != origin(target):
                    # Another host: follow, but never with the credential.
                    headers = {
                        name: value for name, value in headers.items() if name not in self.headers
                    }
                if answer.status_code == 303:
                    method, body = "GET", None
                target = following
            else:
                raise ApiError(
                    f"{self.vendor}: {method} {url}: more than {MAX_REDIRECTS} redirects"
                )
        answer_headers = {name.lower(): value for name, value in answer.headers.items()}
        status = answer.status_code
        if status in AUTH_STATUSES:
            raise ApiAuthError(
                f"{self.vendor}: {method} {url} was refused with HTTP {status}"
                f" ({describe_body(answer_headers, content)}); check the credential in"
                f" {self.credential_env_var} and its permissions"
            )
        if status in RETRYABLE_STATUSES:
            raise _Retryable(
                f"HTTP {status}: {describe_body(answer_headers, content)}", answer_headers
            )
        if status >= 400 or status in REDIRECT_STATUSES:
            raise ApiError(
                f"{self.vendor}: {method} {url} answered HTTP {status}:"
                f" {describe_body(answer_headers, content)}"
            )
        exhausted = exhausted_window_seconds(answer_headers, time.time())
        if exhausted is not None and exhausted > 0:
            self._resume_at = time.time() + exhausted
        return HttpResponse(status, url, answer_headers, content, method)


def _read_bounded(answer: httpx.Response) -> bytes:
    """The body, refused past MAX_RESPONSE_BYTES (a server that never stops sending)."""
    chunks: list[bytes] = []
    size = 0
    for chunk in answer.iter_bytes():
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise ApiError(
                f"{answer.request.method} {_without_query(str(answer.request.url))}: the answer"
                f" is larger than {MAX_RESPONSE_BYTES // (1024 * 1024)} MB"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _one_line(error: Exception) -> str:
    return f"{type(error).__name__}: {' '.join(str(error).split())}"


def _without_query(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def lower_keys(items: Any) -> dict[str, str]:
    return {str(name).lower(): str(value) for name, value in items}


def parse_link_header(value: str | None) -> dict[str, str]:
    """RFC 8288 Link header as {rel: url} (Shopify and SurveyMonkey page this way)."""
    links: dict[str, str] = {}
    for part in (value or "").split(","):
        match = re.match(r"\s*<([^>]*)>\s*;(.*)", part)
        if not match:
            continue
        rel = re.search(r'rel\s*=\s*"?([^";]+)"?', match.group(2))
        if rel:
            links[rel.group(1).strip()] = match.group(1)
    return links
