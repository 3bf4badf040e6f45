"""Where the client sends requests: the Connect and auth base URLs, refusing plain HTTP off loopback."""

from __future__ import annotations

import ipaddress
from urllib.parse import quote, urlsplit

from gitsync.errors import ConfigError


def connect_base_url(region: str | None, connect_url: str | None) -> str:
    """``connect_url`` if given, else ``https://connect.{region}.commercetools.com``."""
    return _base_url("connectUrl", connect_url, region, "https://connect.{region}.commercetools.com")


def auth_base_url(region: str | None, auth_url: str | None) -> str:
    """``auth_url`` (a host; ``/oauth/token`` is appended later) or ``https://auth.{region}...``."""
    return _base_url("authUrl", auth_url, region, "https://auth.{region}.commercetools.com")


def _base_url(name: str, explicit: str | None, region: str | None, template: str) -> str:
    if explicit:
        return check_url(name, explicit.rstrip("/"))
    if not region:
        raise ConfigError(
            f"no {name} and no region: set the target's region (e.g. europe-west1.gcp) or {name}"
        )
    return check_url(name, template.format(region=region))


def is_loopback(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1: the only hosts plain HTTP may reach."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(name: str, url: str) -> str:
    """Accept https anywhere and http only on loopback, so tokens and secrets never travel in clear.

    A URL with user:password is refused (SPEC §1.1) and never shown with them: httpx would send them as
    Basic auth and error messages would print them.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ConfigError(f"{name} is not a valid URL ({url.partition('@')[2] or url!r}); check it") from None
    if "@" in parts.netloc:
        raise ConfigError(
            f"{name} {without_userinfo(url)!r} holds a user name or password; remove them from the URL "
            "(the API client authenticates with credentials.clientId and clientSecret)"
        )
    try:
        host, _ = parts.hostname or "", parts.port
    except ValueError:
        raise ConfigError(
            f"{name} {url!r} has an invalid port; expected e.g. http://127.0.0.1:8080"
        ) from None
    if parts.scheme == "https" and host:
        return url
    if parts.scheme == "http" and is_loopback(host):
        return url
    if parts.scheme == "http":
        raise ConfigError(
            f"{name} {url!r} uses plain http on a host that is not loopback ({host}); "
            "credentials and secrets would travel unencrypted: use https:// (plain http is loopback only)"
        )
    raise ConfigError(
        f"{name} {url!r} is not an http(s) URL with a host; expected e.g. https://connect.<region>..."
    )


def without_userinfo(url: str) -> str:
    """``url`` with anything before ``@`` in its authority replaced by ``***``: safe to print."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unparsable URL)"
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]).geturl()


def segment(value: str) -> str:
    """One URL path segment (a key, id or project key), percent-encoded."""
    return quote(value, safe="")
