"""The in-memory Connect: connectors, deployments and their operations, behind one lock."""

from __future__ import annotations

import copy
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from gitsync.emulator import changes, required, revisions
from gitsync.emulator.clock import Clock
from gitsync.emulator.connectors import ConnectorCatalog, check_preview, connector_representation
from gitsync.emulator.deployments import ACCEPTED_SHARE, BUSY, Deployment, new_applications, render
from gitsync.emulator.errors import (
    ApiError,
    bad_request,
    concurrent_modification,
    error,
    invalid_json,
    not_found,
)
from gitsync.emulator.validation import (
    check_applications,
    check_global,
    check_key,
    check_region,
    deployment_type,
    parse_applications,
    parse_value_lists,
)

JSON = dict[str, Any]
Ref = tuple[str, str]  # ("id", value) or ("key", value)
DeleteWhileBusy = Literal["reject", "allow"]
# UNCONFIRMED (facts §5.2): the RAML has only the generic DuplicateField; its HTTP status is unknown.
DuplicateKey = Literal["field", "conflict"]

BUSY_MESSAGES = {
    "Queued": "Already queued",
    "Deploying": "Already deploying",
    "Undeploying": "Already undeploying",
}


class Store:
    """Every resource of the emulated API; public methods take the lock and return JSON bodies."""

    def __init__(
        self,
        clock: Clock,
        iso: Callable[[float], str],
        *,
        deploy_time: float,
        redeploy_mode: changes.RedeployMode,
        delete_while_busy: DeleteWhileBusy,
        duplicate_key: DuplicateKey = "field",
    ) -> None:
        self.clock, self.iso, self.deploy_time = clock, iso, deploy_time
        self.redeploy_mode, self.delete_while_busy = redeploy_mode, delete_while_busy
        self.duplicate_key = duplicate_key
        self.connectors = ConnectorCatalog()
        self.deployments: dict[str, Deployment] = {}
        self._by_key: dict[tuple[str, str], str] = {}  # (projectKey, key) → id, so key lookups stay O(1)
        self.production: dict[str, bool] = {}
        self.lock = threading.RLock()
        self._sequence = 0

    @contextmanager
    def locked(self) -> Iterator[float]:
        """Hold the store lock; yields the current clock reading."""
        with self.lock:
            yield self.clock.now()

    # --- reading -------------------------------------------------------------------------------

    def status(self, deployment: Deployment, now: float) -> str | None:
        """The deployment's status now; forgets it once an undeploy has finished."""
        status = deployment.status_at(now, self.deploy_time)
        if status is None:
            self.deployments.pop(deployment.id, None)
            if self._by_key.get((deployment.project_key, deployment.key or "")) == deployment.id:
                del self._by_key[(deployment.project_key, deployment.key or "")]
        return status

    def add(self, deployment: Deployment) -> None:
        """Store a new deployment and index its key."""
        self.deployments[deployment.id] = deployment
        if deployment.key is not None:
            self._by_key[(deployment.project_key, deployment.key)] = deployment.id

    def render(self, deployment: Deployment, now: float) -> JSON:
        """A deployment's representation now (caller holds the lock and knows it exists)."""
        status = self.status(deployment, now) or "Undeploying"
        return render(deployment, status, self.iso, self.deploy_time, now)

    def live(self, project_key: str, now: float) -> list[tuple[Deployment, str]]:
        """The project's deployments that still exist, with their status, in creation order."""
        found = []
        for deployment in list(self.deployments.values()):
            if deployment.project_key == project_key:
                status = self.status(deployment, now)
                if status is not None:
                    found.append((deployment, status))
        return found

    def find(self, project_key: str, ref: Ref, now: float) -> Deployment:
        """The deployment an id or key= path names; 404 otherwise."""
        kind, value = ref
        found = value if kind == "id" else self._by_key.get((project_key, value), "")
        deployment = self.deployments.get(found)
        if deployment is not None and deployment.project_key == project_key and self.status(deployment, now):
            return deployment
        raise not_found(f"Deployment with {kind}={value} does not exist.")

    def get(self, project_key: str, ref: Ref) -> JSON:
        with self.locked() as now:
            return self.render(self.find(project_key, ref, now), now)

    def connector(self, staged: bool, ref: Ref) -> JSON:
        with self.locked():
            kind, value = ref
            found = self.connectors.find(staged, **{kind: value})
            if found is None:
                name = "ConnectorStaged" if staged else "Connector"
                raise not_found(f"{name} with {kind}={value} does not exist.")
            return connector_representation(found)

    # --- writing -------------------------------------------------------------------------------

    def create(self, project_key: str, body: Any) -> JSON:
        """POST /{projectKey}/deployments: validate the draft, store it Queued."""
        with self.locked() as now:
            deployment = self.build(project_key, body, now)
            self.start(deployment, "deploy", now)
            self.add(deployment)
            return self.render(deployment, now)

    def build(self, project_key: str, body: Any, now: float) -> Deployment:
        """A new Deployment from a DeploymentDraft, or the API's error for it."""
        if not isinstance(body, dict):
            raise invalid_json("the body must be a DeploymentDraft object")
        key = check_key(body.get("key"))
        connector = self.connectors.resolve(body.get("connector"))
        kind = deployment_type(connector, body.get("type"))
        if kind == "production" and not self.production.get(project_key, True):
            message = f"Production deployments are deactivated for project '{project_key}'."
            raise bad_request("DeploymentProductionDeactivated", message)
        region = check_region(connector, body.get("region"))
        check_preview(connector, project_key, region)
        applications = parse_applications(body.get("configurations", []), "configurations")
        global_values = parse_value_lists(body.get("globalConfiguration", {}), "globalConfiguration")
        errors = check_applications(connector, applications, "DeploymentUnknownApplicationConfiguration")
        errors += check_global(connector, global_values, require_missing=True)
        stored = new_applications(connector)
        if not errors:
            changes.apply_applications(stored, applications, "replace")
            errors += required.application_errors(connector, [], stored, applications)
        if errors:
            raise ApiError(400, errors)
        if key is not None and self._taken(project_key, key, now):
            message = f"A deployment with key '{key}' already exists."
            status = 409 if self.duplicate_key == "conflict" else 400
            raise ApiError(status, [error("DuplicateField", message, field="key", duplicateValue=key)])
        self._sequence += 1
        return Deployment(
            id=str(uuid.uuid4()), key=key, project_key=project_key, type=kind, connector=connector,
            region=region, global_values=global_values, applications=stored, created_at=now,
            last_modified_at=now, sequence=self._sequence,
        )  # fmt: skip

    def _taken(self, project_key: str, key: str, now: float) -> bool:
        try:
            self.find(project_key, ("key", key), now)
        except ApiError:
            return False
        return True

    def update(self, project_key: str, ref: Ref, body: Any) -> JSON:
        """POST /{projectKey}/deployments/{id|key=}: the redeploy action, with optimistic locking."""
        with self.locked() as now:
            deployment = self.find(project_key, ref, now)
            actions = _parse_update(body)
            if body["version"] != deployment.version:
                raise concurrent_modification(body["version"], deployment.version)
            if not actions:  # nothing to do: no version bump, no redeploy (UNCONFIRMED: answered 201)
                return self.render(deployment, now)
            status = self.status(deployment, now) or "Undeploying"
            if status in BUSY:
                message = f"{BUSY_MESSAGES[status]}: the deployment cannot be redeployed while {status}."
                raise bad_request("DeploymentInvalidStatusTransition", message, currentStatus=status)
            for action in actions:
                self._redeploy(deployment, action)
            deployment.rollback_revision = None
            self._bump_and_deploy(deployment, now)
            return self.render(deployment, now)

    def _bump_and_deploy(self, deployment: Deployment, now: float) -> None:
        deployment.version += 1
        deployment.last_modified_at = now
        self.start(deployment, "deploy", now)

    def start(self, deployment: Deployment, operation: str, now: float) -> None:
        """Start an operation; the deploy it ends, if it succeeded, becomes a revision first."""
        revisions.commit(deployment, now, self.deploy_time)
        deployment.start(operation, now)
        if operation == "deploy":
            deployment.pending_revision = revisions.snapshot(deployment)

    def _redeploy(self, deployment: Deployment, action: JSON) -> None:
        connector = deployment.connector
        if action.get("updateConnector"):
            latest = self.connectors.find(connector["staged"], id=connector["id"])
            if latest is None:
                message = f"The connector '{connector['key']}' of this deployment no longer exists."
                raise bad_request("DeploymentConnectorUpdateFailure", message)
            connector = latest
        applications = parse_applications(action.get("configurationValues", []), "configurationValues")
        if "configurationValues" in action and not applications:
            raise bad_request(
                "DeploymentApplicationRequired", "A Deployment requires at least one application"
            )
        global_values = parse_value_lists(action.get("globalConfiguration", {}), "globalConfiguration")
        errors = check_applications(connector, applications, "DeploymentApplicationDoNotBelong")
        global_errors = check_global(connector, global_values, require_missing=False)
        if errors:  # unknown applications or keys: nothing can be applied to check further
            raise ApiError(400, errors + global_errors)
        after = copy.deepcopy(new_applications(connector, deployment.applications))
        changes.apply_applications(after, applications, self.redeploy_mode)
        after_global = copy.deepcopy(deployment.global_values)
        changes.apply_values(after_global, global_values, self.redeploy_mode)
        errors = required.application_errors(connector, deployment.applications, after, applications)
        errors += global_errors + required.global_errors(
            connector, deployment.global_values, after_global, global_values
        )
        if errors:  # a redeploy may not leave a required key empty, as a create may not (issue 9)
            raise ApiError(400, errors)
        deployment.connector, deployment.applications, deployment.global_values = (
            connector,
            after,
            after_global,
        )

    def delete(self, project_key: str, ref: Ref) -> JSON:
        """DELETE /{projectKey}/deployments/{id|key=}: start undeploying (no version, facts §1.1)."""
        with self.locked() as now:
            deployment = self.find(project_key, ref, now)
            status = self.status(deployment, now) or "Undeploying"
            if status in BUSY and self.delete_while_busy == "reject":
                message = f"{BUSY_MESSAGES[status]}: the deployment cannot be deleted while {status}."
                raise bad_request("DeploymentInvalidStatusTransition", message, currentStatus=status)
            if status != "Undeploying":
                self.start(deployment, "undeploy", now)
            return self.render(deployment, now)

    # --- revisions -----------------------------------------------------------------------------

    def revisions(self, project_key: str, ref: Ref) -> list[JSON]:
        """The Deployment's revisions, most recent first (only successful deploys)."""
        with self.locked() as now:
            found = revisions.settled(self.find(project_key, ref, now), now, self.deploy_time)
            return [revisions.render(r, self.iso) for r in reversed(found)]

    def revision(self, project_key: str, ref: Ref, number: str) -> JSON:
        with self.locked() as now:
            found = revisions.settled(self.find(project_key, ref, now), now, self.deploy_time)
            return revisions.render(revisions.find(found, number), self.iso)

    def rollback(self, project_key: str, ref: Ref, number: str, body: Any) -> JSON:
        """Restore a revision as a new Deployment version and deploy it."""
        with self.locked() as now:
            deployment = self.find(project_key, ref, now)
            version = revisions.rollback_version(body)
            if version != deployment.version:
                raise concurrent_modification(version, deployment.version)
            status = self.status(deployment, now) or "Undeploying"
            if status in BUSY:
                message = f"The deployment cannot be rolled back while {status}."
                raise bad_request("DeploymentRollbackNotAllowed", message, currentStatus=status)
            target = revisions.find(revisions.settled(deployment, now, self.deploy_time), number)
            revisions.restore(deployment, target)
            self._bump_and_deploy(deployment, now)
            return self.render(deployment, now)

    # --- seeding -------------------------------------------------------------------------------

    def add_seeded(self, item: JSON, now: float) -> Deployment:
        """A deployment from the seed's ``deployments``, validated like a create (caller holds the lock)."""
        deployment = self.build(str(item["projectKey"]), copy.deepcopy(item.get("draft")), now)
        deployment.id = str(item.get("id") or deployment.id)
        deployment.version = int(item.get("version") or 1)
        _set_seeded_status(deployment, str(item.get("status") or "Deployed"), now, self.deploy_time)
        if deployment.operation == "deploy" or deployment.fixed_status == "Deployed":
            deployment.pending_revision = revisions.snapshot(deployment)
        if deployment.id in self.deployments:
            raise bad_request("DuplicateField", f"A deployment with id '{deployment.id}' already exists.")
        self.add(deployment)
        return deployment


def _parse_update(body: Any) -> list[JSON]:
    if not isinstance(body, dict):
        raise invalid_json("the body must be an object {version, actions}")
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise invalid_json("version: is required and must be an integer")
    actions = body.get("actions")
    if not isinstance(actions, list) or not all(isinstance(a, dict) for a in actions):
        raise invalid_json("actions: must be an array of update actions")
    for index, action in enumerate(actions):
        if action.get("action") != "redeploy":
            raise invalid_json(
                f"actions[{index}].action: unknown action {action.get('action')!r}; only 'redeploy'"
            )
        for flag in ("skipScripts", "updateConnector"):
            if flag in action and not isinstance(action[flag], bool):
                raise invalid_json(f"actions[{index}].{flag}: must be a boolean")
    return actions


SEED_STATUSES = ("Draft", "Queued", "Deploying", "Deployed", "Failed", "Undeploying", "UndeployFailed")


def _set_seeded_status(deployment: Deployment, status: str, now: float, deploy_time: float) -> None:
    """Moving statuses start their operation so they settle; settled ones stay fixed."""
    if status not in SEED_STATUSES:
        raise bad_request("InvalidJsonInput", f"status: {status!r} is not one of {', '.join(SEED_STATUSES)}")
    if status in ("Queued", "Deploying"):
        deployment.start("deploy", now - (deploy_time * ACCEPTED_SHARE if status == "Deploying" else 0.0))
        deployment.queued = status == "Queued"
    elif status == "Undeploying":
        deployment.start("undeploy", now)
    else:
        deployment.operation, deployment.fixed_status, deployment.started_at = "fixed", status, now
        if status == "Failed":
            deployment.failure = {"title": "Deployment failed", "message": "The build failed (seeded)."}
    deployment.events.append((now, "INFO", f"seeded as {status}"))


__all__ = ["Store"]
