"""gitsync.yaml: find it, load it with positions, check it, and turn it into Targets."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gitsync.errors import ConfigError
from gitsync.manifest.problems import Problem
from gitsync.manifest.schema import schema_problems
from gitsync.manifest.target import Target
from gitsync.manifest.yamlfile import read_document

CONFIG_NAME = "gitsync.yaml"
DEFAULT_TARGET = "default"


def find_config(cwd: Path) -> Path | None:
    """The nearest gitsync.yaml at or above ``cwd``."""
    for directory in (cwd, *cwd.parents):
        candidate = directory / CONFIG_NAME
        if os.path.lexists(candidate):  # a FIFO or broken link there is reported, not silently skipped
            return candidate
    return None


ProjectId = tuple[str, str, str | None]
"""(projectKey, region, connectUrl): targets with the same one drive the same project."""


@dataclass(frozen=True)
class TargetSet:
    """Every target of gitsync.yaml and the ones selected with --target (all when none is)."""

    all: tuple[Target, ...]
    selected: tuple[Target, ...]

    def sharing_project(self, target: Target) -> tuple[Target, ...]:
        """Every target (selected or not, ``target`` included) of ``target``'s project, in file order."""
        return tuple(other for other in self.all if project_id(other) == project_id(target))


def project_id(target: Target) -> ProjectId:
    """Which project a target drives: the same key in the same region behind the same API."""
    return (target.project_key, target.region, target.connect_url)


def load_targets(
    config: Path | None, cwd: Path, env: Mapping[str, str], selected: Sequence[str] = ()
) -> tuple[Target, ...]:
    """The selected targets (all when none selected) of gitsync.yaml, or the implicit ``default``."""
    return load_target_set(config, cwd, env, selected).selected


def load_target_set(
    config: Path | None, cwd: Path, env: Mapping[str, str], selected: Sequence[str] = ()
) -> TargetSet:
    """All targets and the selected ones: a target's prune must know what the others declare (SPEC §1.1)."""
    path = config if config is not None else find_config(cwd)
    targets: tuple[Target, ...]
    if path is None:
        targets = (default_target(cwd, env),)
    else:
        path = path if path.is_absolute() else cwd / path
        targets = _targets_from_file(path, config if config is not None else path)
    return TargetSet(all=targets, selected=_select(targets, selected, path))


def _refuse_userinfo(where: str, url: object) -> None:
    """SPEC §1.1: a URL with user:password is refused, and the message never shows them."""
    try:
        netloc = urlsplit(url).netloc if isinstance(url, str) else ""
    except ValueError:  # e.g. "http://[::1": not ours to judge here, the client refuses it by name
        netloc = url.partition("//")[2].partition("/")[0] if isinstance(url, str) else ""
    if "@" in netloc:
        raise ConfigError(
            f"{where} holds a user name or password before '@{netloc.rpartition('@')[2]}'; remove them "
            "(the API client authenticates with credentials.clientId and clientSecret)"
        )


def default_target(cwd: Path, env: Mapping[str, str]) -> Target:
    """The implicit target from the conventional CTP_* variables; empty fields are fine for validate."""
    for variable in ("CTP_CONNECT_URL", "CTP_AUTH_URL"):
        _refuse_userinfo(variable, env.get(variable))
    credentials = {"clientId": "${CTP_CLIENT_ID}", "clientSecret": "${CTP_CLIENT_SECRET}"}
    if env.get("CTP_SCOPES"):
        credentials["scopes"] = "${CTP_SCOPES}"
    return Target(
        name=DEFAULT_TARGET,
        project_key=env.get("CTP_PROJECT_KEY", ""),
        region=env.get("CTP_REGION", ""),
        base_dir=cwd,
        credentials=credentials,
        connect_url=env.get("CTP_CONNECT_URL") or None,
        auth_url=env.get("CTP_AUTH_URL") or None,
        implicit=True,
    )


def _select(targets: tuple[Target, ...], selected: Sequence[str], path: Path | None) -> tuple[Target, ...]:
    if not selected:
        return targets
    by_name = {target.name: target for target in targets}
    unknown = [name for name in selected if name not in by_name]
    if unknown:
        where = f"in {path}" if path is not None else "without gitsync.yaml (only the implicit 'default')"
        known = ", ".join(sorted(by_name))
        raise ConfigError(f"unknown target {', '.join(map(repr, unknown))} {where}; known targets: {known}")
    return tuple(by_name[name] for name in dict.fromkeys(selected))


def _targets_from_file(path: Path, display: Path) -> tuple[Target, ...]:
    doc = read_document(path, str(display))
    problems = list(doc.problems)
    if not problems:
        problems = schema_problems(doc, "config.schema.json")
    if problems:
        raise ConfigError(_describe(display, problems))
    base_dir = path.parent
    return tuple(_target(name, raw, base_dir) for name, raw in doc.value["targets"].items())


MANIFESTS_HINT = (
    "every target names its manifests: at least one file, folder or glob, e.g. manifests: "
    "[deployments/staging]; a target that read none would see every live Deployment as unmanaged, or "
    "delete it under prune"
)


def _describe(display: Path, problems: list[Problem]) -> str:
    lines = "\n".join(f"  {problem}" for problem in sorted(problems))
    hint = f"\n  hint: {MANIFESTS_HINT}" if any("manifests" in p.message for p in problems) else ""
    return f"{display} is invalid; fix it (schema: schemas/config.schema.json):\n{lines}{hint}"


def _target(name: str, raw: Mapping[str, Any], base_dir: Path) -> Target:
    for field in ("connectUrl", "authUrl"):
        _refuse_userinfo(f"target {name!r}: {field}", raw.get(field))
    return Target(
        name=name,
        project_key=raw["projectKey"],
        region=raw["region"],
        manifests=tuple(raw["manifests"]),  # required and non-empty (schema): never "no manifests"
        base_dir=base_dir,
        prune=bool(raw.get("prune", False)),
        protect=tuple(raw.get("protect", ())),
        max_deletes=raw.get("maxDeletes"),
        vars=dict(raw.get("vars", {})),
        credentials=dict(raw.get("credentials", {})),
        connect_url=raw.get("connectUrl"),
        auth_url=raw.get("authUrl"),
    )
