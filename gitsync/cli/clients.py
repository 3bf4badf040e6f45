"""One ``ConnectClient`` per target, built the same way by every command that talks to the API."""

from __future__ import annotations

from collections.abc import Mapping

from gitsync.api.client import ConnectClient
from gitsync.manifest import resolve_credentials
from gitsync.manifest.credentials import resolve_urls
from gitsync.manifest.model import Target


def client_for(target: Target, env: Mapping[str, str]) -> ConnectClient:
    """A client for the target's project; credentials and ``${NAME}`` in its URLs come from ``env`` (missing:
    an error naming it)."""
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
    )
