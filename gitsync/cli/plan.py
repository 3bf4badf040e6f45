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
from gitsync.errors import GitsyncError, ManifestError
from gitsync.manifest import Problem, load_deployments, load_targets
from gitsync.manifest.model import DesiredDeployment, Target
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


@dataclass(frozen=True)
class PlanInputs:
    """The selected targets and their desired Deployments, loaded and resolved."""

    targets: tuple[Target, ...]
    desired_by_target: Mapping[str, tuple[DesiredDeployment, ...]]


@click.command("plan")
@click.argument("paths", nargs=-1)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True
)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Also save the plan to FILE.")
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 2 when apply has work (a change or a wait), 0 if none."
)
@click.option(
    "--redeploy", "redeploy_keys", multiple=True, metavar="KEY", help="Force a redeploy of KEY (repeatable)."
)
@global_options
def plan(
    paths: tuple[str, ...],
    fmt: str,
    out: Path | None,
    detailed_exitcode: bool,
    redeploy_keys: tuple[str, ...],
) -> int:
    """Read live state, diff it against the manifests and print the plan."""
    args = PlanArgs(paths, fmt, out, detailed_exitcode, redeploy_keys, get_options())
    configure_verbose(args.options.verbose)
    inputs = build_inputs(args, os.environ)
    result = execute(args, inputs, os.environ)
    return exit_code(result, detailed_exitcode=args.detailed_exitcode)


def build_inputs(args: PlanArgs, env: Mapping[str, str]) -> PlanInputs:
    """Targets and manifests, every problem reported before any API call."""
    options = args.options
    targets = load_targets(options.config, Path.cwd(), env, options.targets)
    if args.paths:
        # PATHS narrow the manifests: a live Deployment outside them is not ours to prune this run
        targets = tuple(dataclasses.replace(target, prune=False) for target in targets)
    desired: dict[str, tuple[DesiredDeployment, ...]] = {}
    problems: dict[Problem, None] = {}  # a file two targets share reports its problem once
    for target in targets:
        loaded = load_deployments(
            target, args.paths, env=env, resolve=True, only=options.only, exclude=options.exclude
        )
        desired[target.name] = tuple(loaded.deployments)
        problems.update(dict.fromkeys(loaded.problems))
    if problems:
        # the validate reporter: the same sorted `file:line:col: error[code]: message` lines as validate
        render_problems(list(problems), "text", sys.stderr, options.color_for(sys.stderr))
        raise ManifestError(
            f"{len(problems)} problem(s) in the manifests; nothing was planned", tuple(problems)
        )
    _check_redeploy_keys(args.redeploy_keys, desired)
    return PlanInputs(targets=targets, desired_by_target=desired)


def _check_redeploy_keys(keys: Sequence[str], desired: Mapping[str, Sequence[DesiredDeployment]]) -> None:
    declared = {deployment.key for deployments in desired.values() for deployment in deployments}
    unknown = sorted(set(keys) - declared)
    if unknown:
        raise GitsyncError(
            f"--redeploy {', '.join(unknown)}: no selected manifest declares this deployment; "
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
