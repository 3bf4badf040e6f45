"""``gitsync apply [PATHS...]`` / ``gitsync apply --plan FILE``: plan (or load), show, refuse, confirm, apply.

stdout carries the product: the final report (text table or JSON), or the requests of ``--dry-run``; the
plan shown for review, the prompt and progress go to stderr. Everything that can refuse the apply is
checked before the first write (gitsync.core.refusals, gitsync.plan.guards); see ``gitsync.cli.apply_run``.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from gitsync.cli.logging import configure_verbose
from gitsync.cli.options import GlobalOptions, forced_key_options, get_options, global_options

DEFAULT_TIMEOUT = "30m"
_DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?")


class Duration(click.ParamType):  # type: ignore[type-arg]  # generic only in some click releases
    """``30m``, ``90s``, ``1h``, ``1h30m`` or plain seconds (``45``) → seconds; zero or less is refused."""

    name = "DURATION"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, int | float):
            return float(value)
        text = str(value).strip()
        seconds = parse_duration(text)
        if seconds is None or seconds <= 0:
            self.fail(f"{text!r} is not a duration; write e.g. 30m, 90s, 1h or 1h30m", param, ctx)
        return seconds


def parse_duration(text: str) -> float | None:
    """Seconds of ``text`` (see ``Duration``), or None when it is not a duration."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    match = _DURATION.fullmatch(text)
    if not text or match is None:
        return None
    hours, minutes, seconds = (float(part) if part else 0.0 for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


@dataclass(frozen=True)
class ApplyArgs:
    """What ``gitsync apply`` was asked for, parsed."""

    paths: tuple[str, ...]
    plan_file: Path | None
    yes: bool
    dry_run: bool
    concurrency: int
    wait: bool
    timeout: float
    force: bool
    fmt: str
    redeploy_keys: tuple[str, ...]
    replace_keys: tuple[str, ...]
    options: GlobalOptions


@click.command("apply")
@click.argument("paths", nargs=-1)
@click.option(
    "--plan",
    "plan_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Apply this saved plan (from `gitsync plan --out FILE`), exactly; refused if stale.",
)
@click.option("--yes", is_flag=True, help="Apply without asking (required when stdin is not a terminal).")
@click.option("--dry-run", is_flag=True, help="Print every request apply would send; send none.")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 256),
    default=8,
    show_default=True,
    help="HTTP calls in flight at most.",
)
@click.option("--wait/--no-wait", default=True, show_default=True, help="Wait for deployments to settle.")
@click.option(
    "--timeout",
    type=Duration(),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="How long to wait for the whole apply (30m, 90s, 1h).",
)
@click.option("--force", is_flag=True, help="Apply past maxDeletes (never past protect or preventDestroy).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Of the report on stdout (with --dry-run: of the requests).",
)
@forced_key_options
@global_options
def apply(**values: Any) -> int:
    """Plan (or load a saved plan), show it, confirm, apply it and report what happened to each Deployment."""
    from gitsync.cli.apply_run import execute  # the HTTP and engine imports only once parsing succeeded

    args = ApplyArgs(options=get_options(), **values)
    check_usage(args, stdin_is_terminal=sys.stdin.isatty())
    configure_verbose(args.options.verbose)
    return execute(args, os.environ)


def check_usage(args: ApplyArgs, *, stdin_is_terminal: bool) -> None:
    """Usage errors (exit 64) before anything is read or sent."""
    if args.plan_file is not None:
        given = [
            flag
            for flag, value in (
                ("PATHS", args.paths),
                ("--only", args.options.only),
                ("--exclude", args.options.exclude),
                ("--redeploy", args.redeploy_keys),
                ("--replace", args.replace_keys),
            )
            if value
        ]
        if given:
            raise click.UsageError(
                f"--plan applies a saved plan exactly as reviewed and does not take {', '.join(given)}; "
                "give them to `gitsync plan --out FILE` instead"
            )
    if not (args.yes or args.dry_run or stdin_is_terminal):
        raise click.UsageError(
            "apply needs --yes when stdin is not a terminal (nobody can confirm); review the plan "
            "first (gitsync plan), then run gitsync apply --yes; nothing was sent"
        )
