"""One target's live Deployments → manifest documents, and a line for each one it cannot express.

What cannot become a manifest is reported, never dropped silently (issue 11): a Deployment without a key
(gitsync addresses Deployments by key) or one being deleted (``Undeploying``) is skipped with a warning; a
busy or failed one is imported with a note saying what the plan will show; a connector that cannot be read
is an error for its Deployment, and the others are still imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from gitsync.adopt.document import Document, manifest_document
from gitsync.adopt.names import NameBook
from gitsync.adopt.read import read_all, read_by_key, read_connector_by_id
from gitsync.api.client import ConnectClient
from gitsync.live.state import ConnectorInfo, DeploymentStatus, LiveDeployment
from gitsync.selection import key_selected

_GLOB_CHARACTERS = frozenset("*?[")
KNOWN_STATUSES = frozenset(DeploymentStatus)
_NOTES: dict[str, str] = {
    DeploymentStatus.QUEUED: "is Queued: imported as it will be; plan shows `wait` until it settles",
    DeploymentStatus.DEPLOYING: "is Deploying: imported as it will be; plan shows `wait` until it settles",
    DeploymentStatus.FAILED: "is Failed: imported; plan proposes a redeploy to recover it",
    DeploymentStatus.UNDEPLOY_FAILED: "is UndeployFailed: imported; plan proposes a redeploy to recover it",
}


@dataclass(frozen=True)
class Message:
    """A line for the user about one Deployment: a note (imported anyway), a warning (skipped), an error."""

    level: str  # "note" | "warning" | "error"
    target: str
    key: str
    text: str

    def __str__(self) -> str:
        return f"{self.level}: {self.target}/{self.key}: {self.text}"


@dataclass(frozen=True)
class Adopted:
    """One Deployment as a manifest document, and the connector key its modeline may point at."""

    target: str
    key: str
    document: Document
    connector_key: str | None


@dataclass
class TargetImport:
    """What importing one target gave: documents, messages, and which KEYS globs matched something."""

    adopted: list[Adopted] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    matched: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Selection:
    """Which keys to import: KEYS globs (none: every Deployment), then --only / --exclude."""

    keys: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @property
    def literal(self) -> bool:
        """Every KEY is an exact key, so each is read by key instead of listing the project."""
        return bool(self.keys) and not any(_GLOB_CHARACTERS & set(key) for key in self.keys)


def import_target(target: str, client: ConnectClient, selection: Selection, names: NameBook) -> TargetImport:
    """Read the selected Deployments of one target and turn each into a manifest document, sorted by key."""
    result = TargetImport()
    deployments = _selected(_read(client, selection), selection, result)
    connectors: dict[tuple[str, bool], ConnectorInfo | str] = {}
    for deployment in deployments:
        key = deployment.key
        skip = _skip_reason(deployment)
        if skip is not None:
            result.messages.append(Message("warning", target, key, skip))
            continue
        lookup = (deployment.connector_id, deployment.preview)
        if lookup not in connectors:
            connectors[lookup] = read_connector_by_id(client, lookup[0], staged=lookup[1])
        connector = connectors[lookup]
        if isinstance(connector, str):
            result.messages.append(Message("error", target, key, f"not imported: {connector}"))
            continue
        note = _status_note(deployment.status)
        if note is not None:
            result.messages.append(Message("note", target, key, note))
        document = manifest_document(deployment, connector, target, names)
        result.adopted.append(Adopted(target, key, document, connector.key))
    return result


def _read(client: ConnectClient, selection: Selection) -> list[LiveDeployment]:
    if not selection.literal:
        return list(read_all(client))
    found = (read_by_key(client, key) for key in dict.fromkeys(selection.keys))
    return [deployment for deployment in found if deployment is not None]


def _selected(
    deployments: Sequence[LiveDeployment], selection: Selection, result: TargetImport
) -> list[LiveDeployment]:
    """The Deployments KEYS, --only and --exclude select; a keyless one only when no KEYS are named."""
    chosen = []
    for deployment in deployments:
        key = deployment.key
        if deployment.keyless:
            if not selection.keys and not selection.only:
                chosen.append(deployment)
            continue
        matching = [glob for glob in selection.keys if fnmatchcase(key, glob)]
        result.matched.update(matching)
        if (matching or not selection.keys) and key_selected(key, selection.only, selection.exclude):
            chosen.append(deployment)
    return sorted(chosen, key=lambda deployment: (deployment.keyless, deployment.key))


def _skip_reason(deployment: LiveDeployment) -> str | None:
    if deployment.keyless:
        return (
            "has no key, and gitsync addresses Deployments by key: not imported; it stays listed as unmanaged"
        )
    if deployment.status == DeploymentStatus.UNDEPLOYING:
        return "is Undeploying (being deleted): not imported; import it again if the delete fails"
    return None


def _status_note(status: str) -> str | None:
    """What the plan will show for a status that is not ``Deployed``, or None when there is nothing to say."""
    if status not in KNOWN_STATUSES:
        return f"has status {status!r}, unknown to gitsync: imported; plan reports it as an error"
    return _NOTES.get(status)
