"""One value per target: everything the planner needs about it, instead of parallel maps keyed by name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gitsync.live.state import ConnectorInfo, ConnectorLookup, LiveDeployment
from gitsync.manifest.model import DesiredDeployment
from gitsync.manifest.target import Target

ConnectorCatalog = Mapping[ConnectorLookup, ConnectorInfo]


@dataclass(frozen=True)
class TargetState:
    """A target, its desired Deployments, its (selected) live ones, and the connectors its manifests name."""

    target: Target
    desired: tuple[DesiredDeployment, ...] = ()
    live: tuple[LiveDeployment, ...] = ()
    connectors: ConnectorCatalog = field(default_factory=dict)
    foreign_keys: frozenset[str] = frozenset()
    """Keys another target of the same project declares: never pruned by this one (SPEC §1.1)."""
