"""``gitsync show FILE``: render a saved plan exactly as ``gitsync plan`` would have shown it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gitsync.cli.options import get_options, global_options
from gitsync.plan.saved import load_plan
from gitsync.render import FORMATS, render_plan


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for terminals and logs, json (the saved document), markdown for a PR comment.",
)
@global_options
def show(file: Path, fmt: str) -> int:
    """Render a saved plan (from `gitsync plan --out FILE`)."""
    plan = load_plan(file)
    render_plan(plan, fmt, sys.stdout, color=get_options().color_for(sys.stdout))
    return 0
