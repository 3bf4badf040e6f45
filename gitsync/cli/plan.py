"""``gitsync plan``: parse → build (targets, manifests, clients) → execute (read, plan, render, save).

Every manifest problem is reported before any API call. Exit codes (SPEC §2): 0 no changes (or no
``--detailed-exitcode``), 2 changes or waits with ``--detailed-exitcode``, 1 an ``error`` action or any
failure.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import click

from gitsync.cli.clients import client_for
from gitsync.cli.logging import configure_verbose
from gitsync.cli.options import GlobalOptions, get_options, global_options
from gitsync.errors import ConfigError, GitsyncError, ManifestError
from gitsync.manifest import LoadResult, Problem, load_deployments
from gitsync.manifest.config import load_target_set
from gitsync.manifest.model import DesiredDeployment, Target
from gitsync.manifest.problems import Note
from gitsync.manifest.projects import shared_projects
from gitsync.plan.model import Plan
from gitsync.plan.planner import build_plan
from gitsync.plan.reader import read_targets, select_live
from gitsync.plan.saved import save_plan
from gitsync.render import render_plan
from gitsync.render.problems import render_problems

EXIT_CHANGES = 2


@dataclass(frozen=True)
class PlanArgs:
    """What ``gitsync plan`` was asked for, parsed."""

    paths: tuple[str, ...]
    fmt: str
    out: Path | None
    detailed_exitcode: bool
    redeploy_keys: tuple[str, ...]
    options: GlobalOptions
    replace_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanInputs:
    """The selected targets and their desired Deployments, loaded and resolved."""

    targets: tuple[Target, ...]
    desired_by_target: Mapping[str, tuple[DesiredDeployment, ...]]
    foreign_keys: Mapping[str, frozenset[str]] = dataclasses.field(default_factory=dict)
    """Per target: keys another target of its project declares, which it never prunes (SPEC §1.1)."""


@click.command("plan")
@click.argument("paths", nargs=-1)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),  # a str: Path("") would already be "."
    callback=lambda ctx, param, value: _out_file(value),
    help="Also save the plan to FILE.",
)
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 2 when apply has work (a change or a wait), 0 if none."
)
@click.option(
    "--redeploy", "redeploy_keys", multiple=True, metavar="KEY", help="Force a redeploy of KEY (repeatable)."
)
@click.option(
    "--replace",
    "replace_keys",
    multiple=True,
    metavar="KEY",
    help="Force a replace (delete, then create) of KEY (repeatable).",
)
@global_options
def plan(
    paths: tuple[str, ...],
    fmt: str,
    out: Path | None,
    detailed_exitcode: bool,
    redeploy_keys: tuple[str, ...],
    replace_keys: tuple[str, ...],
) -> int:
    """Read live state, diff it against the manifests and print the plan."""
    args = PlanArgs(paths, fmt, out, detailed_exitcode, redeploy_keys, get_options(), replace_keys)
    configure_verbose(args.options.verbose)
    inputs = build_inputs(args, os.environ)
    result = execute(args, inputs, os.environ)
    return exit_code(result, detailed_exitcode=args.detailed_exitcode)


def _out_file(value: str | None) -> Path | None:
    """Refuse ``--out ""`` while parsing (exit 64, before any API call): an empty name is no file."""
    if value is None:
        return None
    if not value.strip():
        raise click.BadParameter("an empty file name; name the file to save the plan to", param_hint="--out")
    return Path(value)


def build_inputs(args: PlanArgs, env: Mapping[str, str]) -> PlanInputs:
    """Targets and manifests, every problem reported before any API call."""
    options = args.options
    target_set = load_target_set(options.config, Path.cwd(), env, options.targets)
    targets = target_set.selected
    if args.paths:
        # PATHS narrow the manifests: a live Deployment outside them is not ours to prune this run
        targets = tuple(dataclasses.replace(target, prune=False) for target in targets)
    desired: dict[str, tuple[DesiredDeployment, ...]] = {}
    problems: dict[Problem, None] = {}  # a file two targets share reports its problem once
    notes: dict[Note, None] = {}
    for target in targets:
        # resolve_secrets=False: plan sends no secret, so it needs none set (SPEC §2) and holds none
        loaded = load_deployments(
            target, args.paths, env=env, resolve=True, only=options.only, exclude=options.exclude
        )
        narrowed = bool(args.paths or options.only or options.exclude)
        _require_manifests(target, loaded, narrowed=narrowed)
        desired[target.name] = tuple(loaded.deployments)
        problems.update(dict.fromkeys(loaded.problems))
        notes.update(dict.fromkeys(loaded.notes))
    shared = shared_projects(target_set, targets, env, resolve_keys=True)
    problems.update(dict.fromkeys(shared.problems))
    if problems:
        # the validate reporter: the same sorted `file:line:col: error[code]: message` lines as validate
        render_problems(list(problems), "text", sys.stderr, options.color_for(sys.stderr))
        raise ManifestError(
            f"{len(problems)} problem(s) in the manifests; nothing was planned", tuple(problems)
        )
    _check_forced_keys("--redeploy", args.redeploy_keys, desired)
    _check_forced_keys("--replace", args.replace_keys, desired)
    for note in sorted(notes):
        click.echo(str(note), err=True)
    return PlanInputs(targets=targets, desired_by_target=desired, foreign_keys=shared.foreign_keys)


def _require_manifests(target: Target, loaded: LoadResult, *, narrowed: bool) -> None:
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


def _check_forced_keys(
    flag: str, keys: Sequence[str], desired: Mapping[str, Sequence[DesiredDeployment]]
) -> None:
    declared = {deployment.key for deployments in desired.values() for deployment in deployments}
    unknown = sorted(set(keys) - declared)
    if unknown:
        raise GitsyncError(
            f"{flag} {', '.join(unknown)}: no selected manifest declares this deployment; "
            "check the key, --target, --only and --exclude"
        )


def execute(args: PlanArgs, inputs: PlanInputs, env: Mapping[str, str]) -> Plan:
    """Read live state, plan, print the plan to stdout and save it with --out."""
    with ExitStack() as stack:
        clients = {target.name: stack.enter_context(client_for(target, env)) for target in inputs.targets}
        live = read_targets(clients, inputs.desired_by_target)
    options = args.options
    result = build_plan(
        inputs.targets,
        inputs.desired_by_target,
        {name: select_live(state.deployments, options.only, options.exclude) for name, state in live.items()},
        {name: state.connectors for name, state in live.items()},
        redeploy_keys=args.redeploy_keys,
        replace_keys=args.replace_keys,
        foreign_keys=inputs.foreign_keys,
    )
    render_plan(result, args.fmt, sys.stdout, color=options.color_for(sys.stdout))
    if not result.changes and (options.only or options.exclude):
        # an empty plan from a typo in a glob must not read as "all in sync"
        click.echo("note: no deployment key matched --only/--exclude; check the globs", err=True)
    if args.out is not None:
        save_plan(result, args.out)
        click.echo(f"Saved the plan to {args.out}; `gitsync show {args.out}` prints it again.", err=True)
    return result


def exit_code(result: Plan, *, detailed_exitcode: bool) -> int:
    """1 for any ``error`` action; 2 for changes or waits with --detailed-exitcode; else 0."""
    if result.has_errors:
        click.echo(
            f"error: {result.summary['error']} deployment(s) cannot be applied as planned (see above)",
            err=True,
        )
        return 1
    # a wait is work too: apply waits for it and plans it again, so exit 0 must never hide one (issue 7)
    has_work = result.has_changes or result.summary["wait"] > 0
    return EXIT_CHANGES if detailed_exitcode and has_work else 0
