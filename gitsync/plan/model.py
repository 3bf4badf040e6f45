"""The plan: one frozen ``Change`` per Deployment, grouped in a ``Plan``.

``Plan.to_dict()`` is the single source of the JSON output, the saved plan file and its checksum
(SPEC §3.1); renderers read plans, never build them. A plan holds no secret value: secured values appear
only as their ``${NAME}`` reference (in requests, each marked by a ``SecretRef``) or ``(sensitive)`` (in
reasons).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, cast

from gitsync.errors import PlanFileError
from gitsync.plan.removes import Removed

FORMAT_VERSION = 2
"""2: requests mark their secured values (``secrets``); a plan of format 1 had none, so it is refused."""

Action = Literal["create", "redeploy", "replace", "delete", "noop", "wait", "unmanaged", "error"]
ACTIONS: tuple[Action, ...] = (
    "create",
    "redeploy",
    "replace",
    "delete",
    "noop",
    "wait",
    "unmanaged",
    "error",
)
CHANGING_ACTIONS: frozenset[Action] = frozenset({"create", "redeploy", "replace", "delete"})
DESTRUCTIVE_ACTIONS: frozenset[Action] = frozenset({"replace", "delete"})


@dataclass(frozen=True)
class Reason:
    """Why a change happens: a field path with its live (``before``) and desired (``after``) value."""

    path: str
    before: Any = None
    after: Any = None
    note: str | None = None
    """e.g. ``forces replacement``, ``status Failed``, ``requested with --redeploy``."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "before": self.before, "after": self.after}
        if self.note is not None:
            data["note"] = self.note
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reason:
        return cls(
            path=data["path"], before=data.get("before"), after=data.get("after"), note=data.get("note")
        )


@dataclass(frozen=True)
class LiveState:
    """What the plan saw live; a saved plan is stale when this no longer matches (SPEC §3.2)."""

    id: str
    version: int
    status: str
    # shown, never compared (a saved plan is not stale for it): the revision a rollback restored
    rollback_revision: str | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "version": self.version, "status": self.status}
        if self.rollback_revision is not None:
            data["rollbackRevision"] = self.rollback_revision
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LiveState:
        revision = data.get("rollbackRevision")
        return cls(
            id=data["id"],
            version=int(data["version"]),
            status=data["status"],
            rollback_revision=None if revision is None else str(revision),
        )


@dataclass(frozen=True)
class SecretRef:
    """One secured value of a request body: where it goes, which variable apply reveals, where it is written.

    The marking, not the ``${NAME}`` text at ``pointer``, says what is secured: a standard value written
    ``$${X}`` is the literal ``${X}`` and is sent as such (SPEC §1).
    """

    pointer: str
    """RFC 6901 JSON Pointer into the body, e.g. ``/configurations/0/securedConfiguration/1/value``."""
    name: str
    """The variable apply reveals at ``pointer`` (the body holds ``${name}`` there, for display)."""
    file: str
    line: int
    col: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "pointer": self.pointer,
            "name": self.name,
            "file": self.file,
            "line": self.line,
            "col": self.col,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SecretRef:
        return cls(
            pointer=data["pointer"], name=data["name"], file=data["file"], line=data["line"], col=data["col"]
        )


@dataclass(frozen=True)
class Request:
    """One HTTP call apply will send; each secured value in ``body`` is ``${NAME}``, marked in ``secrets``."""

    method: str
    path: str
    body: Mapping[str, Any] | None = None
    secrets: tuple[SecretRef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"method": self.method, "path": self.path}
        if self.body is not None:
            data["body"] = self.body
            data["secrets"] = [ref.to_dict() for ref in self.secrets]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Request:
        secrets = tuple(SecretRef.from_dict(ref) for ref in data.get("secrets", ()))
        return cls(method=data["method"], path=data["path"], body=data.get("body"), secrets=secrets)


@dataclass(frozen=True)
class Change:
    """The one action planned for one Deployment of one target."""

    target: str
    key: str
    action: Action
    source: str | None = None
    """The manifest that declares it (None for unmanaged and deletes)."""
    live: LiveState | None = None
    reasons: tuple[Reason, ...] = ()
    request: Request | None = None
    """The call that realises the change: create (also for replace), redeploy update, or delete."""
    delete_request: Request | None = None
    """replace only: the delete sent (and waited for) before ``request``."""
    error: str | None = None
    """action ``error`` only: why it cannot be applied, and what to do."""
    manifest_digest: str | None = None
    """sha256 of the manifest file as planned; apply --plan refuses the change if it differs."""
    removes: Removed | None = None
    """delete and replace: the live Deployment that goes away (older saved plans lack it: optional)."""

    @property
    def is_change(self) -> bool:
        return self.action in CHANGING_ACTIONS

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"target": self.target, "key": self.key, "action": self.action}
        data["source"] = self.source
        data["live"] = self.live.to_dict() if self.live else None
        data["reasons"] = [reason.to_dict() for reason in self.reasons]
        data["request"] = self.request.to_dict() if self.request else None
        if self.delete_request is not None:
            data["deleteRequest"] = self.delete_request.to_dict()
        if self.error is not None:
            data["error"] = self.error
        data["manifestDigest"] = self.manifest_digest
        if self.removes is not None:
            data["removes"] = self.removes.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Change:
        action = data["action"]
        if action not in ACTIONS:
            raise PlanFileError(f"unknown action {action!r} for deployment {data.get('key')!r}")
        return cls(
            target=data["target"],
            key=data["key"],
            action=cast(Action, action),
            source=data.get("source"),
            live=LiveState.from_dict(data["live"]) if data.get("live") else None,
            reasons=tuple(Reason.from_dict(reason) for reason in data.get("reasons", ())),
            request=Request.from_dict(data["request"]) if data.get("request") else None,
            delete_request=Request.from_dict(data["deleteRequest"]) if data.get("deleteRequest") else None,
            error=data.get("error"),
            manifest_digest=data.get("manifestDigest"),
            removes=Removed.from_dict(data["removes"]) if data.get("removes") is not None else None,
        )


@dataclass(frozen=True)
class TargetInfo:
    name: str
    project_key: str
    region: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "projectKey": self.project_key, "region": self.region}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TargetInfo:
        return cls(name=data["name"], project_key=data["projectKey"], region=data["region"])


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Plan:
    """Every selected target's changes, in a stable order (target as configured, then key)."""

    targets: tuple[TargetInfo, ...]
    changes: tuple[Change, ...]
    created_at: str = field(default_factory=_now)

    @property
    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(ACTIONS, 0)
        for change in self.changes:
            counts[change.action] += 1
        return counts

    @property
    def has_changes(self) -> bool:
        return any(change.is_change for change in self.changes)

    @property
    def has_errors(self) -> bool:
        return any(change.action == "error" for change in self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "formatVersion": FORMAT_VERSION,
            "createdAt": self.created_at,
            "targets": [target.to_dict() for target in self.targets],
            "summary": self.summary,
            "changes": [change.to_dict() for change in self.changes],
        }

    def checksum(self) -> str:
        """sha256 over everything but ``createdAt``: the same plan always has the same checksum."""
        data = self.to_dict()
        del data["createdAt"]
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        version = data.get("formatVersion")
        if type(version) is not int or version != FORMAT_VERSION:  # true == 1 in Python
            raise PlanFileError(
                f"this plan has formatVersion {version!r}, this gitsync reads {FORMAT_VERSION}; "
                "run `gitsync plan --out FILE` again with this version"
            )
        # a missing field is a KeyError: load_plan turns it, and every other damage, into a PlanFileError
        return cls(
            targets=tuple(TargetInfo.from_dict(target) for target in data["targets"]),
            changes=tuple(Change.from_dict(change) for change in data["changes"]),
            created_at=data["createdAt"],
        )
