"""Load a target's manifests into DesiredDeployments, collecting every problem on the way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from gitsync.manifest.build import build_deployment
from gitsync.manifest.checks import check_manifest
from gitsync.manifest.connector import read_connector_facts
from gitsync.manifest.discover import manifest_files
from gitsync.manifest.model import DesiredDeployment, Target
from gitsync.manifest.offline import check_against_connector
from gitsync.manifest.problems import Problem
from gitsync.manifest.schema import schema_problems
from gitsync.manifest.yamlfile import Document, read_document


@dataclass(frozen=True)
class LoadResult:
    """What loading found: the deployments of clean manifests, and every problem (sorted)."""

    deployments: tuple[DesiredDeployment, ...]
    problems: tuple[Problem, ...]
    files: tuple[str, ...] = ()
    """The manifest files read (display names), for summaries."""


@dataclass(frozen=True)
class LoadOptions:
    """How to load: variables, secrets policy and where connector schemas live."""

    env: Mapping[str, str]
    resolve: bool
    allow_plaintext_secrets: bool
    connector_schemas: Path


def load_deployments(
    target: Target,
    paths: Sequence[str] = (),
    *,
    env: Mapping[str, str],
    resolve: bool,
    allow_plaintext_secrets: bool = False,
    only: Sequence[str] = (),
    exclude: Sequence[str] = (),
    connector_schemas: Path | None = None,
) -> LoadResult:
    """Every manifest of ``target`` (narrowed to ``paths``), checked; resolve=False never looks up vars."""
    schemas_dir = connector_schemas or target.base_dir / "schemas" / "connectors"
    options = LoadOptions(env, resolve, allow_plaintext_secrets, schemas_dir)
    files, problems = manifest_files(target, paths)
    docs = [read_document(item.path, item.display) for item in files]
    docs = [doc for doc in docs if _selected(doc, only, exclude)]
    facts_cache: dict[str, dict[str, Any] | Problem | None] = {}
    for doc in docs:
        _check(doc, options, facts_cache)
    _duplicate_deployment_keys(docs)
    deployments: list[DesiredDeployment] = []
    for doc in docs:
        problems += doc.problems
        if not doc.problems:
            built = build_deployment(doc, target, options.env if resolve else None)
            if isinstance(built, DesiredDeployment):
                deployments.append(built)
            else:
                problems += built
    files_read = tuple(doc.file for doc in docs)
    return LoadResult(tuple(deployments), tuple(sorted(set(problems))), files_read)


def _key_of(doc: Document) -> str | None:
    key = doc.value.get("key") if isinstance(doc.value, dict) else None
    return key if isinstance(key, str) else None


def _selected(doc: Document, only: Sequence[str], exclude: Sequence[str]) -> bool:
    """--only / --exclude on deployment keys; a file whose key is unknown stays (its problems matter)."""
    key = _key_of(doc)
    if key is None:
        return True
    if only and not any(fnmatchcase(key, pattern) for pattern in only):
        return False
    return not any(fnmatchcase(key, pattern) for pattern in exclude)


def _check(doc: Document, options: LoadOptions, cache: dict[str, dict[str, Any] | Problem | None]) -> None:
    if not isinstance(doc.value, dict) or any(p.code != "duplicate-key" for p in doc.problems):
        return  # the YAML itself is broken: further problems would only be its echoes
    doc.problems += schema_problems(doc, "deployment.schema.json")
    doc.problems += check_manifest(doc, allow_plaintext_secrets=options.allow_plaintext_secrets)
    connector = doc.value.get("connector")
    key = connector.get("key") if isinstance(connector, dict) else None
    if not isinstance(key, str):
        return
    facts = _connector_facts(key, options.connector_schemas, cache)
    if isinstance(facts, Problem):
        doc.problems.append(facts)
    elif facts is not None:
        doc.problems += check_against_connector(doc, facts)


def _connector_facts(
    key: str, directory: Path, cache: dict[str, dict[str, Any] | Problem | None]
) -> dict[str, Any] | Problem | None:
    """The x-gitsync facts of ``<directory>/<key>.schema.json``: None when absent, a Problem when broken."""
    if key not in cache:
        path = directory / f"{key}.schema.json"
        try:
            cache[key] = read_connector_facts(path) if path.is_file() else None
        except (OSError, ValueError, TypeError) as exc:
            message = f"connector schema cannot be used ({exc}); run gitsync schema pull {key}"
            cache[key] = Problem(str(path), 1, 1, "connector-schema", message)
    return cache[key]


def _duplicate_deployment_keys(docs: Sequence[Document]) -> None:
    """Deployment keys are unique per target: report each repeat, naming the first place."""
    first: dict[str, Document] = {}
    for doc in docs:
        key = _key_of(doc)
        if key is None:
            continue
        if key not in first:
            first[key] = doc
            continue
        other = first[key]
        line, col = other.where(("key",))
        place = f"{other.file}:{line}:{col}"
        message = f"deployment key {key!r} is also declared at {place}; keys are unique per target"
        doc.problems.append(doc.problem(("key",), "duplicate-deployment-key", message))
