"""``gitsync validate``: offline checks of the selected targets' manifests (no credentials, no network).

It never reports "no problems" for something it did not check: with no gitsync.yaml and no PATHS there is
nothing to check, which is an error (a pre-commit hook run from the wrong folder must fail, not pass); a
FILE named on the command line that no selected target lists is still checked, on its own.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click

from gitsync.cli.options import GlobalOptions, get_options, global_options
from gitsync.errors import ConfigError
from gitsync.manifest import Problem, load_deployments
from gitsync.manifest.config import TargetSet, load_target_set
from gitsync.manifest.connector import CONNECTOR_SCHEMA_DIR
from gitsync.manifest.target import Target
from gitsync.render.problems import (
    PROBLEM_FORMATS,
    path_from,
    relative_to_cwd,
    render_problems,
    summary_line,
)

_ON_ITS_OWN = "(no target)"


@dataclass
class Checked:
    """What validation found: problems (file names as the chosen format wants them), files read, notes."""

    problems: set[Problem] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    read: list[Path] = field(default_factory=list)
    """The files read, as found: resolved only when a PATH names a file, to tell which ones no target lists
    (resolving a thousand files part by part costs more than a named file ever needs)."""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Run:
    """How this run checks: the global options, the secrets policy, and how to name files."""

    options: GlobalOptions
    allow_plaintext_secrets: bool
    cwd_paths: bool
    """Name files relative to the working directory (GitHub annotations), not to gitsync.yaml."""


def collect_problems(
    paths: tuple[str, ...], allow_plaintext_secrets: bool, *, cwd_paths: bool = False
) -> Checked:
    """Every problem of every selected target's manifests, and of each named file no target lists."""
    run = _Run(get_options(), allow_plaintext_secrets, cwd_paths)
    cwd = Path.cwd()
    env = dict(os.environ)
    target_set = load_target_set(run.options.config, cwd, env, run.options.targets)
    targets = target_set.selected
    if not paths and all(target.implicit for target in targets):
        raise ConfigError(
            f"no gitsync.yaml in {cwd} or above, and no PATHS: nothing to validate; name the manifests "
            "(gitsync validate deployments/) or the config (--config path/to/gitsync.yaml; in a pre-commit "
            "hook: args: [--config, path/to/gitsync.yaml])"
        )
    checked = Checked()
    for target in targets:
        _check_target(checked, run, target, paths)
    _check_unlisted(checked, run, paths, targets[0].base_dir / CONNECTOR_SCHEMA_DIR)
    checked.problems.update(_shared_project_problems(run, target_set, env, cwd))
    return checked


def _shared_project_problems(
    run: _Run, target_set: TargetSet, env: dict[str, str], cwd: Path
) -> list[Problem]:
    """Keys two targets of one project both declare (SPEC §1.1); offline, a ${NAME} key is not compared."""
    targets = target_set.selected
    if all(len(target_set.sharing_project(target)) < 2 for target in targets):
        return []  # the common case, and a pre-commit run need not import what compares them
    from gitsync.manifest.projects import shared_projects

    shared = list(shared_projects(target_set, targets, env, resolve_keys=False).problems)
    if run.cwd_paths:
        shared = relative_to_cwd(shared, targets[0].base_dir, cwd)
    return shared


def _check_unlisted(checked: Checked, run: _Run, paths: Sequence[str], connector_schemas: Path) -> None:
    """Check, on their own, the named files no selected target read: never "no problems" unchecked."""
    outside = _unlisted_files(paths, checked)
    if not outside:
        return
    loose = Target(name=_ON_ITS_OWN, project_key="", region="", base_dir=Path.cwd(), implicit=True)
    _check_target(checked, run, loose, outside, connector_schemas)
    read = _resolved(checked.read)
    checked.notes += [
        f"note: {name} is in no selected target's manifests; checked on its own"
        for name in outside
        if _real(Path(name)) in read  # not when --only / --exclude left it out
    ]


def _check_target(
    checked: Checked, run: _Run, target: Target, paths: Sequence[str], connector_schemas: Path | None = None
) -> None:
    result = load_deployments(
        target,
        paths,
        env={},  # validate looks no variable up
        resolve=False,
        allow_plaintext_secrets=run.allow_plaintext_secrets,
        only=run.options.only,
        exclude=run.options.exclude,
        connector_schemas=connector_schemas,
        build=False,  # validate checks; the desired model is plan's
    )
    checked.read += [target.base_dir / name for name in result.files]
    if not run.cwd_paths:
        checked.problems.update(result.problems)
        checked.files.update(result.files)
        return
    cwd = Path.cwd()
    # a PATH that matches nothing is named as typed: from the working directory already
    typed = {problem for problem in result.problems if problem.file in paths}
    checked.problems.update(typed)
    checked.problems.update(relative_to_cwd(set(result.problems) - typed, target.base_dir, cwd))
    checked.files.update(path_from(cwd, target.base_dir, name) for name in result.files)


def _unlisted_files(paths: Sequence[str], checked: Checked) -> list[str]:
    """The PATHS that are files no selected target read (folders and globs only narrow the targets)."""
    named = [entry for entry in paths if os.path.isfile(entry)]  # False where it cannot look
    if not named:
        return []
    read = _resolved(checked.read)
    return [entry for entry in named if _real(Path(entry)) not in read]


def _resolved(files: Sequence[Path]) -> set[Path]:
    return {_real(path) for path in files}


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(PROBLEM_FORMATS)),
    default="text",
    show_default=True,
    help="Report format (github: workflow annotations, paths relative to the working directory).",
)
@click.option("--allow-plaintext-secrets", is_flag=True, help="Accept literal securedConfiguration values.")
@global_options
def validate(paths: tuple[str, ...], output_format: str, allow_plaintext_secrets: bool) -> int:
    """Check manifests offline: YAML, schema, duplicates, secrets, connector schemas."""
    checked = collect_problems(paths, allow_plaintext_secrets, cwd_paths=output_format == "github")
    problems = sorted(checked.problems)
    render_problems(problems, output_format, sys.stdout, get_options().color_stdout)
    for note in checked.notes:
        click.echo(note, err=True)
    click.echo(summary_line(problems, checked.files), err=True)
    return 1 if problems else 0


def _real(path: Path) -> Path:
    """The file a path names; unlike Path.resolve, a symlink loop is no RuntimeError (it is reported)."""
    return Path(os.path.realpath(path))
