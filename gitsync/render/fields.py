"""The fields of a Deployment a ``create`` will make, read from its request body (a DeploymentDraft).

A reviewer of a new Deployment wants to see what it will be, as Terraform lists the attributes of a new
resource: connector and version, type, region and each configuration value. Secured values are shown as
``(sensitive)`` whatever the body holds (it holds ``${NAME}`` references, never values). A saved plan may
have been edited by hand, so anything that is not the shape the planner writes is skipped, never a crash.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gitsync.plan.model import Change
from gitsync.secret import SENSITIVE

API_DEFAULT = "API default"


@dataclass(frozen=True)
class Field:
    """One field of the Deployment to create: its path (as in reasons), value and an optional note."""

    path: str
    value: Any
    note: str | None = None


def created_fields(change: Change) -> list[Field]:
    """The fields a create, or the create half of a replace, will set; [] for other actions.

    A replace shows them too: besides the fields that force it, the reviewer sees the whole new Deployment.
    """
    if (
        change.action not in ("create", "replace")
        or change.request is None
        or not isinstance(change.request.body, Mapping)
    ):
        return []
    body = change.request.body
    return [*_connector(body), *_type_and_region(body), *_configurations(body)]


def _connector(body: Mapping[str, Any]) -> Iterator[Field]:
    connector = body.get("connector")
    if not isinstance(connector, Mapping):
        return
    for name in ("key", "id", "version", "staged"):
        if name in connector:
            yield Field(f"connector.{name}", connector[name])


def _type_and_region(body: Mapping[str, Any]) -> Iterator[Field]:
    if "type" in body:
        yield Field("type", body["type"])
    else:
        # the API's default (facts §1.3): preview for a staged connector, sandbox for a published one
        connector = body.get("connector")
        staged = isinstance(connector, Mapping) and connector.get("staged") is True
        yield Field("type", "preview" if staged else "sandbox", API_DEFAULT)
    if "region" in body:
        yield Field("region", body["region"])


def _configurations(body: Mapping[str, Any]) -> Iterator[Field]:
    applications = body.get("configurations")
    for app in applications if isinstance(applications, list) else ():
        if isinstance(app, Mapping) and isinstance(app.get("applicationName"), str):
            prefix = f"configurations.{app['applicationName']}"
            yield from _section(prefix, app)
            if "schedule" in app:
                yield Field(f"{prefix}.schedule", app["schedule"])
    glob = body.get("globalConfiguration")
    if isinstance(glob, Mapping):
        yield from _section("globalConfiguration", glob)


def _section(prefix: str, section: Mapping[str, Any]) -> Iterator[Field]:
    for kind in ("standardConfiguration", "securedConfiguration"):
        entries = section.get(kind)
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, Mapping) and isinstance(entry.get("key"), str):
                value = SENSITIVE if kind == "securedConfiguration" else entry.get("value")
                yield Field(f"{prefix}.{kind}.{entry['key']}", value)
