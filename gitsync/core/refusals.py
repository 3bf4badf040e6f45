"""What apply refuses before its first write (SPEC §2, §3.2, §4), found as values for the CLI to report.

- ``error`` changes: the ones a guard made (``protect``, ``preventDestroy``: exit 3) apart from the rest
  (a missing connector, an unreachable version: exit 1);
- stale changes of a saved plan: the live Deployment or the manifest moved since the review (exit 3);
- deletes and replaces of a saved plan that a guard added to gitsync.yaml since the review refuses (exit 3);
- secured variables a request to be sent needs but that are unset or empty (exit 1), named with
  ``file:line:col``: CI passes a secret missing from its environment as "", and an empty secret is never
  what was meant.
Pure: it reads the plan and the target states the current run read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from gitsync.live.state import LiveDeployment
from gitsync.manifest.interpolate import single_reference
from gitsync.manifest.model import DesiredDeployment, Position
from gitsync.plan.guards import refuse_destroy
from gitsync.plan.model import Change, LiveState, Plan, Request, SecretRef
from gitsync.plan.state import TargetState

SENT_ACTIONS = frozenset({"create", "redeploy", "replace", "delete"})
TOUCHED_ACTIONS = SENT_ACTIONS | {"wait"}
Key = tuple[str, str]


@dataclass(frozen=True)
class Unset:
    """A secured variable a planned request needs that has no value (or an empty one) where apply runs."""

    change: Change
    ref: SecretRef
    empty: bool = False

    def __str__(self) -> str:
        label = f"{self.change.target}/{self.change.key}"
        state = "is empty" if self.empty else "is not set"
        return f"{self.ref.where}: secured variable {self.ref.name!r} of {label} {state}"


def sent_requests(plan: Plan) -> Iterator[tuple[Change, Request]]:
    """Every request apply will send for ``plan``, in order: the delete half of a replace first."""
    for change in plan.changes:
        if change.action in SENT_ACTIONS:
            for request in (change.delete_request, change.request):
                if request is not None:
                    yield change, request


def unset_secrets(plan: Plan, states: Sequence[TargetState], env: Mapping[str, str]) -> list[Unset]:
    """Each secured reference a request to be sent needs whose variable the target's vars and ``env``
    lack or hold as ""; every one of them, so the user sets them all at once. A ``wait`` change counts
    its manifest's secured values: once settled it may be redeployed, and that redeploy must not fail for a
    variable."""
    by_name = {state.target.name: state for state in states}
    unset: list[Unset] = []
    for change, refs in _needed(plan, by_name):
        state = by_name.get(change.target)
        for ref in refs:
            value = None if state is None else state.target.variable(ref.name, env)
            if not value:
                unset.append(Unset(change, ref, empty=value == ""))
    return unset


def _needed(plan: Plan, states: Mapping[str, TargetState]) -> Iterator[tuple[Change, tuple[SecretRef, ...]]]:
    for change, request in sent_requests(plan):
        yield change, request.secrets
    for change in plan.changes:
        state = states.get(change.target)
        if change.action == "wait" and state is not None:
            desired = next((d for d in state.desired if d.key == change.key), None)
            if desired is not None:
                yield change, secured_refs(desired)


def secured_refs(desired: DesiredDeployment) -> tuple[SecretRef, ...]:
    """The secured ``${NAME}`` values a manifest declares, with where it writes each (no pointer: these
    are not in a planned body)."""
    fallback = desired.position or Position(desired.source, 1, 1)
    apps = (app.values for app in desired.configurations)
    sections = [section for section in (desired.global_configuration, *apps) if section is not None]
    refs = []
    for section in sections:
        for key, secret in section.secured.items():
            name = single_reference(secret.reference)
            if name is not None:
                where = section.secured_at.get(key, fallback)
                refs.append(SecretRef("", name, where.file, where.line, where.col))
    return tuple(refs)


def guard_errors(plan: Plan, states: Sequence[TargetState]) -> tuple[list[Change], list[Change]]:
    """The plan's ``error`` changes split in two: those a guard made (protect, preventDestroy), the rest."""
    targets = {state.target.name: state for state in states}
    guarded: list[Change] = []
    other: list[Change] = []
    for change in plan.changes:
        if change.action == "error":
            state = targets.get(change.target)
            is_guard = state is not None and _guard_made(change, state)
            (guarded if is_guard else other).append(change)
    return guarded, other


def _guard_made(change: Change, state: TargetState) -> bool:
    desired = next((d for d in state.desired if d.key == change.key), None)
    return any(
        change.error is not None and change.error == refuse_destroy(state.target, change.key, desired, verb)
        for verb in ("delete", "replace")
    )


def guarded_now(saved: Plan, states: Sequence[TargetState]) -> list[str]:
    """The deletes and replaces of a saved plan that the current ``protect`` / ``preventDestroy`` refuse:
    a guard added after the review (gitsync.yaml is no part of a manifest digest) must still hold."""
    targets = {state.target.name: state for state in states}
    refused = []
    for change in saved.changes:
        state = targets.get(change.target)
        if change.action not in ("delete", "replace") or state is None:
            continue
        desired = next((d for d in state.desired if d.key == change.key), None)
        why = refuse_destroy(state.target, change.key, desired, change.action)
        if why is not None:
            refused.append(f"{change.target}/{change.key}: {why}")
    return refused


def damaged_saved(saved: Plan) -> str | None:
    """What makes a saved plan's changes unsafe to send as they stand, or None: a Deployment with two
    changes (apply would send its calls twice), or a request that is not the call its action makes on its
    own key (apply would move another Deployment than the one the rendered plan names)."""
    return _first_repeated(saved) or _first_misaddressed(saved)


def _first_repeated(plan: Plan) -> str | None:
    """A Deployment with two changes (a hand-merged file): apply would send its calls twice."""
    seen: set[tuple[str, str]] = set()
    for change in plan.changes:
        if (change.target, change.key) in seen:
            return f"{change.target}/{change.key} has more than one change"
        seen.add((change.target, change.key))
    return None


# What each action sends, by (field, method, what the path ends with): the collection, or the key's path.
_CALLS = {
    "create": (("request", "POST", "collection"),),
    "redeploy": (("request", "POST", "key"),),
    "delete": (("request", "DELETE", "key"),),
    "replace": (("deleteRequest", "DELETE", "key"), ("request", "POST", "collection")),
}


def _first_misaddressed(plan: Plan) -> str | None:
    """A change whose request is not the call its action makes on its own key."""
    for change in plan.changes:
        for name, method, ends in _CALLS.get(change.action, ()):
            request = change.request if name == "request" else change.delete_request
            if request is None or not _addresses(request, method, ends, change.key):
                return f"{name} of {change.target}/{change.key} is not the {change.action} of that key"
    return None


def _addresses(request: Request, method: str, ends: str, key: str) -> bool:
    if ends == "key":
        return request.method == method and request.path.endswith(f"/deployments/key={key}")
    body_key = request.body.get("key") if isinstance(request.body, dict) else None
    return request.method == method and request.path.endswith("/deployments") and body_key == key


def stale_changes(saved: Plan, states: Sequence[TargetState]) -> list[str]:
    """Why each change a saved plan would act on no longer holds (SPEC §3.2); empty when none is stale."""
    live = {(state.target.name, d.key): d for state in states for d in state.live}
    desired = {(state.target.name, d.key): d for state in states for d in state.desired}
    reasons = []
    for change in saved.changes:
        if change.action not in TOUCHED_ACTIONS:
            continue
        key = (change.target, change.key)
        why = _live_moved(change, live.get(key)) or _manifest_moved(change, desired.get(key))
        if why is not None:
            reasons.append(f"{change.target}/{change.key} ({change.action}): {why}")
    return reasons


def _live_moved(change: Change, now: LiveDeployment | None) -> str | None:
    seen = None if now is None else LiveState(now.id, now.version, now.status)
    if seen == change.live:  # id, version and status (LiveState compares no more)
        return None
    return f"live it is now {_described(seen)}; the plan saw {_described(change.live)}"


def _described(state: LiveState | None) -> str:
    if state is None:
        return "absent"
    return f"version {state.version}, {state.status} (id {state.id})"


def _manifest_moved(change: Change, now: DesiredDeployment | None) -> str | None:
    if change.source is None:
        return None if now is None else f"{now.source} now declares it; the plan deletes it"
    if now is None:
        return f"no selected manifest declares it any more (the plan read {change.source})"
    if now.digest != change.manifest_digest:
        return f"{now.source} changed since the plan (it no longer hashes to the planned manifestDigest)"
    return None
