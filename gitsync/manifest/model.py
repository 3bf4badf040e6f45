"""The desired state: what the manifests and gitsync.yaml say, validated and typed.

This is the contract between loading (``gitsync.manifest``) and planning (``gitsync.plan``). Values are
already interpolated where the plan needs them: standard values and schedules are plain strings; secured
values are ``Secret`` (reference kept for plans, value only for the request builder). Field names follow
the API's vocabulary in snake_case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from gitsync.secret import Secret

DeploymentType = Literal["preview", "sandbox", "production"]
ConnectorVersion = int | Literal["latest"] | None


class Position(NamedTuple):
    """Where a node stands in a file; ``line`` and ``col`` are 1-based."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class ConnectorRef:
    """The manifest's ``connector``: exactly one of ``key`` / ``id``."""

    key: str | None = None
    id: str | None = None
    version: ConnectorVersion = None
    staged: bool = False

    @property
    def identity(self) -> str:
        return f"key={self.key}" if self.key is not None else f"id={self.id}"


def connector_label(identity: str, staged: bool, *, explicit: bool = False) -> str:
    """The one way a connector reference is named in messages: ``staged connector key=x``.

    ``explicit`` names both kinds (``staged connector (draft)`` / ``published connector``): for "does not
    exist", where the likely mistake is the kind itself.
    """
    if explicit:
        kind = "staged connector (draft)" if staged else "published connector"
    else:
        kind = "staged connector" if staged else "connector"
    return f"{kind} {identity}"


@dataclass(frozen=True)
class ConfigurationSet:
    """One ``standardConfiguration`` / ``securedConfiguration`` pair, as key → value maps."""

    standard: Mapping[str, str] = field(default_factory=dict)
    secured: Mapping[str, Secret] = field(default_factory=dict)
    secured_at: Mapping[str, Position] = field(default_factory=dict, compare=False)
    """Where each secured value is written: a plan marks it, apply names it when it cannot be revealed."""


@dataclass(frozen=True)
class ApplicationConfiguration:
    """One entry of ``configurations``."""

    application_name: str
    values: ConfigurationSet = field(default_factory=ConfigurationSet)
    schedule: str | None = None


@dataclass(frozen=True)
class Lifecycle:
    """gitsync-only settings; never sent to the API (``skipScripts`` excepted, on redeploy)."""

    prevent_destroy: bool = False
    skip_scripts: bool = False


@dataclass(frozen=True)
class DesiredDeployment:
    """One manifest, interpolated: what one Deployment should be."""

    key: str
    connector: ConnectorRef
    region: str
    type: DeploymentType | None = None
    global_configuration: ConfigurationSet | None = None
    configurations: tuple[ApplicationConfiguration, ...] = ()
    lifecycle: Lifecycle = field(default_factory=Lifecycle)
    source: str = ""
    """The manifest path as the user wrote it or relative to gitsync.yaml, for messages and plans."""
    position: Position | None = None
    """Where ``key`` stands in the manifest."""
    digest: str = ""
    """sha256 of the manifest file's bytes: saved plans record it to detect edits after review."""
