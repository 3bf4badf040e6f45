"""The client's time bounds and its interrupt switch (issue 7.6, 7.7) and refused credentials (issue 7)."""

from __future__ import annotations

import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from e2e.rogue_server import rogue_server, silent, trickle

from gitsync.api.cancel import CancelToken, Interrupted
from gitsync.api.client import ConnectClient
from gitsync.api.errors import ApiError, AuthenticationError, ConnectionFailedError
from gitsync.api.retry import retry_after_seconds
from gitsync.secret import Secret

from .fakes import CLIENT_SECRET, FakeApi, Sleeps, deployment_body, error_body, make_client

GET_KEY = "GET /acme/deployments/key=adyen"


def _real_client(url: str, **options: object) -> ConnectClient:
    secret = Secret("${CTP_CLIENT_SECRET}", CLIENT_SECRET)
    return ConnectClient("acme", "ci", secret, connect_url=url, auth_url=url, name="staging", **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("handler", [trickle(pause=0.2), silent], ids=["trickle", "silent"])
def test_a_call_ends_at_its_total_time_limit_however_the_server_dribbles(handler: object) -> None:
    with (
        rogue_server(handler) as rogue,
        _real_client(rogue.url, call_timeout=1.0, backoff_base=0.01) as client,
    ):  # type: ignore[arg-type]
        started = time.monotonic()
        with pytest.raises(ConnectionFailedError) as caught:
            client.get_deployment_by_key("adyen")
        took = time.monotonic() - started
    assert took < 2.0
    assert "total time limit of 1 s" in str(caught.value)
    assert str(caught.value).startswith("target 'staging' (project acme at 127.0.0.1:")
    assert CLIENT_SECRET not in str(caught.value)


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "ALL_PROXY"])
def test_a_trickling_proxy_is_bounded_by_the_total_time_limit_too(
    variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """httpx builds the transports of HTTP(S)_PROXY itself (trust_env): they must obey the deadline too."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    with rogue_server(trickle(pause=0.2)) as proxy:
        monkeypatch.setenv(variable, proxy.url)
        # the API itself is never reached: the proxy is asked to CONNECT, and trickles its answer
        with _real_client("https://api.example.test", call_timeout=1.0, backoff_base=0.01) as client:
            started = time.monotonic()
            with pytest.raises(ConnectionFailedError) as caught:
                client.get_deployment_by_key("adyen")
            took = time.monotonic() - started
        assert proxy.arrivals, "the request went through the proxy"
    assert took < 2.0
    assert "total time limit of 1 s" in str(caught.value)


def test_loopback_is_reached_directly_whatever_proxy_the_environment_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The emulator on loopback must work in a CI job that sets HTTPS_PROXY for the outside world."""
    with rogue_server(silent) as proxy:
        for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
            monkeypatch.setenv(variable, proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        with rogue_server(_answer_json) as direct, _real_client(direct.url, call_timeout=2.0) as client:
            assert client.get_deployment_by_key("adyen").key == "adyen"
        assert proxy.arrivals == []


def _answer_json(conn: socket.socket, line: str, stopped: threading.Event) -> None:
    """A token for the token request, the Deployment ``adyen`` for anything else."""
    body = deployment_body() if "/oauth/token" not in line else {"access_token": "t", "expires_in": 3600}
    data = json.dumps(body).encode()
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(data)
    conn.sendall(head + data)


def test_no_retry_sleep_starts_that_would_end_past_the_time_limit() -> None:
    limited = error_body(429, "TooManyRequests", "slow down")
    api = FakeApi({GET_KEY: [httpx.Response(429, json=limited, headers={"Retry-After": "5"})]})
    sleeps = Sleeps()
    with pytest.raises(ApiError) as caught:
        make_client(api, sleeps, call_timeout=1.0).get_deployment_by_key("adyen")
    assert caught.value.status == 429
    assert len(api.sent(GET_KEY)) == 1 and sleeps.delays == []


def test_after_an_interrupt_nothing_is_sent() -> None:
    api = FakeApi({GET_KEY: [httpx.Response(200, json=deployment_body())]})
    cancel = CancelToken()
    client = make_client(api, cancel=cancel)
    client.get_deployment_by_key("adyen")
    sent = len(api.requests)
    cancel.cancel()
    with pytest.raises(Interrupted):
        client.get_deployment_by_key("adyen")
    assert len(api.requests) == sent


def test_an_interrupt_ends_a_retry_sleep_at_once() -> None:
    limited = httpx.Response(
        429, json=error_body(429, "TooManyRequests", "slow"), headers={"Retry-After": "50"}
    )
    api = FakeApi({GET_KEY: [limited]})
    cancel = CancelToken()
    client = make_client(api, sleep=None, cancel=cancel)  # the real, interruptible sleep
    with ThreadPoolExecutor(1) as pool:
        call = pool.submit(client.get_deployment_by_key, "adyen")
        time.sleep(0.3)
        cancel.cancel()
        started = time.monotonic()
        with pytest.raises(Interrupted):
            call.result(timeout=5)
        assert time.monotonic() - started < 0.5
    assert len(api.sent(GET_KEY)) == 1


@pytest.mark.parametrize("status", [400, 401])
def test_a_refused_credential_is_asked_once_however_many_threads_need_a_token(status: int) -> None:
    refusal = {"error": "invalid_client", "error_description": "Please provide valid client credentials."}
    api = FakeApi({GET_KEY: [httpx.Response(200, json=deployment_body())]})
    api.token_reply = httpx.Response(status, json=refusal)
    client = make_client(api)
    with ThreadPoolExecutor(8) as pool:
        calls = [pool.submit(client.get_deployment_by_key, "adyen") for _ in range(8)]
        errors = [call.exception(timeout=10) for call in calls]
    assert all(isinstance(error, AuthenticationError) for error in errors)
    assert len(api.sent("POST /oauth/token")) == 1
    assert "invalid_client" in str(errors[0]) and "project acme at 127.0.0.1:9" in str(errors[0])
    assert CLIENT_SECRET not in str(errors[0])


@pytest.mark.parametrize(
    "header", ["nan", "inf", "-inf", "1e999", "Wed, 21 Oct 2015 07:28:00 -0000", "Mon, 99 Foo", "", "\x00"]
)
def test_an_odd_retry_after_is_a_number_or_nothing(header: str) -> None:
    seconds = retry_after_seconds(httpx.Response(429, headers={"Retry-After": header}))
    assert seconds is None or (seconds == seconds and abs(seconds) < float("inf"))


def test_the_interrupt_switch_is_shared_and_one_way() -> None:
    cancel = CancelToken()
    cancel.check()
    outcome: list[BaseException] = []

    def sleeper() -> None:
        try:
            cancel.sleep(30)
        except Interrupted as exc:
            outcome.append(exc)

    waiter = threading.Thread(target=sleeper)
    waiter.start()
    cancel.cancel()
    waiter.join(timeout=2)
    assert not waiter.is_alive() and len(outcome) == 1 and cancel.cancelled
    with pytest.raises(Interrupted):
        cancel.check()
