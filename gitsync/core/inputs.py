"""What a plan is made from: the selected targets and their desired Deployments, every problem found first.

Nothing here talks to the API: every manifest problem is known before any call (SPEC §2).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from gitsync.errors import ConfigError, GitsyncError, ManifestError
from gitsync.manifest import LoadResult, load_deployments
from gitsync.manifest.config import load_target_set
from gitsync.manifest.model import DesiredDeployment
from gitsync.manifest.problems import Note
from gitsync.manifest.projects import shared_projects
from gitsync.manifest.target import Target
from gitsync.plan.state import TargetState


@dataclass(frozen=True)
class PlanQuery:
    """What a command asks the core to plan: config, selection, and the keys it forces."""

    config: Path | None = None
    target_names: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    redeploy_keys: tuple[str, ...] = ()
    replace_keys: tuple[str, ...] = ()
    resolve_secrets: bool = False
    """Look up secured values (apply, which sends them); plan needs none set and holds none (SPEC §2)."""


@dataclass(frozen=True)
class PlanInputs:
    """One ``TargetState`` per selected target (desired and foreign keys, no live state yet), and notes."""

    query: PlanQuery
    states: tuple[TargetState, ...]
    notes: tuple[Note, ...] = ()

    @property
    def targets(self) -> tuple[Target, ...]:
        return tuple(state.target for state in self.states)


def load_inputs(query: PlanQuery, env: Mapping[str, str], cwd: Path) -> PlanInputs:
    """Targets and manifests; raises ``ManifestError`` carrying every problem, before any API call."""
    target_set = load_target_set(query.config, cwd, env, query.target_names)
    targets = target_set.selected
    if query.paths:
        # PATHS narrow the manifests: a live Deployment outside them is not ours to prune this run
        targets = tuple(dataclasses.replace(target, prune=False) for target in targets)
    loaded = [_load_target(query, target, env) for target in targets]
    shared = shared_projects(target_set, targets, env, resolve_keys=True)
    # dicts as ordered sets: a file two targets share reports its problem (or note) once
    problems = dict.fromkeys(p for result in loaded for p in result.problems) | dict.fromkeys(shared.problems)
    if problems:
        message = f"{len(problems)} problem(s) in the manifests; nothing was planned"
        raise ManifestError(message, tuple(problems))
    desired = {target.name: tuple(result.deployments) for target, result in zip(targets, loaded, strict=True)}
    check_forced_keys("--redeploy", query.redeploy_keys, desired)
    check_forced_keys("--replace", query.replace_keys, desired)
    foreign = shared.foreign_keys
    states = tuple(
        TargetState(target, desired[target.name], foreign_keys=foreign.get(target.name, frozenset()))
        for target in targets
    )
    notes = dict.fromkeys(note for result in loaded for note in result.notes)
    return PlanInputs(query=query, states=states, notes=tuple(sorted(notes)))


def _load_target(query: PlanQuery, target: Target, env: Mapping[str, str]) -> LoadResult:
    """One target's manifests, narrowed by PATHS and the selection; a target with none is an error."""
    loaded = load_deployments(
        target,
        query.paths,
        env=env,
        resolve=True,
        only=query.only,
        exclude=query.exclude,
        resolve_secrets=query.resolve_secrets,
    )
    require_manifests(target, loaded, narrowed=bool(query.paths or query.only or query.exclude))
    return loaded


def require_manifests(target: Target, loaded: LoadResult, *, narrowed: bool) -> None:
    """A target that reads no manifest at all is a mistake, never "delete everything" (SPEC §1.1).

    PATHS, --only and --exclude may leave a target none of its files (then the planner never prunes from
    an empty desired set); without them every target must read at least one manifest file.
    """
    if narrowed or loaded.files or loaded.problems:
        return
    if target.implicit:
        raise ConfigError(
            "no gitsync.yaml and no PATHS: there are no manifests to plan; name them "
            "(gitsync plan deployments/) or write a gitsync.yaml"
        )
    raise ConfigError(
        f"target {target.name!r} reads no manifests, so nothing would be planned for it (and under "
        f"prune every live Deployment deleted); point targets.{target.name}.manifests in gitsync.yaml "
        "at its manifest files, folders or globs"
    )


def check_forced_keys(
    flag: str, keys: Sequence[str], desired: Mapping[str, Sequence[DesiredDeployment]]
) -> None:
    """``--redeploy`` / ``--replace`` keys must name a selected manifest: a typo is an error, not a no-op."""
    declared = {deployment.key for deployments in desired.values() for deployment in deployments}
    unknown = sorted(set(keys) - declared)
    if unknown:
        raise GitsyncError(
            f"{flag} {', '.join(unknown)}: no selected manifest declares this deployment; "
            "check the key, --target, --only and --exclude"
        )
