"""One ``ConnectClient`` per target, built the same way by every command that talks to the API."""

from __future__ import annotations

import math
from collections.abc import Mapping

from gitsync.api.client import CALL_TIMEOUT, ConnectClient
from gitsync.cli import INTERRUPT
from gitsync.errors import ConfigError
from gitsync.manifest import resolve_credentials
from gitsync.manifest.credentials import resolve_urls
from gitsync.manifest.model import Target

# Seconds one API call may take in total, its retries and the sleeps between them included.
TIMEOUT_VARIABLE = "GITSYNC_HTTP_TIMEOUT"


def client_for(target: Target, env: Mapping[str, str]) -> ConnectClient:
    """A client for the target's project; credentials and ``${NAME}`` in its URLs come from ``env`` (missing:
    an error naming it).

    Every client watches the process's interrupt switch, so Ctrl-C / SIGTERM stops all of them at once.
    """
    call_timeout = call_timeout_from(env)
    credentials = resolve_credentials(target, env)
    target = resolve_urls(target, env)
    return ConnectClient(
        target.project_key,
        credentials.client_id,
        credentials.client_secret,
        region=target.region or None,
        connect_url=target.connect_url,
        auth_url=target.auth_url,
        scopes=credentials.scopes,
        call_timeout=call_timeout,
        cancel=INTERRUPT,
        name=target.name,
    )


def call_timeout_from(env: Mapping[str, str]) -> float:
    """``GITSYNC_HTTP_TIMEOUT`` in seconds (default 120); anything but a positive number is an error."""
    raw = env.get(TIMEOUT_VARIABLE, "").strip()
    if not raw:
        return CALL_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        raise ConfigError(
            f"{TIMEOUT_VARIABLE}={raw[:40]!r} is not a number of seconds; "
            f"set it to e.g. 300, or unset it for the default of {CALL_TIMEOUT:g} s"
        )
    return seconds
