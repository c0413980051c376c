"""A small HTTP client for vendor APIs: bounded time-outs, retries that honour Retry-After.

Only the standard library is used. 429 and 5xx answers (and dropped connections) are
retried with exponential backoff; a Retry-After (or X's x-rate-limit-reset) header, when
present, decides the wait. 401/403 fail at once with a message naming the vendor and the
environment variable that holds its credential. Other 4xx answers (a vendor's HTML 404
page included) fail with the status and the start of the body as readable text.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
AUTH_STATUSES = frozenset({401, 403})
BODY_EXCERPT_CHARS = 200


class ApiError(RuntimeError):
    """A vendor API answered with an error that retrying will not fix (or retries ran out)."""


class ApiAuthError(ApiError):
    """The credential was refused (401/403): never retried."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay_seconds: float = 1.0
    max_delay_seconds: float = 120.0


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


def retry_wait_seconds(
    headers: Mapping[str, str], attempt: int, policy: RetryPolicy, now: float
) -> float:
    """Seconds to wait before the next attempt: the server's word if it gave one."""
    retry_after = headers.get("retry-after")
    wait: float | None = None
    if retry_after is not None:
        value = retry_after.strip()
        try:
            wait = float(value)  # seconds; Shopify sends "2.0"
        except ValueError:
            try:
                wait = parsedate_to_datetime(value).timestamp() - now
            except (TypeError, ValueError):
                wait = None
    elif headers.get("x-rate-limit-reset", "").strip().isdigit():
        wait = float(headers["x-rate-limit-reset"]) - now
    if wait is None:
        wait = policy.base_delay_seconds * 2 ** (attempt - 1)
    return min(max(wait, 0.0), policy.max_delay_seconds)


@dataclass
class HttpClient:
    """GET (or POST) JSON from one vendor. Credentials go in headers only, so URLs are safe
    to log."""

    vendor: str
    credential_env_var: str
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)  # holds the secret
    timeout_seconds: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    attempts_made: int = 0  # every request sent, for run metadata and tests

    def get(self, url: str, params: Mapping[str, str | int] | None = None) -> HttpResponse:
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params)}"
        return self.send("GET", url)

    def post(self, url: str, document: Any) -> HttpResponse:
        """POST a JSON body; retried like a GET, so only for requests safe to repeat."""
        return self.send("POST", url, json.dumps(document).encode("utf-8"))

    def send(self, method: str, url: str, body: bytes | None = None) -> HttpResponse:
        headers = {"Accept": "application/json", **self.headers}
        if body is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        last_problem = ""
        for attempt in range(1, self.retry.max_attempts + 1):
            self.attempts_made += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_seconds) as answer:
                    return HttpResponse(
                        answer.status,
                        url,
                        lower_keys(answer.headers.items()),
                        answer.read(),
                        method,
                    )
            except urllib.error.HTTPError as error:
                headers = lower_keys(error.headers.items()) if error.headers else {}
                body_read = error.read()
                self._raise_unless_retryable(method, url, error.code, headers, body_read)
                last_problem = f"HTTP {error.code}: {describe_body(headers, body_read)}"
                wait = retry_wait_seconds(headers, attempt, self.retry, time.time())
            except (TimeoutError, urllib.error.URLError, ConnectionError) as error:
                last_problem = f"connection failed: {error}"
                wait = retry_wait_seconds({}, attempt, self.retry, time.time())
            if attempt < self.retry.max_attempts:
                self.sleep(wait)
        raise ApiError(
            f"{self.vendor}: {method} {url} failed after {self.retry.max_attempts} attempts;"
            f" last answer {last_problem}"
        )

    def _raise_unless_retryable(
        self, method: str, url: str, status: int, headers: Mapping[str, str], body: bytes
    ) -> None:
        if status in AUTH_STATUSES:
            raise ApiAuthError(
                f"{self.vendor}: {method} {url} was refused with HTTP {status}"
                f" ({describe_body(headers, body)}); check the credential in"
                f" {self.credential_env_var} and its permissions"
            )
        if status not in RETRYABLE_STATUSES:
            raise ApiError(
                f"{self.vendor}: {method} {url} answered HTTP {status}:"
                f" {describe_body(headers, body)}"
            )


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
