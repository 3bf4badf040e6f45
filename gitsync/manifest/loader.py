"""Load a target's manifests into DesiredDeployments, collecting every problem on the way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitsync.manifest.checks import check_manifest, check_values
from gitsync.manifest.connector import CONNECTOR_SCHEMA_DIR, read_connector_facts, schema_file_name
from gitsync.manifest.discover import manifest_files
from gitsync.manifest.interpolate import has_reference, reference_names
from gitsync.manifest.offline import check_against_connector
from gitsync.manifest.problems import Note, Problem
from gitsync.manifest.schema import schema_problems
from gitsync.manifest.target import Target
from gitsync.manifest.yamlfile import Document, read_document
from gitsync.selection import key_selected

if TYPE_CHECKING:  # the desired model is built for plan, apply and import; validate only checks
    from gitsync.manifest.model import DesiredDeployment

FactsCache = dict[str, dict[str, Any] | Problem | None]
"""Connector key → the facts of its pulled schema (None: not pulled; a Problem: unreadable), read once."""


@dataclass(frozen=True)
class LoadResult:
    """What loading found: the deployments of clean manifests (none built for validate), and every
    problem (sorted)."""

    deployments: tuple[DesiredDeployment, ...]
    problems: tuple[Problem, ...]
    files: tuple[str, ...] = ()
    """The manifest files read (display names), for summaries."""
    notes: tuple[Note, ...] = ()
    """Worth saying, not wrong: each secured ``${NAME}`` that is unset when secrets are not resolved."""


@dataclass(frozen=True)
class LoadOptions:
    """How to load: variables, secrets policy and where connector schemas live."""

    env: Mapping[str, str]
    resolve: bool
    allow_plaintext_secrets: bool
    connector_schemas: Path
    resolve_secrets: bool = False


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
    resolve_secrets: bool = False,
    build: bool = True,
) -> LoadResult:
    """Every manifest of ``target`` (narrowed to ``paths``), checked; resolve=False never looks up vars.

    Secured values are looked up only with ``resolve_secrets`` (apply, which sends them; an unset one is
    then ``missing-variable``). Plan needs none (SPEC §2): each unset one becomes a note instead.
    ``build=False`` (validate) checks and builds no DesiredDeployment.
    """
    schemas_dir = connector_schemas or target.base_dir / CONNECTOR_SCHEMA_DIR
    options = LoadOptions(env, resolve, allow_plaintext_secrets, schemas_dir, resolve_secrets)
    notes: list[Note] = []
    files, problems = manifest_files(target, paths)
    docs = [read_document(item.path, item.display) for item in files]
    docs = [doc for doc in docs if _selected(doc, only, exclude)]
    facts_cache: FactsCache = {}
    for doc in docs:
        _check(doc, options, facts_cache)
    # (as written, as resolved): the same Document when not resolving; both share one problems list
    pairs = [(doc, _resolved(doc, target, options, facts_cache, notes)) for doc in docs]
    pairs = [(raw, doc) for raw, doc in pairs if _selected(doc, only, exclude)]
    _duplicate_deployment_keys([doc for _, doc in pairs])
    problems += [problem for _, doc in pairs for problem in doc.problems]
    deployments = _built(pairs, resolve, options.resolve_secrets) if build else []
    files_read = tuple(doc.file for doc in docs)
    kept = {doc.file for _, doc in pairs}  # a key --only/--exclude drops once resolved is not ours to note
    noted = tuple(sorted({note for note in notes if note.file in kept}))
    return LoadResult(tuple(deployments), tuple(sorted(set(problems))), files_read, noted)


def _built(pairs: list[tuple[Document, Document]], resolve: bool, secrets: bool) -> list[DesiredDeployment]:
    """The DesiredDeployment of each manifest without a problem (as written, as resolved)."""
    from gitsync.manifest.build import build_deployment  # not on validate's (a pre-commit hook's) path

    clean = [(raw, doc) for raw, doc in pairs if not doc.problems]
    return [build_deployment(doc, raw if resolve else None, secrets=secrets) for raw, doc in clean]


def _resolved(
    doc: Document, target: Target, options: LoadOptions, cache: FactsCache, notes: list[Note]
) -> Document:
    """``doc`` with ``${NAME}`` resolved (plan/apply), its values checked again where a reference stood."""
    if not options.resolve or doc.problems:
        return doc
    from gitsync.manifest.resolve import resolve_document  # plan and apply only: validate resolves nothing

    resolution = resolve_document(doc, target, options.env, secrets=options.resolve_secrets)
    resolved, missing = resolution.doc, resolution.missing
    doc.problems += missing
    notes += resolution.notes
    if not missing and resolution.constrained:
        found = schema_problems(resolved, "deployment.schema.json", resolved=True)
        found += check_values(resolved)
        found += _connector_problems(resolved, options, cache)
        empty = {name for name, value in {**options.env, **target.vars}.items() if value == ""}
        doc.problems += [_from_variables(problem, doc, empty) for problem in found]
    return resolved


def _from_variables(problem: Problem, doc: Document, empty: set[str]) -> Problem:
    """Say which value as written led to a problem found after resolution, and which of its variables are
    set but empty (an empty value is more often a mistake than an intent)."""
    written = [
        doc.value_at(path)
        for path, where in doc.positions.items()
        if where == (problem.line, problem.col)
        and "securedConfiguration" not in path  # never echo what may hold a secret
        and has_reference(doc.value_at(path))
    ]
    if not written:
        return problem
    blank = [name for name in reference_names(written[0]) if name in empty]
    note = f"; {', '.join(blank)} {'is' if len(blank) == 1 else 'are'} set but empty" if blank else ""
    return problem._replace(message=f"{problem.message} (resolved from {written[0]!r}{note})")


def _key_of(doc: Document) -> str | None:
    key = doc.value.get("key") if isinstance(doc.value, dict) else None
    return key if isinstance(key, str) else None


def _selected(doc: Document, only: Sequence[str], exclude: Sequence[str]) -> bool:
    """--only / --exclude on deployment keys; a file whose key is unknown (or a ${NAME}) stays."""
    key = _key_of(doc)
    return key is None or has_reference(key) or key_selected(key, only, exclude)


def _check(doc: Document, options: LoadOptions, cache: FactsCache) -> None:
    if not isinstance(doc.value, dict) or any(p.code != "duplicate-key" for p in doc.problems):
        return  # the YAML itself is broken: further problems would only be its echoes
    doc.problems += schema_problems(doc, "deployment.schema.json")
    doc.problems += check_manifest(
        doc, allow_plaintext_secrets=options.allow_plaintext_secrets, for_plan=options.resolve
    )
    doc.problems += _connector_problems(doc, options, cache)


def _connector_problems(doc: Document, options: LoadOptions, cache: FactsCache) -> list[Problem]:
    """Checks against the pulled schema of the manifest's connector, when there is one."""
    connector = doc.value.get("connector")
    key = connector.get("key") if isinstance(connector, dict) else None
    if not isinstance(key, str) or has_reference(key):
        return []
    facts = _connector_facts(key, options.connector_schemas, cache)
    if isinstance(facts, Problem):
        return [facts]
    return check_against_connector(doc, facts) if facts is not None else []


def _connector_facts(key: str, directory: Path, cache: FactsCache) -> dict[str, Any] | Problem | None:
    """The x-gitsync facts of ``<directory>/<key>.schema.json``: None when absent, a Problem when broken."""
    if key not in cache:
        name = schema_file_name(key)
        path = directory / name if name is not None else None
        try:  # a broken symlink or a FIFO there is reported, not taken for "not pulled"
            exists = path is not None and (path.exists() or path.is_symlink())
            cache[key] = read_connector_facts(path) if path is not None and exists else None
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            message = f"connector schema cannot be used ({reason}); run gitsync schema pull {key}"
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
