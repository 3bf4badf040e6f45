"""The live state the planner compares against: plain, frozen values with no API or pydantic behind them.

``gitsync.live.read`` builds them from the API's representations. Secured values come back masked (facts §7),
so only their keys are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gitsync.manifest.model import ConnectorRef, connector_label
from gitsync.statuses import BUSY_STATUSES, DeploymentStatus

__all__ = [
    "BUSY_STATUSES",
    "BuildReportEntry",
    "ConnectorInfo",
    "ConnectorLookup",
    "DeploymentStatus",
    "LiveApplication",
    "LiveConfiguration",
    "LiveDeployment",
]


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
class BuildReportEntry:
    """One information, warning or error of a Deployment's latest build: what apply shows when it fails."""

    type: str
    application: str | None = None
    title: str | None = None
    message: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "type": self.type,
            "application": self.application,
            "title": self.title,
            "message": self.message,
        }


@dataclass(frozen=True)
class LiveDeployment:
    """A live Deployment, reduced to what the plan compares (and apply reports)."""

    id: str
    key: str
    version: int
    status: str
    connector_id: str
    connector_version: int
    region: str | None = None
    connector_key: str | None = None
    """Real responses may omit it (facts §1.2); shown to a reviewer of a delete, never compared."""
    type: str | None = None
    preview: bool = False
    global_configuration: LiveConfiguration = field(default_factory=LiveConfiguration)
    applications: Mapping[str, LiveApplication] = field(default_factory=dict)
    rollback_revision: str | None = None  # the API's rollbackRevision, where it gives one
    build_report: tuple[BuildReportEntry, ...] = ()
    """The latest build's report entries; empty before a build starts."""
    keyless: bool = False
    """The API answer had no key (``key`` is then ``id=…``): gitsync can neither manage nor import it."""

    @property
    def busy(self) -> bool:
        """Being deployed or undeployed: apply waits for it to settle before acting."""
        return self.status in BUSY_STATUSES


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
    required: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """application name → keys it requires with no default (standard and secured): a create must set them."""
    global_required: frozenset[str] = frozenset()
    schedules: Mapping[str, str] = field(default_factory=dict)
    """application name → the schedule the connector's answer declares, where it carries one (the RAML
    has none, so usually empty): import leaves a job's schedule out when it is the connector's own."""
    error: str | None = None
    """Set when the connector exists but could not be read (403): why, for the Deployments using it."""

    @classmethod
    def unreadable(cls, error: str) -> ConnectorInfo:
        """A connector the API refused to show; only ``error`` is meaningful."""
        return cls(id="", key=None, version=0, error=error)
