"""A live Deployment and its connector → the manifest document that plans as ``noop`` against it.

Field order follows the SPEC §1.2 example. What makes the plan right after an import all ``noop``: the
connector is named by the key read from the connector itself (a Deployment's own answer may lack
``connector.key``, facts §1.2), else by id; its version is pinned to the live one; ``staged`` follows the
live ``preview``; ``type`` and ``region`` are the live ones; standard values are copied with ``${`` escaped
as ``$${``; secured values (masked, facts §7) become ``${NAME}`` references (``names``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gitsync.adopt.names import NameBook
from gitsync.api.models import (
    ApplicationDeployment,
    Connector,
    Deployment,
    LiveConfigurationValue,
    LiveGlobalConfiguration,
)

Document = dict[str, Any]


def escape_literal(value: str) -> str:
    """A live value as a manifest value: ``${`` is interpolation there, so a literal one is ``$${``."""
    return value.replace("${", "$${")


def manifest_document(deployment: Deployment, connector: Connector, target: str, names: NameBook) -> Document:
    """The manifest of ``deployment`` (which must have a key); ``names`` hands out the variables."""
    key = str(deployment.key)
    document: Document = {"key": key, "connector": _connector(deployment, connector)}
    if deployment.type is not None:
        document["type"] = str(deployment.type)
    if deployment.deployed_region is not None:
        document["region"] = str(deployment.deployed_region)
    glob = _global(deployment.global_configuration, target, key, names)
    if glob:
        document["globalConfiguration"] = glob
    schedules = _connector_schedules(connector)
    applications = [
        entry
        for app in deployment.applications
        if (entry := _application(app, schedules.get(app.application_name), target, key, names))
    ]
    if applications:
        document["configurations"] = applications
    return document


def _connector(deployment: Deployment, connector: Connector) -> Document:
    reference: Document = {"key": connector.key} if connector.key else {"id": deployment.connector.id}
    reference["version"] = deployment.connector.version
    if deployment.preview:
        reference["staged"] = True  # a preview Deployment runs a ConnectorStaged
    return reference


def _global(glob: LiveGlobalConfiguration | None, target: str, key: str, names: NameBook) -> Document:
    if glob is None:
        return {}
    return _sections(glob.standard_configuration, glob.secured_configuration, target, key, None, names)


def _application(
    app: ApplicationDeployment, declared: str | None, target: str, key: str, names: NameBook
) -> Document:
    """One application's entry, or ``{}`` when it holds nothing to write."""
    name = app.application_name
    sections = _sections(app.standard_configuration, app.secured_configuration, target, key, name, names)
    # the connector's own schedule shows on the job too; written only when it is this Deployment's own
    schedule = app.schedule if app.schedule is not None and app.schedule != declared else None
    if not sections and schedule is None:
        return {}
    entry: Document = {"applicationName": name}
    if schedule is not None:
        entry["schedule"] = escape_literal(schedule)
    return {**entry, **sections}


def _sections(
    standard: Sequence[LiveConfigurationValue],
    secured: Sequence[LiveConfigurationValue],
    target: str,
    key: str,
    application: str | None,
    names: NameBook,
) -> Document:
    sections: Document = {}
    if standard:
        entries = sorted(standard, key=lambda value: value.key)
        sections["standardConfiguration"] = [
            {"key": value.key, "value": escape_literal(value.value)} for value in entries
        ]
    if secured:
        keys = sorted(value.key for value in secured)  # the values are masked: never read
        sections["securedConfiguration"] = [
            {"key": name, "value": "${" + names.claim(target, key, application, name) + "}"} for name in keys
        ]
    return sections


def _connector_schedules(connector: Connector) -> dict[str, str]:
    """Schedules the connector declares, where its answer carries one (the RAML has none: usually empty)."""
    schedules = {}
    for app in connector.configurations:
        schedule = (app.model_extra or {}).get("schedule")
        if isinstance(schedule, str):
            schedules[app.application_name] = schedule
    return schedules
