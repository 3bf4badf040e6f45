"""Tokens: cached until 5 minutes before expiry, one fetch at a time however many threads ask."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from gitsync.api.auth import TokenSource

from .fakes import FakeApi, deployment_body, make_client


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def token_source(lifetime: int, clock: Clock) -> tuple[TokenSource, list[int]]:
    fetched: list[int] = []

    def fetch() -> httpx.Response:
        fetched.append(1)
        body = {"access_token": f"t{len(fetched)}", "expires_in": lifetime, "token_type": "Bearer"}
        return httpx.Response(200, json=body)

    return TokenSource(fetch, secrets=lambda: (), clock=clock), fetched


def test_token_is_refreshed_five_minutes_before_expiry() -> None:
    clock = Clock()
    source, fetched = token_source(3600, clock)
    assert source.get() == "t1"
    clock.now += 3600 - 301
    assert source.get() == "t1" and len(fetched) == 1
    clock.now += 1
    assert source.get() == "t2" and len(fetched) == 2


def test_a_short_lived_token_is_refreshed_at_half_life() -> None:
    clock = Clock()
    source, fetched = token_source(60, clock)
    source.get()
    clock.now += 29
    source.get()
    clock.now += 1
    source.get()
    assert len(fetched) == 2


def test_invalidate_only_drops_the_refused_token() -> None:
    clock = Clock()
    source, _ = token_source(3600, clock)
    source.get()
    source.invalidate("some-older-token")
    assert source.get() == "t1"
    source.invalidate("t1")
    assert source.get() == "t2"


def test_many_threads_share_one_token_fetch() -> None:
    lock = threading.Lock()
    tokens = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal tokens
        if request.url.path == "/oauth/token":
            with lock:
                tokens += 1
            time.sleep(0.05)  # a slow auth server: every thread asks while the first fetch is running
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
        return httpx.Response(200, json=deployment_body())

    client = make_client(FakeApi(), transport=httpx.MockTransport(handler))
    with ThreadPoolExecutor(max_workers=32) as pool:
        results = list(pool.map(lambda _: client.get_deployment_by_key("adyen"), range(64)))
    assert len(results) == 64 and tokens == 1
    assert client.request_count == 65
