"""API representations → the plain live values of ``gitsync.live.state`` (the one place that maps them)."""

from __future__ import annotations

from collections.abc import Iterable

from gitsync.api.models import (
    ApplicationDeployment,
    Connector,
    ConnectorConfigurationApplication,
    ConnectorGlobalConfiguration,
    ConnectorStaged,
    Deployment,
    LiveConfigurationValue,
    StandardConfigurationKey,
)
from gitsync.live.state import (
    BuildReportEntry,
    ConnectorInfo,
    LiveApplication,
    LiveConfiguration,
    LiveDeployment,
)


def live_deployment(deployment: Deployment) -> LiveDeployment:
    """Normalize; a Deployment without a key is addressed as ``id=…`` (it cannot be managed)."""
    glob = deployment.global_configuration
    return LiveDeployment(
        id=deployment.id,
        key=deployment.key if deployment.key is not None else f"id={deployment.id}",
        version=deployment.version,
        status=str(deployment.status),
        connector_id=deployment.connector.id,
        connector_version=deployment.connector.version,
        connector_key=deployment.connector.key,
        region=str(deployment.deployed_region) if deployment.deployed_region else None,
        type=str(deployment.type) if deployment.type else None,
        preview=bool(deployment.preview),
        global_configuration=LiveConfiguration(
            standard=_values(glob.standard_configuration) if glob else {},
            secured=_keys(glob.secured_configuration) if glob else frozenset(),
        ),
        applications={app.application_name: _application(app) for app in deployment.applications},
        rollback_revision=_text(deployment.rollback_revision),
        build_report=build_report(deployment),
        keyless=deployment.key is None,
    )


def build_report(deployment: Deployment) -> tuple[BuildReportEntry, ...]:
    """The entries of a Deployment's latest build report (type, application, title, message)."""
    return tuple(
        BuildReportEntry(str(entry.type), entry.application, entry.title, entry.message)
        for entry in deployment.report_entries
    )


def connector_info(connector: Connector | ConnectorStaged, *, staged: bool = False) -> ConnectorInfo:
    """A connector's identity, version, applications and key defaults."""
    glob = connector.global_configuration
    return ConnectorInfo(
        id=connector.id,
        key=connector.key,
        version=connector.version,
        staged=staged,
        applications=tuple(app.application_name for app in connector.configurations),
        defaults={app.application_name: _app_defaults(app) for app in connector.configurations},
        global_defaults=_defaults(glob.standard_configuration) if glob else {},
        required={app.application_name: _required(app) for app in connector.configurations},
        global_required=_required(glob) if glob else frozenset(),
        schedules=_schedules(connector.configurations),
    )


def _required(section: ConnectorConfigurationApplication | ConnectorGlobalConfiguration) -> frozenset[str]:
    """Keys the connector requires and gives no default; real answers may say ``required: null`` (false)."""
    standard = {key.key for key in section.standard_configuration if key.required and key.default is None}
    return frozenset(standard | {key.key for key in section.secured_configuration if key.required})


def _text(value: int | str | None) -> str | None:
    return None if value is None else str(value)


def _values(values: Iterable[LiveConfigurationValue]) -> dict[str, str]:
    return {value.key: value.value for value in values}


def _keys(values: Iterable[LiveConfigurationValue]) -> frozenset[str]:
    return frozenset(value.key for value in values)


def _application(app: ApplicationDeployment) -> LiveApplication:
    return LiveApplication(
        standard=_values(app.standard_configuration),
        secured=_keys(app.secured_configuration),
        schedule=app.schedule,
    )


def _app_defaults(app: ConnectorConfigurationApplication) -> dict[str, str]:
    return _defaults(app.standard_configuration)


def _schedules(apps: Iterable[ConnectorConfigurationApplication]) -> dict[str, str]:
    """Schedules a connector's answer carries as an extra field (not in the RAML, so not modelled)."""
    found = ((app.application_name, (app.model_extra or {}).get("schedule")) for app in apps)
    return {name: schedule for name, schedule in found if isinstance(schedule, str)}


def _defaults(keys: Iterable[StandardConfigurationKey]) -> dict[str, str]:
    # real responses carry "default": null for keys without one (facts §2.3)
    return {key.key: key.default for key in keys if key.default is not None}
