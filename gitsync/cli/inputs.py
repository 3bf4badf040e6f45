"""The inputs plan and apply share: targets and manifests through the core, problems printed as validate
prints them, before any API call."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import click

from gitsync.cli.options import GlobalOptions
from gitsync.core.inputs import PlanInputs, PlanQuery, load_inputs
from gitsync.errors import ManifestError
from gitsync.manifest import Problem
from gitsync.render.problems import render_problems


def load_command_inputs(
    options: GlobalOptions,
    paths: Sequence[str],
    redeploy_keys: Sequence[str],
    replace_keys: Sequence[str],
    env: Mapping[str, str],
) -> PlanInputs:
    """Targets and manifests; secured values stay references (plan never needs one, apply reveals each one
    as it sends it: SPEC §2). Every problem goes to stderr as sorted ``file:line:col`` lines, then raises."""
    query = PlanQuery(
        config=options.config,
        target_names=options.targets,
        paths=tuple(paths),
        only=options.only,
        exclude=options.exclude,
        redeploy_keys=tuple(redeploy_keys),
        replace_keys=tuple(replace_keys),
        resolve_secrets=False,
    )
    try:
        inputs = load_inputs(query, env, Path.cwd())
    except ManifestError as exc:
        problems = [problem for problem in exc.problems if isinstance(problem, Problem)]
        render_problems(problems, "text", sys.stderr, options.color_for(sys.stderr))
        raise
    for note in inputs.notes:
        click.echo(str(note), err=True)
    return inputs
