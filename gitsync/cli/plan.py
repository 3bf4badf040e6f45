"""``gitsync plan``: parse → the planning core (``gitsync.core``) → render, save, exit code.

Every manifest problem is reported before any API call. Exit codes (SPEC §2): 0 no changes (or no
``--detailed-exitcode``), 2 changes or waits with ``--detailed-exitcode``, 1 an ``error`` action or any
failure.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import click

from gitsync.cli import INTERRUPT
from gitsync.cli.inputs import load_command_inputs
from gitsync.cli.logging import configure_verbose
from gitsync.cli.options import GlobalOptions, forced_key_options, get_options, global_options
from gitsync.cli.provenance import comment_context, provenance_options
from gitsync.core.inputs import PlanInputs
from gitsync.core.make import make_plan
from gitsync.plan.model import Plan
from gitsync.plan.saved import save_plan
from gitsync.render import render_plan

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
    commit: str | None = None
    run_url: str | None = None


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
@forced_key_options
@provenance_options
@global_options
def plan(
    paths: tuple[str, ...],
    fmt: str,
    out: Path | None,
    detailed_exitcode: bool,
    redeploy_keys: tuple[str, ...],
    replace_keys: tuple[str, ...],
    commit: str | None,
    run_url: str | None,
) -> int:
    """Read live state, diff it against the manifests and print the plan."""
    args = PlanArgs(
        paths, fmt, out, detailed_exitcode, redeploy_keys, get_options(), replace_keys, commit, run_url
    )
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
    """Targets and manifests, every problem printed before any API call (shared with plan and apply)."""
    return load_command_inputs(args.options, args.paths, args.redeploy_keys, args.replace_keys, env)


def execute(args: PlanArgs, inputs: PlanInputs, env: Mapping[str, str]) -> Plan:
    """Plan through the core, print the plan to stdout, report broken guards and save it with --out."""
    run = make_plan(inputs, env, cancel=INTERRUPT)
    result = run.plan
    options = args.options
    guards = tuple(str(violation) for violation in run.guards)
    context = comment_context(args.commit, args.run_url, env, guards)
    render_plan(result, args.fmt, sys.stdout, color=options.color_for(sys.stdout), context=context)
    if not result.changes and (options.only or options.exclude):
        # an empty plan from a typo in a glob must not read as "all in sync"
        click.echo("note: no deployment key matched --only/--exclude; check the globs", err=True)
    for violation in run.guards:
        click.echo(f"warning: {violation}", err=True)
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
