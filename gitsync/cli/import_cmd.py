"""``gitsync import [KEYS...] --out DIR``: parse → build (targets, clients) → execute (read, write, report).

Adoption (issue 11): one manifest per live Deployment, written so that a plan right after it is all
``noop``. Every file is checked as validate would before anything is written; no existing file is replaced
without ``--force``; each file is written atomically. Exit 1 when any Deployment could not be imported
(the others are still written).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click

from gitsync.adopt.adoption import Adopted, Message, Selection, TargetImport, import_target
from gitsync.adopt.check import text_problems
from gitsync.adopt.configedit import add_to_config
from gitsync.adopt.names import NameBook, Variable
from gitsync.adopt.output import env_example, manifest_path, safe_name, schema_reference
from gitsync.adopt.yamltext import render_manifest
from gitsync.cli import INTERRUPT
from gitsync.cli.logging import configure_verbose
from gitsync.cli.options import GlobalOptions, get_options, global_options
from gitsync.core.clients import open_clients
from gitsync.errors import ConfigError, GitsyncError
from gitsync.files import write_atomic
from gitsync.manifest.config import CONFIG_NAME, find_config, load_target_set
from gitsync.manifest.discover import manifest_files
from gitsync.manifest.target import Target

STDOUT = "-"


@dataclass(frozen=True)
class ImportArgs:
    """What ``gitsync import`` was asked for, parsed."""

    keys: tuple[str, ...]
    out: str
    force: bool
    env_example: Path | None
    options: GlobalOptions
    add_to_config: bool = False


@dataclass
class Outcome:
    """Everything one import produced: file texts by path, messages, variables, unmatched KEYS."""

    files: dict[Path, str] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)
    variables: list[Variable] = field(default_factory=list)
    owners: dict[Path, Target] = field(default_factory=dict)
    """The target each file belongs to."""

    @property
    def failed(self) -> bool:
        return any(message.level == "error" for message in self.messages)


@click.command("import")
@click.argument("keys", nargs=-1, metavar="[KEYS]...")
@click.option(
    "--out", required=True, metavar="DIR", help="Folder to write DIR/<key>.yaml into; - for stdout."
)
@click.option("--force", is_flag=True, help="Replace manifest files that already exist.")
@click.option(
    "--env-example",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write the variables to set as FILE (a .env.example, empty values).",
)
@click.option(
    "--add-to-config",
    is_flag=True,
    help="Add the folder to the target's manifests in gitsync.yaml (comments kept), or print the line.",
)
@global_options
def import_(
    keys: tuple[str, ...], out: str, force: bool, env_example: Path | None, add_to_config: bool
) -> int:
    """Write manifests for live Deployments (adoption); KEYS are key globs (default: every Deployment)."""
    if not out.strip():
        raise click.BadParameter("an empty folder name; name the folder to write into", param_hint="--out")
    if add_to_config and out == STDOUT:
        message = "--out - writes no folder to add; name the folder to write into with --out DIR"
        raise click.BadParameter(message, param_hint="--add-to-config")
    args = ImportArgs(keys, out, force, env_example, get_options(), add_to_config)
    configure_verbose(args.options.verbose)
    targets = build_targets(args, os.environ)
    outcome = execute(args, targets, os.environ)
    return report(args, outcome)


def build_targets(args: ImportArgs, env: Mapping[str, str]) -> tuple[Target, ...]:
    """The selected targets (as ``load_inputs`` selects them); two of them on one project would import
    each Deployment twice: refused."""
    target_set = load_target_set(args.options.config, Path.cwd(), env, args.options.targets)
    targets = target_set.selected
    if args.add_to_config and any(target.implicit for target in targets):
        raise ConfigError(
            f"--add-to-config: there is no {CONFIG_NAME} to add the folder to; write one "
            "(docs/configuration.md), or import without --add-to-config"
        )
    for target in targets:
        shared = [other.name for other in target_set.sharing_project(target) if other in targets]
        if len(shared) > 1:
            raise ConfigError(
                f"targets {shared[0]!r} and {shared[1]!r} drive the same project, so each Deployment would "
                "be imported twice; import one of them with --target NAME"
            )
        if len(targets) > 1 and not safe_name(target.name):
            raise ConfigError(f"target name {target.name!r} cannot be a folder name; import it with --target")
    return targets


def execute(args: ImportArgs, targets: Sequence[Target], env: Mapping[str, str]) -> Outcome:
    """Read every target, render and check each manifest; nothing is written yet."""
    selection = Selection(args.keys, args.options.only, args.options.exclude)
    names = NameBook(prefix_targets=len(targets) > 1)
    outcome = Outcome()
    matched: set[str] = set()
    with open_clients(targets, env, INTERRUPT) as clients:  # every credential checked before any read
        for target in targets:
            result = import_target(target.name, clients[target.name], selection, names)
            matched |= result.matched
            _render(args, target, result, outcome, per_target=len(targets) > 1)
    for key in args.keys:
        if key not in matched:
            where = ", ".join(target.name for target in targets)
            text = "no live Deployment matches this key; check it (KEYS are key globs) and --target"
            outcome.messages.append(Message("error", where, key, text))
    outcome.variables = [v for v in names.variables if any(_holds(outcome, v))]
    return outcome


def _holds(outcome: Outcome, variable: Variable) -> Iterable[bool]:
    """Whether a written file references ``variable`` (a skipped manifest's variables are not asked for)."""
    reference = "${" + variable.name + "}"
    return (reference in text for text in outcome.files.values())


def _render(
    args: ImportArgs, target: Target, result: TargetImport, outcome: Outcome, *, per_target: bool
) -> None:
    outcome.messages += result.messages
    out = Path(args.out) if args.out != STDOUT else Path.cwd()
    for adopted in result.adopted:
        problem = _unwritable(adopted)
        path = manifest_path(out, target.name, adopted.key, per_target=per_target)
        text = ""
        if problem is None:
            schema = schema_reference(path, target.base_dir, adopted.connector_key)
            text = render_manifest(adopted.document, schema)
            problems = text_problems(text, str(path))
            problem = _cannot_express(problems) if problems else None
        if problem is not None:
            outcome.messages.append(Message("error", target.name, adopted.key, problem))
        else:
            outcome.files[path] = text
            outcome.owners[path] = target


def _unwritable(adopted: Adopted) -> str | None:
    if safe_name(adopted.key):
        return None
    return "not imported: its key cannot be a file name (and is outside the manifest schema's pattern)"


def _cannot_express(problems: Sequence[str]) -> str:
    return "not imported: a manifest cannot express it: " + "; ".join(problems)


def report(args: ImportArgs, outcome: Outcome) -> int:
    """Write the files (or print them), then the messages and the variables to set, on stderr."""
    extra = {args.env_example: env_example(outcome.variables)} if args.env_example is not None else {}
    if args.out == STDOUT:
        _write_files(extra, force=args.force)
        click.echo("---\n".join(outcome.files.values()), nl=False)
    else:
        _write_files({**outcome.files, **extra}, force=args.force)
        _cover(args, _uncovered(outcome))
    for message in outcome.messages:
        click.echo(str(message), err=True)
    _say_variables(outcome.variables)
    where = "" if args.out == STDOUT else f" into {args.out}"
    failed = sum(message.level == "error" for message in outcome.messages)
    click.echo(f"Imported {len(outcome.files)} deployment(s){where}; {failed} error(s).", err=True)
    return 1 if outcome.failed else 0


def _write_files(files: Mapping[Path, str], *, force: bool) -> None:
    """Refuse existing files (unless --force) before writing any, then write each atomically."""
    existing = sorted(str(path) for path in files if os.path.lexists(path))
    if existing and not force:
        raise GitsyncError(
            f"{', '.join(existing)} already exist(s); nothing was written. Pass --force to replace, "
            "or import into another folder"
        )
    for path, text in files.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, text)
        except OSError as exc:
            raise GitsyncError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _uncovered(outcome: Outcome) -> list[tuple[Target, Path]]:
    """Each target whose ``manifests`` do not read the files just written, with their folder."""
    by_target: dict[str, list[Path]] = {}
    for path, target in outcome.owners.items():
        by_target.setdefault(target.name, []).append(path)
    uncovered = []
    for target in {target.name: target for target in outcome.owners.values()}.values():
        if target.implicit:
            continue  # no gitsync.yaml: plan reads the PATHS it is given
        read = {file.path.resolve() for file in manifest_files(target, ())[0]}
        missing = [path for path in by_target[target.name] if path.resolve() not in read]
        if missing:
            uncovered.append((target, missing[0].parent))
    return uncovered


def _cover(args: ImportArgs, uncovered: Sequence[tuple[Target, Path]]) -> None:
    """Say which folders plan would not read, or (--add-to-config) add them to gitsync.yaml."""
    if not uncovered:
        return
    if not args.add_to_config:
        for target, folder in uncovered:
            click.echo(
                f"note: targets.{target.name}.manifests in gitsync.yaml does not read {folder}; add that "
                "folder to it (or import with --add-to-config), or plan will not see these manifests",
                err=True,
            )
        return
    entries = [
        (target.name, Path(os.path.relpath(folder.resolve(), target.base_dir.resolve())).as_posix())
        for target, folder in uncovered
    ]
    for line in add_to_config(_config_path(args.options.config), entries):
        click.echo(line, err=True)


def _config_path(config: Path | None) -> Path:
    """gitsync.yaml as the targets were loaded from it (--config, else the nearest one)."""
    path = config if config is not None else find_config(Path.cwd())
    if path is None:  # build_targets refused an implicit target
        raise GitsyncError(f"no {CONFIG_NAME} found to add the folder to")
    return path if path.is_absolute() else Path.cwd() / path


def _say_variables(variables: Sequence[Variable]) -> None:
    if not variables:
        return
    click.echo("Secured values cannot be read back; set these variables before apply:", err=True)
    for variable in variables:
        click.echo(f"  {variable.name}  ({variable.where})", err=True)
