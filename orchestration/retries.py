"""Step retries for failures known to be transient, and an immediate failure for the rest.

Dagster's RetryPolicy retries whatever an asset raises. The loads are idempotent, so a
retry is always safe, but it only helps when the cause goes away by itself: another
process holding the DuckDB write lock, a dropped connection, a vendor API still answering
429/5xx after the client's own retries. Bad data, a bad configuration or a refused
credential would fail again identically, so `retry_only_transient` turns those into a
`dg.Failure(allow_retries=False)`, which the policy does not retry.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb
import httpx

from ingestion.api.http import ApiAuthError, ApiError

# Waits of 5, 15 and 35 s (each +/- 5 s): enough for a writer outside Dagster to finish a
# transaction or a vendor to recover, short enough to keep the schedule on time.
TRANSIENT_RETRY_POLICY = dg.RetryPolicy(
    max_retries=3, delay=5, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)

# DuckDB's message when another process holds the file: "Could not set lock on file".
_DUCKDB_LOCK_CONFLICT = "could not set lock"
# HttpClient raises a plain ApiError with this wording once 429/5xx answers or dropped
# connections have used up its attempts; any other ApiError is a definite answer.
_API_RETRIES_EXHAUSTED = re.compile(r" failed after \d+ attempts; last answer ")


def is_transient(error: BaseException) -> bool:
    """True when the same call may well succeed a little later, unchanged."""
    if isinstance(error, duckdb.IOException):
        return _DUCKDB_LOCK_CONFLICT in str(error).lower()
    if isinstance(error, ApiAuthError):
        return False
    if isinstance(error, ApiError):
        return bool(_API_RETRIES_EXHAUSTED.search(str(error)))
    return isinstance(error, (TimeoutError, ConnectionError, httpx.TransportError))


@contextmanager
def retry_only_transient() -> Iterator[None]:
    """Let transient errors reach the step's RetryPolicy; fail everything else at once."""
    try:
        yield
    except Exception as error:
        if is_transient(error):
            raise
        raise dg.Failure(
            description=f"{type(error).__name__}: {error}",
            metadata={"retried": False, "reason": "not a transient failure"},
            allow_retries=False,
        ) from error
