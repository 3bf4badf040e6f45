"""The API's routes as templates, so stats count requests by route (``GET /{projectKey}/deployments``)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    """One route template, the methods it answers and the handler name for each."""

    template: str
    handlers: dict[str, str]
    pattern: re.Pattern[str]


def _route(template: str, **handlers: str) -> Route:
    regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return Route(template, handlers, re.compile(regex))


# Order matters: literal segments (drafts, key=) before the {id} catch-alls.
ROUTES = (
    _route("/oauth/token", POST="token"),
    # API routes the emulator does not serve (facts §2.1): answered as such, never as "no connector 'drafts'"
    _route("/connectors/drafts", GET="unserved", POST="unserved"),
    _route("/connectors/search", GET="unserved"),
    _route("/connectors/drafts/key={key}", GET="connector", POST="unserved", DELETE="unserved"),
    _route("/connectors/drafts/{id}", GET="connector", POST="unserved", DELETE="unserved"),
    _route("/connectors/key={key}", GET="connector"),
    _route("/connectors/{id}", GET="connector"),
    _route("/{projectKey}/deployments", GET="query", POST="create"),
    _route("/{projectKey}/deployments/key={key}/logs", GET="logs"),
    _route("/{projectKey}/deployments/{id}/logs", GET="logs"),
    _route("/{projectKey}/deployments/key={key}/revisions", GET="revisions"),
    _route("/{projectKey}/deployments/{id}/revisions", GET="revisions"),
    # UNCONFIRMED rollback route: POST on the revision (default) or on …/rollback (--rollback-route rollback)
    _route("/{projectKey}/deployments/key={key}/revisions/{revision}/rollback", POST="rollback"),
    _route("/{projectKey}/deployments/{id}/revisions/{revision}/rollback", POST="rollback"),
    _route("/{projectKey}/deployments/key={key}/revisions/{revision}", GET="revision", POST="rollback"),
    _route("/{projectKey}/deployments/{id}/revisions/{revision}", GET="revision", POST="rollback"),
    _route("/{projectKey}/deployments/key={key}", GET="get", POST="update", DELETE="delete"),
    _route("/{projectKey}/deployments/{id}", GET="get", POST="update", DELETE="delete"),
)


def match(path: str) -> tuple[Route, dict[str, str]] | None:
    """The route a path belongs to and its parameters, or None."""
    for route in ROUTES:
        found = route.pattern.fullmatch(path)  # not match with $: that also ends before a final newline
        if found:
            return route, found.groupdict()
    return None
