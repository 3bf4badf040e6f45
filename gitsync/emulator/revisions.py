"""DeploymentRevisions (docs 2026-10-23): one per successful deploy, most recent first, and rollback.

Documented: Get and Query by Deployment id or key under ``…/deployments/{id|key=}/revisions[/{revision}]``;
only successful deploys are listed (each a valid rollback target); a revision records the connector version
and every application's configuration; a rollback creates a new Deployment version from it and deploys it;
``rollbackRevision`` is a new Deployment field; ``DeploymentRollbackNotAllowed`` a new error.
UNCONFIRMED (emulator choices, docs/emulator.md): the revision fields (``revision`` numbered 1, 2, … per
Deployment, ``deploymentVersion``, ``connector {id, version}``, ``applications``, ``globalConfiguration``,
``createdAt``), the paged query shape, the rollback route and its body ``{version}``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from gitsync.emulator.deployments import Deployment, masked
from gitsync.emulator.errors import bad_request, invalid_json, not_found

JSON = dict[str, Any]


def snapshot(deployment: Deployment) -> JSON:
    """What a deploy that starts now would record as a revision if it succeeds."""
    return {
        "deploymentVersion": deployment.version,
        "connector": copy.deepcopy(deployment.connector),
        "applications": copy.deepcopy(deployment.applications),
        "global_values": copy.deepcopy(deployment.global_values),
    }


def settled(deployment: Deployment, now: float, deploy_time: float) -> list[JSON]:
    """Every revision so far, oldest first: committed ones plus the current deploy once it is Deployed."""
    found = list(deployment.revisions)
    pending = deployment.pending_revision
    if pending is not None and deployment.status_at(now, deploy_time) == "Deployed":
        at = deployment.started_at + (deploy_time if deployment.operation == "deploy" else 0.0)
        found.append({**pending, "revision": len(found) + 1, "at": at})
    return found


def commit(deployment: Deployment, now: float, deploy_time: float) -> None:
    """Before a new operation starts: keep the current deploy's revision if it succeeded."""
    deployment.revisions = settled(deployment, now, deploy_time)
    deployment.pending_revision = None


def find(revisions: list[JSON], raw: str) -> JSON:
    """The revision a path names; InvalidPathParam for a non-number, 404 for an unknown one."""
    if not raw.isdigit():
        raise bad_request(
            "InvalidPathParam", f"revision '{raw}' is not a revision number", detailedErrorMessage=raw
        )
    for revision in revisions:
        if revision["revision"] == int(raw):
            return revision
    raise not_found(f"DeploymentRevision {raw} does not exist.")


def render(revision: JSON, iso: Callable[[float], str]) -> JSON:
    """A DeploymentRevision as the emulator answers it (fields UNCONFIRMED), secured values masked."""
    connector = revision["connector"]
    declared = {a["applicationName"]: a for a in connector["configurations"]}
    applications = []
    for application in revision["applications"]:
        body: JSON = {
            "applicationName": application["applicationName"],
            "standardConfiguration": copy.deepcopy(application["standardConfiguration"]),
            "securedConfiguration": masked(application["securedConfiguration"]),
        }
        schedule = application.get("schedule") or declared.get(application["applicationName"], {}).get(
            "schedule"
        )
        if schedule is not None:
            body["schedule"] = schedule
        applications.append(body)
    values = revision["global_values"]
    return {
        "revision": revision["revision"],
        "deploymentVersion": revision["deploymentVersion"],
        "connector": {"id": connector["id"], "version": connector["version"]},
        "applications": applications,
        "globalConfiguration": {
            "standardConfiguration": copy.deepcopy(values.get("standardConfiguration", [])),
            "securedConfiguration": masked(values.get("securedConfiguration", [])),
        },
        "createdAt": iso(revision["at"]),
    }


def restore(deployment: Deployment, revision: JSON) -> None:
    """Put a revision's connector and configuration back on the Deployment (the caller bumps the version)."""
    deployment.connector = copy.deepcopy(revision["connector"])
    deployment.applications = copy.deepcopy(revision["applications"])
    deployment.global_values = copy.deepcopy(revision["global_values"])
    deployment.rollback_revision = revision["revision"]


def rollback_version(body: Any) -> int:
    """The expected current version a rollback body carries (DeploymentRollback; UNCONFIRMED)."""
    version = body.get("version") if isinstance(body, dict) else None
    if not isinstance(version, int) or isinstance(version, bool):
        raise invalid_json('the body must be {"version": <the Deployment\'s current version>}')
    return version
