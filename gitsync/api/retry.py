"""Bounded retries with exponential backoff and full jitter, safe for calls that are not idempotent.

Rules (SPEC §5, connect-api-facts §5.3):
- 429 is always safe to retry: the API rejected the call before acting. Its ``Retry-After`` is honoured.
- GET and DELETE (idempotent) also retry on 502, 503, 504 and any connection error or timeout.
- A POST whose outcome is unknown (5xx incl. 500 General, or a failure after the request may have left)
  calls ``recover`` first: it reads the resource back and returns it if the POST took effect, so nothing
  is created or redeployed twice; only if it returns None is the POST sent again. Without ``recover`` an
  unknown outcome is not retried.
- A request that never left (connect error / connect or pool timeout) is retried for every method.
- No retry starts, and no sleep begins, that would end past the call's total deadline (``deadline_of``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

import httpx

from gitsync.api.deadline import remaining

T = TypeVar("T")

RETRY_STATUSES = frozenset({429, 502, 503, 504})
UNKNOWN_OUTCOME_STATUSES = frozenset({500, 502, 503, 504})
# The connection was never made, so the server cannot have acted on the request.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

Attempt = Callable[[str], httpx.Response]
FailureFactory = Callable[[httpx.TransportError, bool], Exception]


@dataclass
class Backoff:
    """How long to wait before retry ``n``: full jitter on ``base * 2**n``, or the server's Retry-After."""

    base: float
    max_retries: int
    sleep: Callable[[float], None]
    cap: float = 30.0
    retry_after_cap: float = 60.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (0-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.retry_after_cap)
        return self.rng.uniform(0.0, min(self.cap, self.base * 2**attempt))

    def pause(self, attempt: int, retry_after: float | None = None) -> bool:
        """Sleep before the next try; False (and no sleep) when it would end past the call's deadline."""
        delay = self.delay(attempt, retry_after)
        left = remaining()
        if left is not None and delay >= left:
            return False
        self.sleep(delay)
        return True


def retry_after_seconds(response: httpx.Response) -> float | None:
    """The ``Retry-After`` header in seconds (delta-seconds or an HTTP date), or None when unusable."""
    header = response.headers.get("retry-after")
    if header is None:
        return None
    seconds: float | None
    try:
        seconds = float(header)
    except ValueError:
        seconds = _seconds_until(header)
    # "nan" or "1e999" would make sleep() raise: an unusable header is no header
    return seconds if seconds is not None and math.isfinite(seconds) else None


def _seconds_until(header: str) -> float | None:
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" gives a naive datetime: RFC 9110 dates are UTC anyway
        when = when.replace(tzinfo=UTC)
    return (when - datetime.now(UTC)).total_seconds()


def send_with_retries(
    attempt: Attempt,
    backoff: Backoff,
    *,
    idempotent: bool,
    recover: Callable[[], T | None] | None,
    fail: FailureFactory,
) -> httpx.Response | T:
    """Run ``attempt`` until it gives a final answer: a response (any status) or what ``recover`` found."""
    for number in range(backoff.max_retries + 1):
        last = number == backoff.max_retries
        note = f" (retry {number}/{backoff.max_retries})" if number else ""
        try:
            response = attempt(note)
        except httpx.TransportError as exc:
            unknown = not idempotent and not isinstance(exc, NOT_SENT)
            if unknown and recover is None:
                raise fail(exc, True) from exc
            found = recover() if unknown and recover is not None else None
            if found is not None:
                return found
            if last or not backoff.pause(number):
                raise fail(exc, unknown) from exc
            continue
        if last or not _retryable(response, idempotent, recover is not None):
            return response
        if not idempotent and response.status_code in UNKNOWN_OUTCOME_STATUSES and recover is not None:
            found = recover()
            if found is not None:
                return found
        if not backoff.pause(number, retry_after_seconds(response) if response.status_code == 429 else None):
            return response
    raise AssertionError("unreachable: the last attempt always returns or raises")


def _retryable(response: httpx.Response, idempotent: bool, recoverable: bool) -> bool:
    status = response.status_code
    if status == 429:
        return True
    if idempotent:
        return status in RETRY_STATUSES
    return recoverable and status in UNKNOWN_OUTCOME_STATUSES
