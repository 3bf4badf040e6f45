"""A live Deployment and its connector → the manifest document that plans as ``noop`` against it.

Field order follows the SPEC §1.2 example. What makes the plan right after an import all ``noop``: the
connector is named by the key read from the connector itself (a Deployment's own answer may lack
``connector.key``, facts §1.2), else by id; its version is pinned to the live one; ``staged`` follows the
live ``preview``; ``type`` and ``region`` are the live ones; standard values are copied with ``${`` escaped
as ``$${``; secured values (masked, facts §7) become ``${NAME}`` references (``names``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from gitsync.adopt.names import NameBook
from gitsync.adopt.yamltext import Flow
from gitsync.live.state import ConnectorInfo, LiveApplication, LiveDeployment

Document = dict[str, Any]


def escape_literal(value: str) -> str:
    """A live value as a manifest value: ``${`` is interpolation there, so a literal one is ``$${``."""
    return value.replace("${", "$${")


def manifest_document(
    deployment: LiveDeployment, connector: ConnectorInfo, target: str, names: NameBook
) -> Document:
    """The manifest of ``deployment`` (which must have a key); ``names`` hands out the variables."""
    key = deployment.key
    document: Document = {"key": key, "connector": _connector(deployment, connector)}
    if deployment.type is not None:
        document["type"] = deployment.type
    if deployment.region is not None:
        document["region"] = deployment.region
    glob = deployment.global_configuration
    sections = _sections(glob.standard, glob.secured, target, key, None, names)
    if sections:
        document["globalConfiguration"] = sections
    applications = [
        entry
        for name, app in deployment.applications.items()
        if (entry := _application(name, app, connector.schedules.get(name), target, key, names))
    ]
    if applications:
        document["configurations"] = applications
    return document


def _connector(deployment: LiveDeployment, connector: ConnectorInfo) -> Document:
    reference: Document = {"key": connector.key} if connector.key else {"id": deployment.connector_id}
    reference["version"] = deployment.connector_version
    if deployment.preview:
        reference["staged"] = True  # a preview Deployment runs a ConnectorStaged
    return reference


def _application(
    name: str, app: LiveApplication, declared: str | None, target: str, key: str, names: NameBook
) -> Document:
    """One application's entry, or ``{}`` when it holds nothing to write."""
    sections = _sections(app.standard, app.secured, target, key, name, names)
    # the connector's own schedule shows on the job too; written only when it is this Deployment's own
    schedule = app.schedule if app.schedule is not None and app.schedule != declared else None
    if not sections and schedule is None:
        return {}
    entry: Document = {"applicationName": name}
    if schedule is not None:
        entry["schedule"] = escape_literal(schedule)
    return {**entry, **sections}


def _sections(
    standard: Mapping[str, str],
    secured: Collection[str],
    target: str,
    key: str,
    application: str | None,
    names: NameBook,
) -> Document:
    """The ``standardConfiguration`` / ``securedConfiguration`` lists (entries by key), where set."""
    sections: Document = {}
    if standard:
        sections["standardConfiguration"] = [
            Flow(key=name, value=escape_literal(standard[name])) for name in sorted(standard)
        ]
    if secured:  # the values are masked: only the keys are known
        sections["securedConfiguration"] = [
            Flow(key=name, value="${" + names.claim(target, key, application, name) + "}")
            for name in sorted(secured)
        ]
    return sections
