"""``make_plan``: inputs → one client per target → live state → selection → ``Plan``.

``plan`` calls it and renders; ``apply`` and ``import`` call it (or its steps) and keep the per-target
states, which hold the live Deployments and connectors they act on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from gitsync.api.cancel import CancelToken
from gitsync.api.client import ConnectClient
from gitsync.core.clients import open_clients
from gitsync.core.inputs import PlanInputs
from gitsync.live.read import read_targets, select_live
from gitsync.manifest.config import project_id
from gitsync.plan.guards import GuardViolation, check_guards
from gitsync.plan.model import Plan
from gitsync.plan.planner import build_plan
from gitsync.plan.state import TargetState


@dataclass(frozen=True)
class PlanRun:
    """A plan and the per-target states it was made from (live Deployments, connectors)."""

    plan: Plan
    states: tuple[TargetState, ...]
    guards: tuple[GuardViolation, ...] = ()
    """Plan-wide guards the plan breaks (maxDeletes): plan reports them, apply refuses (exit 3)."""


def make_plan(
    inputs: PlanInputs,
    env: Mapping[str, str],
    *,
    cancel: CancelToken | None = None,
    clients: Mapping[str, ConnectClient] | None = None,
) -> PlanRun:
    """Read every selected target's live state and plan it; ``clients`` (target name → client) are the
    caller's to close, else one per target is opened from ``env`` and closed once read."""
    if clients is None:
        with open_clients(inputs.targets, env, cancel) as opened:
            states = read_states(inputs, opened)
    else:
        states = read_states(inputs, clients)
    query = inputs.query
    plan = build_plan(states, redeploy_keys=query.redeploy_keys, replace_keys=query.replace_keys)
    return PlanRun(plan, states, tuple(check_guards(plan, inputs.targets)))


def read_states(inputs: PlanInputs, clients: Mapping[str, ConnectClient]) -> tuple[TargetState, ...]:
    """Each target's state with its live Deployments (as --only/--exclude select them) and connectors.

    Targets of one project read its Deployments once.
    """
    desired = {state.target.name: state.desired for state in inputs.states}
    projects = {state.target.name: project_id(state.target) for state in inputs.states}
    live = read_targets(clients, desired, projects)
    query = inputs.query
    return tuple(
        dataclasses.replace(
            state,
            live=select_live(live[state.target.name].deployments, query.only, query.exclude),
            connectors=live[state.target.name].connectors,
        )
        for state in inputs.states
    )
