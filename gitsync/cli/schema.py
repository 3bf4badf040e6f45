"""``gitsync schema pull``: connector configuration schemas from the API, so validation works offline.

One API read per connector (plus one token per target used): the connectors come from the manifests
(``connector.key`` / ``connector.id``, ``staged``) or from the command line. Each is written as
``schemas/connectors/<connector-key>.schema.json`` next to gitsync.yaml (or ``--out``) in a stable form
(sorted keys, 2-space indent, trailing newline), so re-pulling an unchanged connector changes no byte.
Only a safe name (the API's key pattern) becomes a file name, and only a regular file is ever replaced.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from gitsync.api.client import ConnectClient
from gitsync.api.errors import ApiError, NotFoundError
from gitsync.api.models import dump
from gitsync.cli.clients import client_for
from gitsync.cli.options import get_options, global_options
from gitsync.errors import ConfigError
from gitsync.files import FileRefusedError, write_atomic
from gitsync.manifest import build_connector_schema, load_deployments, load_targets
from gitsync.manifest.connector import CONNECTOR_SCHEMA_DIR, schema_file_name
from gitsync.manifest.interpolate import has_reference
from gitsync.manifest.model import DesiredDeployment, Target


@dataclass(frozen=True)
class Wanted:
    """A connector to pull, the target whose credentials read it, and what references it."""

    key: str | None
    id: str | None
    staged: bool
    target: Target
    referenced_by: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        kind = "staged connector" if self.staged else "connector"
        return f"{kind} {'key=' + self.key if self.key is not None else 'id=' + str(self.id)}"


@click.group()
def schema() -> None:
    """Connector configuration schemas (schemas/connectors/) for offline validation."""


@schema.command("pull")
@click.argument("names", nargs=-1, metavar="[CONNECTOR...]")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write to (default: schemas/connectors/ next to gitsync.yaml).",
)
@click.option("--staged", is_flag=True, help="Named connectors not in any manifest are staged (drafts).")
@global_options
def pull(names: tuple[str, ...], out: Path | None, staged: bool) -> int:
    """Write the configuration schema of each connector the manifests use (or of those named)."""
    options = get_options()
    targets = load_targets(options.config, Path.cwd(), os.environ, options.targets)
    wanted = select_connectors(targets, names, staged=staged, env=os.environ)
    folder = out if out is not None else targets[0].base_dir / CONNECTOR_SCHEMA_DIR
    failures = pull_schemas(wanted, folder, os.environ)
    for failure in failures:
        click.echo(f"error: {failure}", err=True)
    return 1 if failures else 0


def select_connectors(
    targets: Sequence[Target], names: Sequence[str], *, staged: bool, env: Mapping[str, str]
) -> list[Wanted]:
    """The connectors to pull: those named, else every one the targets' manifests reference; no repeats."""
    referenced = _referenced(targets, env)
    if not names:
        if not referenced:
            raise ConfigError("no manifest references a connector; name the connectors to pull")
        return list(referenced.values())
    chosen: list[Wanted] = []
    for name in dict.fromkeys(names):
        match = referenced.get(("key", name)) or referenced.get(("id", name))
        chosen.append(match or Wanted(key=name, id=None, staged=staged, target=targets[0]))
    return chosen


def _referenced(targets: Sequence[Target], env: Mapping[str, str]) -> dict[tuple[str, str], Wanted]:
    found: dict[tuple[str, str], Wanted] = {}
    for target in targets:
        # No connector checks while pulling: stale schemas must not stop the pull that refreshes them.
        result = load_deployments(target, env=env, resolve=False)
        if result.problems:
            click.echo(
                f"warning: target {target.name}: {len(result.problems)} manifest problem(s); "
                "run `gitsync validate` to see them",
                err=True,
            )
        for deployment in result.deployments:
            if has_reference(deployment.connector.key or deployment.connector.id):
                click.echo(
                    f"warning: {deployment.position}: connector {deployment.connector.identity} is known "
                    "only at plan time; name it: gitsync schema pull <connector-key>",
                    err=True,
                )
                continue
            _remember(found, deployment, target)
    return found


def _remember(found: dict[tuple[str, str], Wanted], deployment: DesiredDeployment, target: Target) -> None:
    ref = deployment.connector
    identity = ("key", ref.key) if ref.key is not None else ("id", str(ref.id))
    where = str(deployment.position) if deployment.position is not None else deployment.source
    known = found.get(identity) or Wanted(key=ref.key, id=ref.id, staged=ref.staged, target=target)
    found[identity] = dataclasses.replace(known, referenced_by=(*known.referenced_by, where))


def pull_schemas(wanted: Iterable[Wanted], folder: Path, env: Mapping[str, str]) -> list[str]:
    """Read each connector once and write its schema; return one message per connector that failed."""
    try:
        _check_folder(folder)
    except OSError as exc:  # before any API call: nothing could be written anyway
        return [f"cannot create the folder {folder}: {exc.strerror}; choose another --out or fix the path"]
    failures: list[str] = []
    with ExitStack() as stack:
        clients: dict[str, ConnectClient] = {}
        for item in wanted:
            if item.target.name not in clients:
                clients[item.target.name] = stack.enter_context(client_for(item.target, env))
            try:
                connector = clients[item.target.name].read_connector(
                    key=item.key, id=item.id, staged=item.staged
                )
            except ApiError as exc:
                failures.append(_failure(item, exc))
                continue
            try:
                path = write_schema(folder, dump(connector))
            except (OSError, ValueError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                failures.append(f"{item.label}: {reason}")
                continue
            click.echo(f"wrote {_shown(path)} ({item.label}, version {connector.version})", err=True)
    return failures


def _check_folder(folder: Path) -> None:
    """Fail early (before any API call) when ``folder`` cannot be made; it is made at the first write.

    The nearest existing ancestor decides: a file in the way, or a folder without write permission.
    """
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise FileRefusedError(f"{existing} is in the way and is not a folder")
    if existing != folder and not os.access(existing, os.W_OK | os.X_OK):
        raise PermissionError(13, f"no permission to create folders in {existing}")


def write_schema(folder: Path, connector: Mapping[str, Any]) -> Path:
    """Write ``<connector-key>.schema.json`` (the id when the connector has no key) in stable JSON.

    The name comes from the API's answer: anything but a key or id (``../x``, ``a/b``) is a ValueError, so
    nothing is ever written outside ``folder``; an existing symlink, FIFO or device there is refused
    (``FileRefusedError``), never replaced or written through.
    """
    name = connector.get("key") or connector.get("id")
    file_name = schema_file_name(name) if isinstance(name, str) else None
    if file_name is None:
        raise ValueError(
            f"the API answered with the connector key {name!r}, which is not a safe file name "
            "(letters, digits, _ and - only); nothing written"
        )
    path = folder / file_name
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(build_connector_schema(connector), indent=2, sort_keys=True, ensure_ascii=False)
    try:
        write_atomic(path, text + "\n", follow_symlinks=False)
    except OSError as exc:
        raise OSError(exc.errno, f"cannot write {_shown(path)}: {exc.strerror}") from exc
    return path


def _shown(path: Path) -> str:
    """The path relative to the working directory when it is below it (shorter messages)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _failure(item: Wanted, exc: ApiError) -> str:
    where = f" (referenced by {', '.join(item.referenced_by)})" if item.referenced_by else ""
    text = f"{item.label}{where}: {exc}"
    if isinstance(exc, NotFoundError):
        other = "published (drop `staged: true`)" if item.staged else "staged (`staged: true`, or --staged)"
        text += f"; check the connector key or id, or whether it is {other}"
    return text
