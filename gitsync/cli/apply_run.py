"""The body of ``gitsync apply``: build the plan (fresh or saved), refuse before any write, confirm, run the
engine, report. Only the CLI maps what it finds to exit codes (SPEC §2):

- 3: a guard refuses (a protect / preventDestroy ``error`` change, maxDeletes without --force, a saved plan
  for another project or region, a stale saved change); nothing is sent;
- 1: any other ``error`` change (a missing connector, …) or an unset secured variable a request needs;
  nothing is sent. With both kinds of ``error`` change the guard wins (3) and both are listed;
- then 0 / 1 / 130 from the report (gitsync.apply.result.exit_code).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping, Sequence

import click

from gitsync.api.client import ConnectClient
from gitsync.api.models import Deployment
from gitsync.apply.calls import send_planned
from gitsync.apply.dryrun import DRY_RUN_RENDERERS
from gitsync.apply.engine import ApplySettings, Send, apply_plan
from gitsync.apply.live_view import LiveProgress
from gitsync.apply.progress import Progress
from gitsync.apply.report import RENDERERS_BY_NAME
from gitsync.apply.result import ApplyReport, exit_code
from gitsync.cli import INTERRUPT
from gitsync.cli.apply import ApplyArgs
from gitsync.cli.inputs import load_command_inputs
from gitsync.core.clients import open_clients
from gitsync.core.inputs import PlanInputs
from gitsync.core.make import PlanRun, make_plan
from gitsync.core.refusals import damaged_saved, guard_errors, guarded_now, stale_changes, unset_secrets
from gitsync.core.replan import REDEPLOY_NOTE, REPLACE_NOTE, forced_keys, replanner
from gitsync.errors import GitsyncError, GuardError, PlanFileError, VariableError
from gitsync.manifest.target import Target
from gitsync.plan.guards import check_guards, check_identity
from gitsync.plan.model import Plan, Request
from gitsync.plan.saved import load_plan
from gitsync.render import render_plan

WORK = frozenset({"create", "redeploy", "replace", "delete", "wait"})
AGAIN = "run `gitsync plan` again, review it, then apply"


def execute(args: ApplyArgs, env: Mapping[str, str]) -> int:
    """Plan, refuse, confirm, apply, report; the exit code of SPEC §2."""
    saved = load_plan(args.plan_file) if args.plan_file is not None else None
    inputs = build_inputs(args, env)
    if saved is not None:  # before any read: a plan for another project has nothing to read there
        _raise_guards("the saved plan does not fit the configuration", check_identity(saved, inputs.targets))
    with open_clients(inputs.targets, env, INTERRUPT) as clients:
        try:
            run = make_plan(inputs, env, cancel=INTERRUPT, clients=clients)
        except KeyboardInterrupt:
            click.echo("interrupted while reading live state; nothing was sent", err=True)
            raise
        plan = saved if saved is not None else run.plan
        show_plan(args, plan, run)
        refuse(args, plan, run, inputs.targets, env, saved=saved is not None)
        if args.dry_run:
            DRY_RUN_RENDERERS[args.fmt](plan, sys.stdout)
            return 0
        if any(change.action in WORK for change in plan.changes) and not confirmed(args):
            click.echo("Apply cancelled; nothing was sent.", err=True)
            return 1
        report = run_engine(args, plan, run, clients, inputs.targets, env)
    return report_and_exit(args, plan, report)


def build_inputs(args: ApplyArgs, env: Mapping[str, str]) -> PlanInputs:
    """Targets and manifests, every problem printed before any API call (shared with plan and apply)."""
    return load_command_inputs(args.options, args.paths, args.redeploy_keys, args.replace_keys, env)


def show_plan(args: ApplyArgs, plan: Plan, run: PlanRun) -> None:
    """The plan for review, on stderr (stdout is the report's)."""
    if args.plan_file is not None:
        click.echo(f"Applying the saved plan {args.plan_file} (made {plan.created_at}):", err=True)
    render_plan(plan, "text", sys.stderr, color=args.options.color_for(sys.stderr))


def refuse(
    args: ApplyArgs,
    plan: Plan,
    run: PlanRun,
    targets: Sequence[Target],
    env: Mapping[str, str],
    *,
    saved: bool,
) -> None:
    """Raise the first refusal that applies (GuardError: exit 3; GitsyncError: exit 1); nothing sent yet."""
    damage = damaged_saved(plan) if saved else None
    if damage is not None:
        raise PlanFileError(
            f"{args.plan_file}: the plan file is damaged ({damage}); nothing was sent; {AGAIN}"
        )
    guarded, other = guard_errors(plan, run.states)
    errors = [f"{change.target}/{change.key}: {change.error}" for change in guarded + other]
    now = guarded_now(plan, run.states) if saved else []  # a guard added since the review holds too
    if guarded or now:
        raise GuardError(_listed("apply refused by a guard; nothing was sent", errors + now))
    if other:
        raise GitsyncError(_listed("the plan has changes that cannot be applied; nothing was sent", errors))
    if not args.force:
        violations = check_guards(plan, targets)
        _raise_guards("apply refused by maxDeletes (--force applies past it); nothing was sent", violations)
    if saved:
        stale = stale_changes(plan, run.states)
        if stale:
            raise GuardError(_listed(f"the saved plan is stale; nothing was sent; {AGAIN}", stale))
    unset = unset_secrets(plan, run.states, env)
    if unset:
        head = "secured variables the plan sends are not set or empty; set them where apply runs"
        head += "; nothing was sent"
        raise VariableError(_listed(head, [str(item) for item in unset]))


def _raise_guards(head: str, violations: Sequence[object]) -> None:
    if violations:
        raise GuardError(_listed(head, [str(violation) for violation in violations]))


def _listed(head: str, items: Sequence[str]) -> str:
    return head + ":\n" + "\n".join(f"  {item}" for item in items)


def confirmed(args: ApplyArgs) -> bool:
    """--yes, or the word ``yes`` typed on the terminal (check_usage refused a non-terminal without --yes)."""
    if args.yes:
        return True
    answer = click.prompt(
        "Apply these changes? Only 'yes' will be accepted", default="", show_default=False, err=True
    )
    return str(answer).strip() == "yes"


def run_engine(
    args: ApplyArgs,
    plan: Plan,
    run: PlanRun,
    clients: Mapping[str, ConnectClient],
    targets: Sequence[Target],
    env: Mapping[str, str],
) -> ApplyReport:
    """The engine with the planned sends, the replanner from this run's target states, progress on stderr."""
    redeploy_keys, replace_keys = frozenset(args.redeploy_keys), frozenset(args.replace_keys)
    if args.plan_file is not None:  # the saved plan records what its command line forced
        redeploy_keys, replace_keys = forced_keys(plan, REDEPLOY_NOTE), forced_keys(plan, REPLACE_NOTE)
    settings = ApplySettings(concurrency=args.concurrency, timeout=args.timeout, wait=args.wait)
    with progress_for(args, env) as progress:
        return apply_plan(
            plan,
            clients,
            planned_sender(clients, targets, env),
            replan=replanner(run.states, redeploy_keys=redeploy_keys, replace_keys=replace_keys),
            cancel=INTERRUPT,
            progress=progress,
            settings=settings,
        )


def progress_for(args: ApplyArgs, env: Mapping[str, str]) -> Progress:
    """A live block on a terminal (not with -v: its lines would tear it); else lines and a heartbeat."""
    live = sys.stderr.isatty() and not args.options.verbose and env.get("TERM") != "dumb"
    return LiveProgress(sys.stderr) if live else Progress(sys.stderr)


def planned_sender(
    clients: Mapping[str, ConnectClient], targets: Sequence[Target], env: Mapping[str, str]
) -> Send:
    """``send_planned`` with the reveal of the client's target: its ``vars``, then ``env`` (SPEC §1.2)."""
    by_name = {target.name: target for target in targets}
    reveals = {
        id(client): functools.partial(by_name[name].variable, env=env) for name, client in clients.items()
    }

    def send(client: ConnectClient, request: Request) -> Deployment | None:
        return send_planned(client, request, reveals[id(client)])

    return send


def report_and_exit(args: ApplyArgs, plan: Plan, report: ApplyReport) -> int:
    """The report on stdout ("No changes." when there was nothing to do), then its exit code."""
    if args.fmt == "text" and not any(change.action in WORK for change in plan.changes):
        click.echo("No changes. Every selected Deployment matches its manifest; nothing was sent.")
    else:
        RENDERERS_BY_NAME[args.fmt](report, sys.stdout)
    if report.interrupted:
        click.echo("interrupted: the report above says what was sent and what was not", err=True)
    return exit_code(report)
