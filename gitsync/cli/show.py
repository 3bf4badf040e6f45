"""``gitsync show FILE``: render a saved plan exactly as ``gitsync plan`` would have shown it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from gitsync.cli.options import GlobalOptions, get_options, global_options
from gitsync.cli.provenance import comment_context, provenance_options
from gitsync.plan.saved import load_plan
from gitsync.render import PLAN_FORMATS, render_plan


def _refuse_selection(options: GlobalOptions) -> None:
    """show prints a saved plan whole, as apply would apply it: a filtered view could read as what a
    ``gitsync apply --plan`` will do, so selecting is refused (exit 64) rather than silently ignored."""
    given = [
        name
        for name, value in (
            ("--config", options.config),
            ("--target", options.targets),
            ("--only", options.only),
            ("--exclude", options.exclude),
        )
        if value
    ]
    if given:
        raise click.UsageError(
            f"show prints a saved plan whole and does not take {', '.join(given)}; select when planning "
            "(gitsync plan --target NAME --only GLOB --out FILE), then show that file"
        )


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(PLAN_FORMATS),
    default="text",
    show_default=True,
    help="text for terminals and logs, json (the saved document), markdown for a PR comment.",
)
@provenance_options
@global_options
def show(file: Path, fmt: str, commit: str | None, run_url: str | None) -> int:
    """Render a saved plan (from `gitsync plan --out FILE`)."""
    _refuse_selection(get_options())
    plan = load_plan(file)
    # a saved plan comes without its configuration: the guards are not checked here (None)
    context = comment_context(commit, run_url, os.environ, None)
    render_plan(plan, fmt, sys.stdout, color=get_options().color_for(sys.stdout), context=context)
    return 0
