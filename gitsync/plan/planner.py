"""The planner: desired Deployments + live state + connectors → a ``Plan`` (SPEC §3). Pure: no I/O.

Each Deployment gets exactly one action. The order of the rules matters: a connector that cannot be
found is an error; a missing live Deployment is a create; a busy one waits; an immutable difference is a
replace (or an error when protected); else the connector version, status, configuration and
``--redeploy`` decide between redeploy and noop.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from fnmatch import fnmatchcase

from gitsync.api.models import BUSY_STATUSES, DeploymentStatus
from gitsync.manifest.model import ConnectorVersion, DesiredDeployment, Target
from gitsync.plan.compare import configuration_reasons
from gitsync.plan.live import ConnectorInfo, ConnectorLookup, LiveDeployment
from gitsync.plan.model import Change, LiveState, Plan, Reason, TargetInfo
from gitsync.plan.requests import create_request, delete_request, redeploy_request

FAILED_STATUSES = frozenset({DeploymentStatus.FAILED, DeploymentStatus.UNDEPLOY_FAILED})
# DeploymentStatus (facts §1.6). Any other status is new to gitsync: acting on it could be wrong, so it is
# an error until gitsync learns it.
KNOWN_STATUSES = frozenset(DeploymentStatus)
FORCES_REPLACEMENT = "forces replacement"

ConnectorCatalog = Mapping[ConnectorLookup, ConnectorInfo]


def build_plan(
    targets: Sequence[Target],
    desired_by_target: Mapping[str, Sequence[DesiredDeployment]],
    live_by_target: Mapping[str, Sequence[LiveDeployment]],
    connectors: Mapping[str, ConnectorCatalog],
    *,
    redeploy_keys: Collection[str] = (),
    created_at: str | None = None,
) -> Plan:
    """One plan over every target, in target order then key; ``connectors`` is per target name."""
    changes: list[Change] = []
    for target in targets:
        changes += plan_target(
            target,
            desired_by_target.get(target.name, ()),
            live_by_target.get(target.name, ()),
            connectors.get(target.name, {}),
            redeploy_keys=redeploy_keys,
        )
    infos = tuple(TargetInfo(target.name, target.project_key, target.region) for target in targets)
    if created_at is None:
        return Plan(targets=infos, changes=tuple(changes))
    return Plan(targets=infos, changes=tuple(changes), created_at=created_at)


def plan_target(
    target: Target,
    desired: Sequence[DesiredDeployment],
    live: Sequence[LiveDeployment],
    connectors: ConnectorCatalog,
    *,
    redeploy_keys: Collection[str] = (),
) -> list[Change]:
    """The changes of one target, sorted by key."""
    live_by_key = {deployment.key: deployment for deployment in live}
    changes = [
        plan_deployment(
            target,
            deployment,
            live_by_key.get(deployment.key),
            connectors.get(ConnectorLookup.of(deployment.connector)),
            force_redeploy=deployment.key in redeploy_keys,
        )
        for deployment in desired
    ]
    declared = {deployment.key for deployment in desired}
    changes += [plan_orphan(target, deployment) for deployment in live if deployment.key not in declared]
    return sorted(changes, key=lambda change: change.key)


def plan_deployment(
    target: Target,
    desired: DesiredDeployment,
    live: LiveDeployment | None,
    connector: ConnectorInfo | None,
    *,
    force_redeploy: bool = False,
) -> Change:
    """The one action for a Deployment that a manifest declares."""
    base = Change(
        target=target.name,
        key=desired.key,
        action="noop",
        source=desired.source,
        live=_live_state(live),
        manifest_digest=desired.digest,
    )
    if connector is None or connector.error is not None:
        error = connector.error if connector is not None else None
        return dataclasses.replace(base, action="error", error=error or _connector_missing(desired))
    if live is None:
        return _create(base, target, desired, connector)
    unsettled = _unsettled(base, live)
    if unsettled is not None:
        return unsettled
    immutable = _immutable_reasons(desired, live, connector)
    if immutable:
        return _replace(base, target, desired, connector, immutable)
    return _update(base, target, desired, live, connector, force_redeploy)


def plan_orphan(target: Target, live: LiveDeployment) -> Change:
    """A live Deployment no manifest declares: delete when the target prunes, else unmanaged."""
    base = Change(target=target.name, key=live.key, action="unmanaged", live=_live_state(live))
    # a Deployment without a key cannot be addressed by key: never touched
    if not target.prune or live.key.startswith("id="):
        return base
    unsettled = _unsettled(base, live)
    if unsettled is not None:
        return unsettled
    reasons = (Reason(path="manifest", before=live.key, after=None, note="no manifest; the target prunes"),)
    guard = _guard(target, live.key, None, "delete")
    if guard is not None:
        return dataclasses.replace(base, action="error", reasons=reasons, error=guard)
    request = delete_request(target.project_key, live.key)
    return dataclasses.replace(base, action="delete", reasons=reasons, request=request)


def _live_state(live: LiveDeployment | None) -> LiveState | None:
    return LiveState(id=live.id, version=live.version, status=live.status) if live else None


def _unsettled(base: Change, live: LiveDeployment) -> Change | None:
    """``wait`` while the live Deployment is busy, ``error`` for a status gitsync does not know, else None."""
    if live.status in BUSY_STATUSES:
        note = "busy: apply waits for it to settle, then plans it"
        return dataclasses.replace(base, action="wait", reasons=(Reason("status", live.status, note=note),))
    if live.status not in KNOWN_STATUSES:
        error = (
            f"live status {live.status!r} is unknown to gitsync, so it will not act on this Deployment; "
            "check it in the Merchant Center, or upgrade gitsync"
        )
        return dataclasses.replace(base, action="error", error=error)
    return None


def _connector_missing(desired: DesiredDeployment) -> str:
    ref = desired.connector
    kind = "staged connector (draft)" if ref.staged else "published connector"
    return (
        f"{kind} {ref.identity} does not exist (or the API client may not read it): "
        f"check connector.{'key' if ref.key is not None else 'id'} and connector.staged in {desired.source}"
    )


def _create(base: Change, target: Target, desired: DesiredDeployment, connector: ConnectorInfo) -> Change:
    error = _version_missing(desired.connector.version, connector)
    if error is not None:
        return dataclasses.replace(base, action="error", error=error)
    request = create_request(target.project_key, desired, connector)
    return dataclasses.replace(base, action="create", request=request)


def _version_missing(version: ConnectorVersion, connector: ConnectorInfo) -> str | None:
    if isinstance(version, int) and version > connector.version:
        return (
            f"connector.version {version} does not exist: the connector's latest version is "
            f"{connector.version}; pin {connector.version} or use 'latest'"
        )
    return None


def _immutable_reasons(
    desired: DesiredDeployment, live: LiveDeployment, connector: ConnectorInfo
) -> list[Reason]:
    reasons: list[Reason] = []
    if live.region is not None and live.region != desired.region:
        reasons.append(Reason("region", live.region, desired.region, FORCES_REPLACEMENT))
    # real responses may lack connector.key: compare by id (facts §1.2)
    if live.connector_id != connector.id:
        after = f"{desired.connector.identity} (id={connector.id})"
        reasons.append(Reason("connector", f"id={live.connector_id}", after, FORCES_REPLACEMENT))
    if live.preview != desired.connector.staged:
        reasons.append(Reason("connector.staged", live.preview, desired.connector.staged, FORCES_REPLACEMENT))
    # An absent type keeps whatever is live (optional and computed, as in Terraform): omitting an optional
    # field must never destroy a production Deployment. Older responses have no type (facts §1.2): skip.
    if desired.type is not None and live.type is not None and live.type != desired.type:
        reasons.append(Reason("type", live.type, desired.type, FORCES_REPLACEMENT))
    return reasons


def _replace(
    base: Change,
    target: Target,
    desired: DesiredDeployment,
    connector: ConnectorInfo,
    reasons: list[Reason],
) -> Change:
    error = _guard(target, desired.key, desired, "replace") or _version_missing(
        desired.connector.version, connector
    )
    if error is not None:
        return dataclasses.replace(base, action="error", reasons=tuple(reasons), error=error)
    return dataclasses.replace(
        base,
        action="replace",
        reasons=tuple(reasons),
        delete_request=delete_request(target.project_key, desired.key),
        request=create_request(target.project_key, desired, connector),
    )


def _guard(target: Target, key: str, desired: DesiredDeployment | None, verb: str) -> str | None:
    """Why a delete or replace is refused (protect glob, preventDestroy), with what to do."""
    for glob in target.protect:
        if fnmatchcase(key, glob):
            return (
                f"deployment {key!r} matches protect glob {glob!r} of target {target.name!r}, so gitsync "
                f"will not {verb} it; revert the change that requires it, or remove the glob from "
                f"targets.{target.name}.protect in gitsync.yaml"
            )
    if desired is not None and desired.lifecycle.prevent_destroy:
        return (
            f"{desired.source} sets lifecycle.preventDestroy, so gitsync will not {verb} {key!r}; revert "
            "the change that requires it, or set preventDestroy: false"
        )
    return None


def _update(
    base: Change,
    target: Target,
    desired: DesiredDeployment,
    live: LiveDeployment,
    connector: ConnectorInfo,
    force_redeploy: bool,
) -> Change:
    move, error = _connector_move(desired.connector.version, live.connector_version, connector.version)
    if error is not None:
        return dataclasses.replace(base, action="error", error=error)
    reasons = [move] if move is not None else []
    if live.status in FAILED_STATUSES:
        reasons.append(
            Reason("status", live.status, "Deployed", f"status {live.status}: redeploy to recover")
        )
    reasons += configuration_reasons(desired, live, connector)
    if force_redeploy:
        reasons.append(Reason("redeploy", note="requested with --redeploy"))
    if not reasons:
        return base
    request = redeploy_request(
        target.project_key, desired, live, connector, update_connector=move is not None
    )
    return dataclasses.replace(base, action="redeploy", reasons=tuple(reasons), request=request)


def _connector_move(version: ConnectorVersion, live: int, latest: int) -> tuple[Reason | None, str | None]:
    """A connector version reachable by redeploy (updateConnector moves only to the latest), or why not."""
    if version is None:
        return None, None  # omitted: latest at create, never upgraded
    wanted = latest if version == "latest" else version
    if wanted == live:
        return None, None
    if live < wanted == latest:
        return Reason("connector.version", live, latest, "updateConnector"), None
    if wanted < live:
        return None, (
            f"connector.version {wanted} is below the live version {live}: a redeploy cannot downgrade a "
            f"connector; pin {live} (or 'latest'), or delete the deployment and create it again"
        )
    return None, (
        f"connector.version {wanted} cannot be reached by a redeploy: it runs version {live} and a redeploy "
        f"moves only to the connector's latest, {latest}; pin {latest} (or 'latest'), or pin {live} to stay"
    )
