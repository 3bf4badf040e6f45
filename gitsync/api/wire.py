"""The one seam to the network: sends one request, counts it, logs one line (never a body or header)."""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from gitsync.api.cancel import CancelToken
from gitsync.api.deadline import bound_client
from gitsync.errors import ConfigError

logger = logging.getLogger("gitsync.api")

CONNECT_TIMEOUT = 10.0
LOOPBACK_DIRECT = {f"all://{host}": None for host in ("127.0.0.1", "localhost", "[::1]")}
"""Never through a proxy (as Go's ProxyFromEnvironment): the emulator is local, a CI proxy is not."""


class Wire:
    """A thread-safe httpx client with timeouts and TLS verification always on."""

    def __init__(
        self, *, timeout: float, cancel: CancelToken, transport: httpx.BaseTransport | None = None
    ) -> None:
        # verify=True always (SPEC §5); no redirects: a redirect would resend the bearer token elsewhere.
        # trust_env stays on so HTTPS_PROXY / NO_PROXY / SSL_CERT_FILE work in corporate CI: httpx mounts
        # the proxies only for a client it builds the transport of (none is passed but in unit tests).
        # Every transport then obeys the call's total deadline (gitsync.api.deadline); connecting gets
        # at most 10 s per try.
        try:
            self._client = httpx.Client(
                transport=transport,
                mounts=LOOPBACK_DIRECT,
                timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)),
                verify=True,
                follow_redirects=False,
            )
        except OSError as exc:  # ssl.SSLError too: the certificate authorities of SSL_CERT_FILE
            raise _certificates_error(exc) from None
        except (ValueError, httpx.InvalidURL, ImportError) as exc:  # the proxies, from the environment
            raise _proxy_error(exc) from None
        if transport is None:
            bound_client(self._client)
        self._cancel = cancel
        self._lock = threading.Lock()
        self._count = 0

    @property
    def request_count(self) -> int:
        """Every HTTP request sent so far (token requests and retries included)."""
        return self._count

    def send(
        self,
        method: str,
        url: str,
        *,
        note: str = "",
        auth: tuple[str, str] | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send one request; transport errors propagate as httpx errors for the retry loop to judge.

        After an interrupt nothing is sent: ``Interrupted`` is raised before the request leaves.
        """
        self._cancel.check()
        request = self._client.build_request(method, url, **kwargs)
        with self._lock:
            self._count += 1
        started = time.perf_counter()
        try:
            response = self._client.send(request, auth=auth)
        except httpx.DecodingError as exc:
            # a body that contradicts its Content-Encoding is a broken answer, like a cut connection:
            # the retry rules of a transport error apply (and an httpx type never reaches the CLI)
            _log(request, type(exc).__name__, started, note)
            raise httpx.RemoteProtocolError(f"the answer's body cannot be decoded: {exc}") from exc
        except httpx.TransportError as exc:
            _log(request, type(exc).__name__, started, note)
            raise
        _log(request, str(response.status_code), started, note)
        return response

    def close(self) -> None:
        self._client.close()


def _proxy_error(exc: Exception) -> ConfigError:
    """What is wrong with the environment's proxy, naming the variables and only the proxy's scheme and
    host (a proxy URL may carry a password)."""
    names = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
    shown = ", ".join(f"{name}={_shown_proxy(os.environ[name])}" for name in names if os.getenv(name))
    if isinstance(exc, ImportError):
        why = "a socks5:// proxy needs httpx's socks support: pip install 'httpx[socks]'"
    else:
        why = "expected a proxy URL such as http://proxy.example.com:3128"
    return ConfigError(
        f"the proxy set in the environment cannot be used ({shown or 'none set'}): {why}; "
        "fix it or unset it (loopback, the emulator, needs none)"
    )


def _certificates_error(exc: OSError) -> ConfigError:
    """TLS is always verified, so certificate authorities that cannot be loaded stop every command."""
    names = [name for name in ("SSL_CERT_FILE", "SSL_CERT_DIR") if os.getenv(name)]
    where = ", ".join(f"{name}={os.environ[name]!r}" for name in names) or "httpx's bundle (certifi)"
    reason = exc.strerror or str(exc) or type(exc).__name__
    return ConfigError(
        f"the certificate authorities of {where} cannot be loaded ({reason}); point SSL_CERT_FILE at a PEM "
        "bundle of CA certificates, or unset it to use the bundled ones (certifi)"
    )


def _shown_proxy(value: str) -> str:
    """Only a proxy's scheme and host: a value that is no URL (``user:pw@host``) may be all password."""
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return "(not a URL)"
    return f"{parts.scheme}://{host}" if parts.scheme and host else "(not a URL)"


def _log(request: httpx.Request, outcome: str, started: float, note: str) -> None:
    elapsed = (time.perf_counter() - started) * 1000
    url = request.url.copy_with(username=None, password=None)
    logger.info("%s %s → %s (%.0f ms)%s", request.method, url, outcome, elapsed, note)
