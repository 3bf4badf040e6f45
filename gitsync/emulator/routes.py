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
    return Route(template, handlers, re.compile(f"^{regex}$"))


# Order matters: literal segments (drafts, key=) before the {id} catch-alls.
ROUTES = (
    _route("/oauth/token", POST="token"),
    _route("/connectors/drafts/key={key}", GET="connector"),
    _route("/connectors/drafts/{id}", GET="connector"),
    _route("/connectors/key={key}", GET="connector"),
    _route("/connectors/{id}", GET="connector"),
    _route("/{projectKey}/deployments", GET="query", POST="create"),
    _route("/{projectKey}/deployments/key={key}/logs", GET="logs"),
    _route("/{projectKey}/deployments/{id}/logs", GET="logs"),
    _route("/{projectKey}/deployments/key={key}", GET="get", POST="update", DELETE="delete"),
    _route("/{projectKey}/deployments/{id}", GET="get", POST="update", DELETE="delete"),
)


def match(path: str) -> tuple[Route, dict[str, str]] | None:
    """The route a path belongs to and its parameters, or None."""
    for route in ROUTES:
        found = route.pattern.match(path)
        if found:
            return route, found.groupdict()
    return None
