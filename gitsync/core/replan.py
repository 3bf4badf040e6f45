"""Planning one Deployment again during apply, from the target state the plan was made from.

The apply engine asks for it after a 409 ``ConcurrentModification`` and after a ``wait`` change settles
(``gitsync.apply.engine.Replan``): the same planner rules as the whole plan, applied to one fresh read.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

from gitsync.api.models import Deployment
from gitsync.live.convert import live_deployment
from gitsync.live.state import ConnectorLookup
from gitsync.plan.model import Change, Plan
from gitsync.plan.planner import plan_deployment, plan_orphan
from gitsync.plan.state import TargetState

REDEPLOY_NOTE = "requested with --redeploy"
REPLACE_NOTE = "requested with --replace"


def replanner(
    states: Sequence[TargetState],
    *,
    redeploy_keys: Collection[str] = (),
    replace_keys: Collection[str] = (),
) -> Callable[[Change, Deployment | None], Change]:
    """A function planning ``change``'s Deployment again against ``deployment`` (None: it is gone)."""
    by_target = {state.target.name: state for state in states}

    def replan(change: Change, deployment: Deployment | None) -> Change:
        state = by_target[change.target]
        live = live_deployment(deployment) if deployment is not None else None
        desired = next((d for d in state.desired if d.key == change.key), None)
        if desired is None:  # an orphan (a planned delete): gone now is nothing left to do
            if live is None:
                return Change(target=change.target, key=change.key, action="noop")
            return plan_orphan(state.target, live, nothing_declared=not state.desired)
        return plan_deployment(
            state.target,
            desired,
            live,
            state.connectors.get(ConnectorLookup.of(desired.connector)),
            force_redeploy=desired.key in redeploy_keys,
            force_replace=desired.key in replace_keys,
        )

    return replan


def forced_keys(plan: Plan, note: str) -> frozenset[str]:
    """Keys a (saved) plan redeploys or replaces only because the command forced them (by reason note)."""
    return frozenset(change.key for change in plan.changes if _noted(change.reasons, note))


def _noted(reasons: Iterable[object], note: str) -> bool:
    return any(getattr(reason, "note", None) == note for reason in reasons)
