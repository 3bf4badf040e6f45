"""The live state the planner compares against, normalized from the API's representations.

This is the only module of ``gitsync.plan`` that touches API models: the planner sees plain, frozen values.
Secured values come back masked (facts §7), so only their keys are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from gitsync.api.models import (
    ApplicationDeployment,
    Connector,
    ConnectorConfigurationApplication,
    ConnectorStaged,
    Deployment,
    LiveConfigurationValue,
    StandardConfigurationKey,
)
from gitsync.manifest.model import ConnectorRef, connector_label


@dataclass(frozen=True)
class LiveConfiguration:
    """One configuration set as read back: standard values, and only the keys of secured ones."""

    standard: Mapping[str, str] = field(default_factory=dict)
    secured: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LiveApplication:
    """One deployed application's configuration."""

    standard: Mapping[str, str] = field(default_factory=dict)
    secured: frozenset[str] = frozenset()
    schedule: str | None = None


@dataclass(frozen=True)
class LiveDeployment:
    """A live Deployment, reduced to what the plan compares."""

    id: str
    key: str
    version: int
    status: str
    connector_id: str
    connector_version: int
    region: str | None = None
    type: str | None = None
    preview: bool = False
    global_configuration: LiveConfiguration = field(default_factory=LiveConfiguration)
    applications: Mapping[str, LiveApplication] = field(default_factory=dict)
    rollback_revision: str | None = None  # the API's rollbackRevision, where it gives one

    @classmethod
    def from_api(cls, deployment: Deployment) -> LiveDeployment:
        """Normalize; a Deployment without a key is addressed as ``id=…`` (it cannot be managed)."""
        glob = deployment.global_configuration
        return cls(
            id=deployment.id,
            key=deployment.key if deployment.key is not None else f"id={deployment.id}",
            version=deployment.version,
            status=str(deployment.status),
            connector_id=deployment.connector.id,
            connector_version=deployment.connector.version,
            region=str(deployment.deployed_region) if deployment.deployed_region else None,
            type=str(deployment.type) if deployment.type else None,
            preview=bool(deployment.preview),
            global_configuration=LiveConfiguration(
                standard=_values(glob.standard_configuration) if glob else {},
                secured=_keys(glob.secured_configuration) if glob else frozenset(),
            ),
            applications={app.application_name: _application(app) for app in deployment.applications},
            rollback_revision=_text(deployment.rollback_revision),
        )


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


@dataclass(frozen=True)
class ConnectorLookup:
    """How a manifest names its connector: what the reader reads and the planner looks up."""

    identity: str
    """``key=…`` or ``id=…``."""
    staged: bool = False

    @classmethod
    def of(cls, ref: ConnectorRef) -> ConnectorLookup:
        return cls(identity=ref.identity, staged=ref.staged)

    def __str__(self) -> str:
        return connector_label(self.identity, self.staged)


@dataclass(frozen=True)
class ConnectorInfo:
    """A connector's latest state: identity, version, applications and the defaults of its keys."""

    id: str
    key: str | None
    version: int
    staged: bool = False
    applications: tuple[str, ...] = ()
    """Application names in the connector's order."""
    defaults: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """application name → standard key → default value."""
    global_defaults: Mapping[str, str] = field(default_factory=dict)
    error: str | None = None
    """Set when the connector exists but could not be read (403): why, for the Deployments using it."""

    @classmethod
    def unreadable(cls, error: str) -> ConnectorInfo:
        """A connector the API refused to show; only ``error`` is meaningful."""
        return cls(id="", key=None, version=0, error=error)

    @classmethod
    def from_api(cls, connector: Connector | ConnectorStaged, *, staged: bool = False) -> ConnectorInfo:
        glob = connector.global_configuration
        return cls(
            id=connector.id,
            key=connector.key,
            version=connector.version,
            staged=staged,
            applications=tuple(app.application_name for app in connector.configurations),
            defaults={app.application_name: _app_defaults(app) for app in connector.configurations},
            global_defaults=_defaults(glob.standard_configuration) if glob else {},
        )


def _app_defaults(app: ConnectorConfigurationApplication) -> dict[str, str]:
    return _defaults(app.standard_configuration)


def _defaults(keys: Iterable[StandardConfigurationKey]) -> dict[str, str]:
    # real responses carry "default": null for keys without one (facts §2.3)
    return {key.key: key.default for key in keys if key.default is not None}
