"""``gitsync validate``: offline checks of the selected targets' manifests (no credentials, no network)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from gitsync.cli.options import get_options, global_options
from gitsync.manifest import Problem, load_deployments
from gitsync.manifest.config import load_target_set
from gitsync.manifest.model import Target
from gitsync.manifest.projects import shared_projects
from gitsync.render.problems import RENDERERS_BY_NAME, render_problems, summary_line


def collect_problems(
    paths: tuple[str, ...], allow_plaintext_secrets: bool
) -> tuple[list[Problem], set[str], tuple[Target, ...]]:
    """Every problem of every selected target's manifests, the files read, and the targets."""
    options = get_options()
    env = dict(os.environ)
    target_set = load_target_set(options.config, Path.cwd(), env, options.targets)
    targets = target_set.selected
    problems: set[Problem] = set()
    files: set[str] = set()
    for target in targets:
        result = load_deployments(
            target,
            paths,
            env=env,
            resolve=False,
            allow_plaintext_secrets=allow_plaintext_secrets,
            only=options.only,
            exclude=options.exclude,
        )
        problems.update(result.problems)
        files.update(result.files)
    # keys two targets of one project both declare (SPEC §1.1); offline, a ${NAME} key is not compared
    problems.update(shared_projects(target_set, targets, env, resolve_keys=False).problems)
    return sorted(problems), files, targets


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(RENDERERS_BY_NAME)),
    default="text",
    show_default=True,
    help="Report format (github: workflow annotations).",
)
@click.option("--allow-plaintext-secrets", is_flag=True, help="Accept literal securedConfiguration values.")
@global_options
def validate(paths: tuple[str, ...], output_format: str, allow_plaintext_secrets: bool) -> int:
    """Check manifests offline: YAML, schema, duplicates, secrets, connector schemas."""
    problems, files, targets = collect_problems(paths, allow_plaintext_secrets)
    color = get_options().color_stdout
    render_problems(problems, output_format, sys.stdout, color)
    click.echo(summary_line(problems, files), err=True)
    if not paths and all(target.implicit for target in targets):
        click.echo("hint: no gitsync.yaml found and no PATHS given: name the manifests to check", err=True)
    return 1 if problems else 0
