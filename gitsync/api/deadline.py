"""A total deadline per API call: connect, every read and write, every retry and every sleep between them.

httpx's timeouts are per socket operation, so a server that trickles one byte a second keeps a read
alive forever (issue 7.6). This network backend asks the calling thread's deadline before each socket
operation and lowers the operation's timeout to the time that is left; when none is left, the operation
fails with a timeout and httpcore closes the connection. httpcore does all I/O of a sync request in the
calling thread, so a thread-local deadline is exact.
"""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

from gitsync.api.cancel import CancelToken

_local = threading.local()
_Bound = tuple[float, CancelToken, float]  # deadline (monotonic), the interrupt, the limit in seconds


@contextmanager
def deadline_of(seconds: float, cancel: CancelToken) -> Iterator[None]:
    """Bound this thread's socket operations to ``seconds`` from now (or less, when nested) and ``cancel``."""
    previous = getattr(_local, "bound", None)
    bound = (time.monotonic() + seconds, cancel, seconds)
    _local.bound = bound if previous is None or previous[0] > bound[0] else previous
    try:
        yield
    finally:
        _local.bound = previous


def remaining() -> float | None:
    """Seconds left before this thread's deadline (None outside ``deadline_of``)."""
    bound: _Bound | None = getattr(_local, "bound", None)
    return None if bound is None else bound[0] - time.monotonic()


def overrun() -> str | None:
    """Why this thread's call failed when it ran out of time ("… total time limit of N s"), else None."""
    bound: _Bound | None = getattr(_local, "bound", None)
    if bound is None or bound[0] - time.monotonic() > 0.05:
        return None
    return f"no complete answer within the call's total time limit of {bound[2]:g} s"


def _limit(timeout: float | None, error: type[Exception]) -> float | None:
    bound: _Bound | None = getattr(_local, "bound", None)
    if bound is None:
        return timeout
    deadline, cancel, seconds = bound
    cancel.check()
    left = deadline - time.monotonic()
    if left <= 0:
        raise error(overrun() or f"out of time ({seconds:g} s)")
    return left if timeout is None else min(timeout, left)


class _BoundedStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _limit(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _limit(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        limit = _limit(timeout, httpcore.ConnectTimeout)
        return _BoundedStream(self._inner.start_tls(ssl_context, server_hostname, limit))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _BoundedBackend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        limit = _limit(timeout, httpcore.ConnectTimeout)
        return _BoundedStream(self._inner.connect_tcp(host, port, limit, local_address, socket_options))

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        limit = _limit(timeout, httpcore.ConnectTimeout)
        return _BoundedStream(self._inner.connect_unix_socket(path, limit, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def bound_client(client: httpx.Client) -> None:
    """Make every transport of ``client`` obey ``deadline_of``: its own, and the ones httpx mounted for
    HTTP_PROXY / HTTPS_PROXY / ALL_PROXY (``trust_env``): a trickling proxy must not hold a call past its
    total time limit either."""
    transports = [getattr(client, "_transport", None), *getattr(client, "_mounts", {}).values()]
    for transport in transports:  # private attributes: see _bound
        if isinstance(transport, httpx.HTTPTransport):
            _bound(transport)


def _bound(transport: httpx.HTTPTransport) -> None:
    """httpx does not expose httpcore's ``network_backend``; the pool's attribute is wrapped here, and
    tests/api/test_time_and_interrupts.py fails if a new httpx or httpcore moves it (directly or behind a
    proxy)."""
    pool = getattr(transport, "_pool", None)  # private: see the docstring
    backend = getattr(pool, "_network_backend", None)
    if isinstance(backend, httpcore.NetworkBackend) and not isinstance(backend, _BoundedBackend):
        pool._network_backend = _BoundedBackend(backend)  # type: ignore[union-attr]
