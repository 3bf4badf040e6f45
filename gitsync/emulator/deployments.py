"""One Deployment: its stored state, its lifecycle computed lazily from timestamps, its representation.

Status is never stored while it is moving: it follows from when the last operation started and the
deploy time, so a ManualClock (or real time) alone moves deployments along (facts §4).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gitsync.emulator.connectors import deployment_connector

JSON = dict[str, Any]
IsoTime = Callable[[float], str]

BUSY = ("Queued", "Deploying", "Undeploying")
# The first quarter of a deploy is "accepted": Deploying with ``details: {}`` (no build yet), as the one real
# create answer was (facts §4). Building then shows ``details.build.report``. ``Queued`` comes only before
# that, and only for a deployment seeded as Queued: the official CLI polls while ``Deploying`` and then reads
# ``details.build.report``, so a Queued answer to a create or redeploy would crash it (facts §1.8).
ACCEPTED_SHARE = 0.25


@dataclass
class Deployment:
    """The stored state of one Deployment: only values sent are kept (no defaults filled in)."""

    id: str
    key: str | None
    project_key: str
    type: str
    connector: JSON
    region: str
    global_values: JSON
    applications: list[JSON]
    created_at: float
    sequence: int
    version: int = 1
    last_modified_at: float = 0.0
    operation: str = "deploy"  # deploy | undeploy | fixed
    started_at: float = 0.0
    fixed_status: str = "Deployed"
    build_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    failure: JSON | None = None
    queued: bool = False  # seeded as Queued: the accepted phase shows Queued instead of Deploying
    rollback_revision: int | None = None  # set while the current version came from a rollback
    revisions: list[JSON] = field(default_factory=list)  # settled successful deploys, oldest first
    pending_revision: JSON | None = None  # the current deploy's snapshot, a revision once it is Deployed
    events: list[tuple[float, str, str]] = field(default_factory=list)

    def status_at(self, now: float, deploy_time: float) -> str | None:
        """The status at ``now``; None once an undeploy has finished (the deployment is gone)."""
        if self.operation == "fixed":
            return self.fixed_status
        elapsed = now - self.started_at
        if self.operation == "deploy":
            if self.queued and elapsed < ACCEPTED_SHARE * deploy_time:
                return "Queued"
            if elapsed < deploy_time:
                return "Deploying"
            return "Failed" if self.failure else "Deployed"
        if elapsed < deploy_time / 2:
            return "Undeploying"
        return "UndeployFailed" if self.connector.get("failUndeploy") else None

    def building(self, now: float, deploy_time: float) -> bool:
        """True once a build exists: past the accepted phase of a deploy, or after any other operation."""
        return self.operation != "deploy" or now - self.started_at >= ACCEPTED_SHARE * deploy_time

    def start(self, operation: str, now: float) -> None:
        """Begin a deploy or undeploy now; a deploy gets a fresh build and its outcome is decided."""
        self.operation, self.started_at, self.queued = operation, now, False
        if operation == "deploy":
            self.build_id = str(uuid.uuid4())
            self.failure = planned_failure(self)
        self.events.append((now, "INFO", f"{operation} started"))


def planned_failure(deployment: Deployment) -> JSON | None:
    """Why this deploy will fail, from the connector's seed flags, or None."""
    connector = deployment.connector
    first_app = connector["configurations"][0]["applicationName"] if connector["configurations"] else None
    if connector.get("failDeploy"):
        return {"application": first_app, "title": "Deployment failed", "message": "The build failed."}
    for trigger in connector.get("failOnConfiguration") or []:
        for application in deployment.applications:
            if {"key": trigger.get("key"), "value": trigger.get("value")} in application[
                "standardConfiguration"
            ]:
                message = f"The application crashed on start with {trigger['key']}={trigger['value']}."
                return {
                    "application": application["applicationName"],
                    "title": "Deployment failed",
                    "message": message,
                }
        if {"key": trigger.get("key"), "value": trigger.get("value")} in deployment.global_values.get(
            "standardConfiguration", []
        ):
            message = f"The application crashed on start with {trigger['key']}={trigger['value']}."
            return {"application": first_app, "title": "Deployment failed", "message": message}
    return None


def masked(values: list[JSON]) -> list[JSON]:
    """Secured values as the API returns them: length-preserving asterisks (facts §7)."""
    return [{"key": entry["key"], "value": "*" * len(entry["value"])} for entry in values]


def new_applications(connector: JSON, previous: list[JSON] | None = None) -> list[JSON]:
    """One ApplicationDeployment per connector application, keeping what ``previous`` held by name."""
    kept = {a["applicationName"]: a for a in previous or []}
    return [
        kept.get(a["applicationName"])
        or {"id": str(uuid.uuid4()), "applicationName": a["applicationName"], "standardConfiguration": [],
            "securedConfiguration": []}
        for a in connector["configurations"]
    ]  # fmt: skip


def render(deployment: Deployment, status: str, iso: IsoTime, deploy_time: float, now: float) -> JSON:
    """The Deployment representation (facts §1.2), secured values masked."""
    body: JSON = {"id": deployment.id}
    if deployment.key is not None:
        body["key"] = deployment.key
    body.update(
        version=deployment.version,
        type=deployment.type,
        connector=deployment_connector(deployment.connector),
        globalConfiguration={
            "standardConfiguration": copy.deepcopy(deployment.global_values.get("standardConfiguration", [])),
            "securedConfiguration": masked(deployment.global_values.get("securedConfiguration", [])),
        },
        details=_details(deployment, status, iso, deploy_time, now),
        deployedRegion=deployment.region,
        applications=[_application(deployment, a) for a in deployment.applications],
        preview=deployment.type == "preview",
        status=status,
    )
    if deployment.rollback_revision is not None:
        body["rollbackRevision"] = deployment.rollback_revision  # UNCONFIRMED shape (docs: a new field)
    return body


def _details(deployment: Deployment, status: str, iso: IsoTime, deploy_time: float, now: float) -> JSON:
    if status in ("Queued", "Draft") or not deployment.building(now, deploy_time):
        return {}  # a build exists only once it started (a real create answered with "details": {})
    entries: list[JSON] = []
    if status == "Failed" and deployment.failure is not None:
        finished = deployment.started_at + (deploy_time if deployment.operation == "deploy" else 0.0)
        entries.append({"type": "Error", **_without_none(deployment.failure), "createdAt": iso(finished)})
    if status == "UndeployFailed":
        finished = deployment.started_at + deploy_time / 2
        entries.append(
            {
                "type": "Error",
                "title": "Undeploy failed",
                "message": "The undeploy failed.",
                "createdAt": iso(finished),
            }
        )
    return {"build": {"id": deployment.build_id, "report": {"entries": entries}}}


def _without_none(values: JSON) -> JSON:
    return {k: v for k, v in values.items() if v is not None}


def _application(deployment: Deployment, application: JSON) -> JSON:
    declared = next(
        (
            a
            for a in deployment.connector["configurations"]
            if a["applicationName"] == application["applicationName"]
        ),
        {"applicationType": "service"},
    )
    body: JSON = {
        "id": application["id"],
        "applicationName": application["applicationName"],
        "standardConfiguration": copy.deepcopy(application["standardConfiguration"]),
        "securedConfiguration": masked(application["securedConfiguration"]),
    }
    slug = f"{application['applicationName']}-{deployment.id[:8]}"
    if declared["applicationType"] == "service":
        body["url"] = f"https://{slug}.{deployment.region}.commercetools.app"
    elif declared["applicationType"] == "event":
        body["topic"] = f"projects/connect-{deployment.project_key}/topics/{slug}"
    elif declared["applicationType"] == "job":
        # the Deployment's own override (DeploymentConfigurationApplication.schedule), else the connector's
        # connect.yaml schedule, as the reference's job example shows one on every job application
        schedule = application.get("schedule") or declared.get("schedule")
        if schedule is not None:
            body["schedule"] = schedule
    return body
