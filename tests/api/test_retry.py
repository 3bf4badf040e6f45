"""Backoff arithmetic, Retry-After parsing and the end of paging, without any HTTP."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx

from gitsync.api.models import DeploymentPagedQueryResponse
from gitsync.api.paging import next_offset
from gitsync.api.retry import Backoff, retry_after_seconds


def test_full_jitter_stays_inside_a_capped_exponential_envelope() -> None:
    backoff = Backoff(base=0.5, max_retries=10, sleep=lambda _: None, cap=4.0, rng=random.Random(7))
    for attempt in range(10):
        delays = [backoff.delay(attempt, None) for _ in range(200)]
        ceiling = min(4.0, 0.5 * 2**attempt)
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8  # jitter spreads over the whole envelope


def test_retry_after_wins_over_jitter_but_is_bounded() -> None:
    backoff = Backoff(base=0.5, max_retries=3, sleep=lambda _: None, retry_after_cap=60.0)
    assert backoff.delay(0, 12.0) == 12.0
    assert backoff.delay(0, 3600.0) == 60.0
    assert backoff.delay(0, -5.0) == 0.0


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    assert retry_after_seconds(httpx.Response(429, headers={"Retry-After": "3"})) == 3.0
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    seconds = retry_after_seconds(httpx.Response(429, headers={"Retry-After": when}))
    assert seconds is not None and 25 < seconds <= 30
    assert retry_after_seconds(httpx.Response(429, headers={"Retry-After": "soon"})) is None
    assert retry_after_seconds(httpx.Response(429)) is None


def page(offset: int, count: int, total: int | None) -> DeploymentPagedQueryResponse:
    return DeploymentPagedQueryResponse(limit=500, offset=offset, count=count, total=total, results=[])


def test_paging_ends_at_total_or_on_a_short_page() -> None:
    assert next_offset(page(0, 500, 1000), 500) == 500
    assert next_offset(page(500, 500, 1000), 500) is None
    assert next_offset(page(0, 500, None), 500) == 500
    assert next_offset(page(500, 20, None), 500) is None
    assert next_offset(page(0, 0, 5), 500) is None  # an empty page never loops
