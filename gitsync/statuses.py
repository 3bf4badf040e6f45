"""The Deployment status names (facts §1.6), kept once, with no dependency.

A leaf module so both the API models (which parse them) and the pure planner (which decides on them) use the
one list: the planner must not import the API's pydantic models just to spell a status.
"""

from __future__ import annotations

from enum import StrEnum


class DeploymentStatus(StrEnum):
    DRAFT = "Draft"
    QUEUED = "Queued"
    DEPLOYING = "Deploying"
    DEPLOYED = "Deployed"
    FAILED = "Failed"
    UNDEPLOYING = "Undeploying"
    UNDEPLOY_FAILED = "UndeployFailed"


BUSY_STATUSES = frozenset({DeploymentStatus.QUEUED, DeploymentStatus.DEPLOYING, DeploymentStatus.UNDEPLOYING})
"""A Deployment in one of these is being worked on: apply waits for it to settle before acting."""
