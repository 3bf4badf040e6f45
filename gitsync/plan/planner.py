"""The planner: desired Deployments + live state + connectors → a ``Plan`` (SPEC §3). Pure: no I/O.

Each Deployment gets exactly one action. The order of the rules matters: a connector that cannot be
found is an error; a missing live Deployment is a create; a status gitsync does not know is an error; an
immutable difference is a replace (or an error when protected); else the connector version, status,
configuration and ``--redeploy`` decide between redeploy and noop. A busy Deployment waits, and its wait
lists the reasons that plan would have.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence

from gitsync.live.state import BUSY_STATUSES, ConnectorInfo, ConnectorLookup, DeploymentStatus, LiveDeployment
from gitsync.manifest.config import ProjectId, project_id
from gitsync.manifest.model import ConnectorVersion, DesiredDeployment, connector_label
from gitsync.manifest.target import Target
from gitsync.plan.compare import configuration_reasons
from gitsync.plan.guards import refuse_destroy
from gitsync.plan.model import Change, LiveState, Plan, Reason, TargetInfo
from gitsync.plan.removed import settle_removed_keys
from gitsync.plan.removes import removed_from
from gitsync.plan.requests import create_request, delete_request, redeploy_request
from gitsync.plan.required import missing_required
from gitsync.plan.state import ConnectorCatalog, TargetState

FAILED_STATUSES = frozenset({DeploymentStatus.FAILED, DeploymentStatus.UNDEPLOY_FAILED})
# DeploymentStatus (facts §1.6). Any other status is new to gitsync: acting on it could be wrong, so it is
# an error until gitsync learns it.
KNOWN_STATUSES = frozenset(DeploymentStatus)
FORCES_REPLACEMENT = "forces replacement"


def build_plan(
    states: Sequence[TargetState],
    *,
    redeploy_keys: Collection[str] = (),
    replace_keys: Collection[str] = (),
    created_at: str | None = None,
) -> Plan:
    """One plan over every target, in target order then key; one ``TargetState`` per target."""
    changes: list[Change] = []
    owners = orphan_owners([state.target for state in states])
    for state in states:
        changes += plan_target(
            state.target,
            state.desired,
            state.live,
            state.connectors,
            redeploy_keys=redeploy_keys,
            replace_keys=replace_keys,
            foreign=state.foreign_keys,
            owns_orphans=state.target.name in owners,
        )
    infos = tuple(TargetInfo(s.target.name, s.target.project_key, s.target.region) for s in states)
    if created_at is None:
        return Plan(targets=infos, changes=tuple(changes))
    return Plan(targets=infos, changes=tuple(changes), created_at=created_at)


def orphan_owners(targets: Sequence[Target]) -> set[str]:
    """Per project, the one target that plans live Deployments no target declares.

    Several targets may share a project (SPEC §1.1); each undeclared Deployment still gets exactly one
    action: from the first pruning target of its project (delete), else the first target (unmanaged).
    """
    first: dict[ProjectId, Target] = {}
    for target in targets:
        chosen = first.setdefault(project_id(target), target)
        if target.prune and not chosen.prune:
            first[project_id(target)] = target
    return {target.name for target in first.values()}


def plan_target(
    target: Target,
    desired: Sequence[DesiredDeployment],
    live: Sequence[LiveDeployment],
    connectors: ConnectorCatalog,
    *,
    redeploy_keys: Collection[str] = (),
    replace_keys: Collection[str] = (),
    foreign: Collection[str] = (),
    owns_orphans: bool = True,
) -> list[Change]:
    """The changes of one target, sorted by key; keys in ``foreign`` belong to another target."""
    live_by_key = {deployment.key: deployment for deployment in live}
    changes = [
        plan_deployment(
            target,
            deployment,
            live_by_key.get(deployment.key),
            connectors.get(ConnectorLookup.of(deployment.connector)),
            force_redeploy=deployment.key in redeploy_keys,
            force_replace=deployment.key in replace_keys,
        )
        for deployment in desired
    ]
    if owns_orphans:
        changes += _plan_orphans(target, desired, live, foreign)
    return sorted(changes, key=lambda change: change.key)


def _plan_orphans(
    target: Target,
    desired: Sequence[DesiredDeployment],
    live: Sequence[LiveDeployment],
    foreign: Collection[str],
) -> list[Change]:
    """Live Deployments neither this target nor another target of its project declares."""
    declared = {deployment.key for deployment in desired}
    orphans = [d for d in live if d.key not in declared and d.key not in foreign]
    return [plan_orphan(target, deployment, nothing_declared=not desired) for deployment in orphans]


def plan_deployment(
    target: Target,
    desired: DesiredDeployment,
    live: LiveDeployment | None,
    connector: ConnectorInfo | None,
    *,
    force_redeploy: bool = False,
    force_replace: bool = False,
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
    unknown = _unknown_status(base, live)
    if unknown is not None:
        return unknown
    immutable = _immutable_reasons(desired, live, connector)
    if force_replace:
        immutable.append(Reason("replace", note="requested with --replace"))
    if immutable:
        settled = _replace(base, target, desired, connector, immutable)
        if settled.action == "replace":
            settled = dataclasses.replace(settled, removes=removed_from(live))
    else:
        settled = _update(base, target, desired, live, connector, force_redeploy)
    return _wait(base, live, settled) if live.status in BUSY_STATUSES else settled


def plan_orphan(target: Target, live: LiveDeployment, *, nothing_declared: bool = False) -> Change:
    """A live Deployment no manifest declares: delete when the target prunes, else unmanaged.

    ``nothing_declared``: the target's desired set is empty, which is far more likely a mistake (a
    selection that matched nothing) than an intent, so it never deletes (SPEC §1.1): an error instead.
    """
    base = Change(target=target.name, key=live.key, action="unmanaged", live=_live_state(live))
    # a Deployment without a key cannot be addressed by key: never touched
    if not target.prune or live.key.startswith("id="):
        return base
    unknown = _unknown_status(base, live)
    if unknown is not None:
        return unknown
    reasons = (Reason(path="manifest", before=live.key, after=None, note="no manifest; the target prunes"),)
    guard = (
        _empty_prune(target, live.key)
        if nothing_declared
        else refuse_destroy(target, live.key, None, "delete")
    )
    if guard is not None:
        settled = dataclasses.replace(base, action="error", reasons=reasons, error=guard)
    else:
        request = delete_request(target.project_key, live.key)
        settled = dataclasses.replace(
            base, action="delete", reasons=reasons, request=request, removes=removed_from(live)
        )
    return _wait(base, live, settled) if live.status in BUSY_STATUSES else settled


def _empty_prune(target: Target, key: str) -> str:
    return (
        f"target {target.name!r} prunes, but no manifest of it is selected (--only/--exclude matched "
        f"none), so gitsync will not delete {key!r}: an empty desired set is far more likely a mistake "
        "than an intent; plan without the selection that leaves the target empty"
    )


def _live_state(live: LiveDeployment | None) -> LiveState | None:
    if live is None:
        return None
    return LiveState(live.id, live.version, live.status, rollback_revision=live.rollback_revision)


def _wait(base: Change, live: LiveDeployment, settled: Change) -> Change:
    """A busy Deployment waits; its reasons also list what the plan of the settled state would change.

    A wait is always work for apply (it waits, then plans again), so ``--detailed-exitcode`` exits 2: the
    busy run may still end ``Failed``, or the manifest differs, and a CI job must not skip the apply.
    """
    note = "busy: apply waits for it to settle, then plans it"
    status = Reason("status", live.status, note=note)
    return dataclasses.replace(base, action="wait", reasons=(status, *settled.reasons))


def _unknown_status(base: Change, live: LiveDeployment) -> Change | None:
    """``error`` for a status gitsync does not know (acting on it could be wrong), else None."""
    if live.status in KNOWN_STATUSES:
        return None
    error = (
        f"live status {live.status!r} is unknown to gitsync, so it will not act on this Deployment; "
        "check it in the Merchant Center, or upgrade gitsync"
    )
    return dataclasses.replace(base, action="error", error=error)


def _connector_missing(desired: DesiredDeployment) -> str:
    ref = desired.connector
    return (
        f"{connector_label(ref.identity, ref.staged, explicit=True)} does not exist "
        "(or the API client may not read it): "
        f"check connector.{'key' if ref.key is not None else 'id'} and connector.staged in {desired.source}"
    )


def _create(base: Change, target: Target, desired: DesiredDeployment, connector: ConnectorInfo) -> Change:
    error = _version_missing(desired.connector.version, connector) or missing_required(desired, connector)
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
    error = (
        refuse_destroy(target, desired.key, desired, "replace")
        or _version_missing(desired.connector.version, connector)
        or missing_required(desired, connector)
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
    settled, removed_error = settle_removed_keys(target.name, desired.key, reasons)
    if removed_error is not None:
        return dataclasses.replace(base, action="error", reasons=settled, error=removed_error)
    reasons = list(settled)
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
