"""What a delete or replace takes away: the live Deployment as it stands, recorded in the plan.

A reviewer deciding whether a merge may delete a payment connector needs to see which connector, version,
type, region and configuration go away, as Terraform lists every attribute of a destroyed resource. The
planner records it from the live state (pure: no call); a saved plan carries it. Secured values come back
masked (facts §7), so only their keys are recorded: never a value.

Within formatVersion 2 the field is optional (plans saved before it still load); a present but damaged one
is a ``PlanFileError``, never a crash.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gitsync.errors import PlanFileError
from gitsync.live.state import LiveDeployment


@dataclass(frozen=True)
class Removed:
    """The live Deployment a delete or replace removes; paths are those of reasons and created fields."""

    connector_id: str
    connector_version: int
    connector_key: str | None = None
    staged: bool = False
    type: str | None = None
    region: str | None = None
    standard: tuple[tuple[str, str], ...] = ()
    """(path, value) of each standard value and schedule; paths as in reasons (``globalConfiguration.…``)."""
    secured: tuple[str, ...] = ()
    """Paths of the secured keys: the values are masked live and never recorded."""

    def to_dict(self) -> dict[str, Any]:
        connector: dict[str, Any] = {"id": self.connector_id, "key": self.connector_key}
        connector |= {"version": self.connector_version, "staged": self.staged}
        return {
            "connector": connector,
            "type": self.type,
            "region": self.region,
            "standardConfiguration": dict(self.standard),
            "securedKeys": list(self.secured),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Removed:
        """Read back strictly: a saved plan may have been edited by hand."""
        where = "removes"
        connector = _mapping(_mapping(data, where).get("connector"), f"{where}.connector")
        standard = _mapping(data.get("standardConfiguration", {}), f"{where}.standardConfiguration")
        secured = data.get("securedKeys", [])
        if not isinstance(secured, list) or not all(isinstance(key, str) for key in secured):
            raise PlanFileError(f"{where}.securedKeys is not a list of text")
        if not all(isinstance(value, str) for value in standard.values()):
            raise PlanFileError(f"{where}.standardConfiguration holds a value that is not text")
        version = connector.get("version")
        if type(version) is not int or type(connector.get("staged", False)) is not bool:
            raise PlanFileError(f"{where}.connector.version is not a whole number, or staged not true/false")
        return cls(
            connector_id=_text(connector.get("id"), f"{where}.connector.id"),
            connector_version=version,
            connector_key=_optional_text(connector.get("key"), f"{where}.connector.key"),
            staged=connector.get("staged", False),
            type=_optional_text(data.get("type"), f"{where}.type"),
            region=_optional_text(data.get("region"), f"{where}.region"),
            standard=tuple(standard.items()),
            secured=tuple(secured),
        )


def removed_from(live: LiveDeployment) -> Removed:
    """What deleting ``live`` takes away, in the paths the planner's reasons use."""
    standard: list[tuple[str, str]] = []
    secured: list[str] = []
    for name, app in sorted(live.applications.items()):
        prefix = f"configurations.{name}"
        standard += [(f"{prefix}.standardConfiguration.{k}", v) for k, v in sorted(app.standard.items())]
        secured += [f"{prefix}.securedConfiguration.{key}" for key in sorted(app.secured)]
        if app.schedule is not None:
            standard.append((f"{prefix}.schedule", app.schedule))
    glob = live.global_configuration
    standard += [
        (f"globalConfiguration.standardConfiguration.{k}", v) for k, v in sorted(glob.standard.items())
    ]
    secured += [f"globalConfiguration.securedConfiguration.{key}" for key in sorted(glob.secured)]
    return Removed(
        connector_id=live.connector_id,
        connector_version=live.connector_version,
        connector_key=live.connector_key,
        staged=live.preview,
        type=live.type,
        region=live.region,
        standard=tuple(standard),
        secured=tuple(secured),
    )


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PlanFileError(f"{where} is not an object")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise PlanFileError(f"{where} is not text")
    return value


def _optional_text(value: Any, where: str) -> str | None:
    return None if value is None else _text(value, where)
