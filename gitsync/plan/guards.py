"""Guards: what gitsync refuses to destroy, and the checks apply runs before any call (SPEC §4).

``protect`` and ``preventDestroy`` refuse one Deployment's delete or replace (the planner makes it an
``error`` change); ``maxDeletes`` bounds a target's deletes + replaces (plan reports it, apply refuses with
exit 3); the target identity check stops a saved plan from running against a different project. Pure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from gitsync.errors import GuardError
from gitsync.manifest.model import DesiredDeployment
from gitsync.manifest.target import Target
from gitsync.plan.model import Plan

DESTRUCTIVE = frozenset({"delete", "replace"})


@dataclass(frozen=True)
class GuardViolation:
    """One guard a plan breaks: which target, which guard, and what to do (shown as is)."""

    target: str
    guard: str
    message: str

    def __str__(self) -> str:
        return self.message


def protect(target: Target, key: str, verb: str) -> str | None:
    """Why the target's ``protect`` globs refuse to ``verb`` (delete/replace) ``key``, or None."""
    for glob in target.protect:
        if fnmatchcase(key, glob):
            return (
                f"deployment {key!r} matches protect glob {glob!r} of target {target.name!r}, so gitsync "
                f"will not {verb} it; revert the change that requires it, or remove the glob from "
                f"targets.{target.name}.protect in gitsync.yaml"
            )
    return None


def prevent_destroy(desired: DesiredDeployment | None, key: str, verb: str) -> str | None:
    """Why the manifest's ``lifecycle.preventDestroy`` refuses to ``verb`` ``key``, or None."""
    if desired is not None and desired.lifecycle.prevent_destroy:
        return (
            f"{desired.source} sets lifecycle.preventDestroy, so gitsync will not {verb} {key!r}; revert "
            "the change that requires it, or set preventDestroy: false"
        )
    return None


def refuse_destroy(target: Target, key: str, desired: DesiredDeployment | None, verb: str) -> str | None:
    """Why a delete or replace is refused (protect glob, then preventDestroy), with what to do."""
    return protect(target, key, verb) or prevent_destroy(desired, key, verb)


def max_deletes(plan: Plan, targets: Sequence[Target]) -> list[GuardViolation]:
    """Targets whose planned deletes + replaces exceed their ``maxDeletes``; unset means no bound."""
    destructive = Counter(change.target for change in plan.changes if change.action in DESTRUCTIVE)
    violations = []
    for target in targets:
        count = destructive.get(target.name, 0)
        if target.max_deletes is not None and count > target.max_deletes:
            violations.append(
                GuardViolation(
                    target.name,
                    "maxDeletes",
                    f"target {target.name!r} plans {count} delete(s) and replace(s), more than its "
                    f"maxDeletes of {target.max_deletes}, so apply will refuse this plan; review the "
                    f"deletes, or raise targets.{target.name}.maxDeletes in gitsync.yaml",
                )
            )
    return violations


def check_guards(plan: Plan, targets: Sequence[Target]) -> list[GuardViolation]:
    """Every plan-wide guard the plan breaks (today: maxDeletes); plan prints them, apply refuses."""
    return max_deletes(plan, targets)


def check_identity(plan: Plan, targets: Sequence[Target]) -> list[GuardViolation]:
    """Targets of a saved plan whose projectKey or region differ from the current config, or are gone."""
    current = {target.name: target for target in targets}
    violations = []
    for info in plan.targets:
        target = current.get(info.name)
        if target is None:
            message = (
                f"the plan is for target {info.name!r}, which gitsync.yaml (or --target) no longer selects; "
                "plan again, or select that target"
            )
        elif (target.project_key, target.region) != (info.project_key, info.region):
            message = (
                f"the plan was made for target {info.name!r} as project {info.project_key!r} in "
                f"{info.region!r}, but it is now {target.project_key!r} in {target.region!r}; plan again"
            )
        else:
            continue
        violations.append(GuardViolation(info.name, "identity", message))
    return violations


def require_guards(plan: Plan, targets: Sequence[Target]) -> None:
    """What apply calls before any request: raise ``GuardError`` (exit 3) naming every broken guard."""
    violations = check_identity(plan, targets) + check_guards(plan, targets)
    if violations:
        raise GuardError("; ".join(str(violation) for violation in violations))
