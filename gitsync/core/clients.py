"""One ``ConnectClient`` per target, built the same way by every command that talks to the API."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager

from gitsync.api.cancel import CancelToken
from gitsync.api.client import CALL_TIMEOUT, ConnectClient
from gitsync.errors import ConfigError
from gitsync.manifest import resolve_credentials
from gitsync.manifest.credentials import resolve_urls
from gitsync.manifest.target import Target

# Seconds one API call may take in total, its retries and the sleeps between them included.
TIMEOUT_VARIABLE = "GITSYNC_HTTP_TIMEOUT"


def open_client(target: Target, env: Mapping[str, str], cancel: CancelToken | None) -> ConnectClient:
    """A client for the target's project; credentials and ``${NAME}`` in its URLs come from ``env`` (missing:
    an error naming it).

    ``cancel``: the command's interrupt switch (the CLI passes its one token), so Ctrl-C / SIGTERM stops
    every client at once.
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
        cancel=cancel,
        name=target.name,
    )


@contextmanager
def open_clients(
    targets: Sequence[Target], env: Mapping[str, str], cancel: CancelToken | None
) -> Iterator[dict[str, ConnectClient]]:
    """One client per target, keyed by target name; all closed on leaving."""
    with ExitStack() as stack:
        yield {target.name: stack.enter_context(open_client(target, env, cancel)) for target in targets}


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
