"""Schema pull: connector configuration schemas from the API, so validation works offline.

One API read per connector (plus one token per target used): the connectors come from the manifests
(``connector.key`` / ``connector.id``, ``staged``) or from the command line. Each is written as
``schemas/connectors/<connector-key>.schema.json`` next to gitsync.yaml (or another folder) in a stable form
(sorted keys, 2-space indent, trailing newline), so re-pulling an unchanged connector changes no byte.
Only a safe name (the API's key pattern) becomes a file name, and only a regular file is ever replaced.

The command (``gitsync.cli.schema``) parses, calls and reports; this module selects, reads and writes. It
prints nothing: warnings and progress lines go to the ``report`` callable the caller passes.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitsync.api.client import ConnectClient
from gitsync.api.errors import ApiError, NotFoundError
from gitsync.api.models import dump
from gitsync.errors import ConfigError
from gitsync.files import FileRefusedError, write_atomic
from gitsync.manifest import build_connector_schema, load_deployments
from gitsync.manifest.connector import schema_file_name
from gitsync.manifest.interpolate import has_reference
from gitsync.manifest.model import DesiredDeployment, connector_label
from gitsync.manifest.target import Target

Report = Callable[[str], None]
"""Where a warning or progress line goes (the command writes it to stderr)."""
OpenClient = Callable[[Target], ConnectClient]
"""A client for a target's project (the command's ``client_for``; a fake in unit tests)."""


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
        return connector_label(f"key={self.key}" if self.key is not None else f"id={self.id}", self.staged)


def select_connectors(
    targets: Sequence[Target], names: Sequence[str], *, staged: bool, env: Mapping[str, str], report: Report
) -> list[Wanted]:
    """The connectors to pull: those named, else every one the targets' manifests reference; no repeats."""
    referenced = _referenced(targets, env, report)
    if not names:
        if not referenced:
            raise ConfigError("no manifest references a connector; name the connectors to pull")
        return list(referenced.values())
    chosen: list[Wanted] = []
    for name in dict.fromkeys(names):
        match = referenced.get(("key", name)) or referenced.get(("id", name))
        chosen.append(match or Wanted(key=name, id=None, staged=staged, target=targets[0]))
    return chosen


def _referenced(
    targets: Sequence[Target], env: Mapping[str, str], report: Report
) -> dict[tuple[str, str], Wanted]:
    found: dict[tuple[str, str], Wanted] = {}
    for target in targets:
        # No connector checks while pulling: stale schemas must not stop the pull that refreshes them.
        result = load_deployments(target, env=env, resolve=False)
        if result.problems:
            report(
                f"warning: target {target.name}: {len(result.problems)} manifest problem(s); "
                "run `gitsync validate` to see them"
            )
        for deployment in result.deployments:
            if has_reference(deployment.connector.key or deployment.connector.id):
                report(
                    f"warning: {deployment.position}: connector {deployment.connector.identity} is known "
                    "only at plan time; name it: gitsync schema pull <connector-key>"
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


def pull_schemas(
    wanted: Iterable[Wanted], folder: Path, *, open_client: OpenClient, report: Report
) -> list[str]:
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
                clients[item.target.name] = stack.enter_context(open_client(item.target))
            failure = _pull_one(clients[item.target.name], item, folder, report)
            if failure is not None:
                failures.append(failure)
    return failures


def _pull_one(client: ConnectClient, item: Wanted, folder: Path, report: Report) -> str | None:
    """Read and write one connector's schema; the failure message, or None when it was written."""
    try:
        connector = client.read_connector(key=item.key, id=item.id, staged=item.staged)
    except ApiError as exc:
        return _failure(item, exc)
    try:
        path = write_schema(folder, dump(connector))
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return f"{item.label}: {reason}"
    report(f"wrote {_shown(path)} ({item.label}, version {connector.version})")
    return None


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
