"""The CLI's way to open a target's client: the core's ``open_client`` wired to the interrupt switch."""

from __future__ import annotations

from collections.abc import Mapping

from gitsync.api.client import ConnectClient
from gitsync.cli import INTERRUPT
from gitsync.core.clients import TIMEOUT_VARIABLE, call_timeout_from, open_client
from gitsync.manifest.target import Target

__all__ = ["TIMEOUT_VARIABLE", "call_timeout_from", "client_for"]


def client_for(target: Target, env: Mapping[str, str]) -> ConnectClient:
    """A client for the target that watches ``INTERRUPT``, so Ctrl-C / SIGTERM stops all of them at once."""
    return open_client(target, env, INTERRUPT)
