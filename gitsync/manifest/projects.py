"""Targets that share one project: which target declares which Deployment key (SPEC §1.1).

A Deployment key belongs to at most one target of a project, and ``prune`` in one target never deletes what
another target of the project declares, selected or not. For that only the *keys* of the other targets'
manifests are needed: each file is parsed as YAML and its ``key`` read, with no schema or connector checks,
so a project with one target (the usual case) costs nothing and a shared one costs one YAML parse per file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from gitsync.manifest.config import TargetSet, project_id
from gitsync.manifest.discover import manifest_files
from gitsync.manifest.interpolate import has_reference, resolve
from gitsync.manifest.problems import Problem
from gitsync.manifest.target import Target
from gitsync.manifest.yamlfile import Document, read_document


@dataclass(frozen=True)
class Declaration:
    """One manifest's key, where it stands and which target reads it."""

    target: str
    key: str
    file: str
    line: int
    col: int

    @property
    def place(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class SharedProjects:
    """Problems of targets sharing a project, and the keys each selected target must leave alone."""

    problems: tuple[Problem, ...] = ()
    foreign_keys: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Selected target name → the keys other targets of its project declare (never pruned by it)."""


def shared_projects(
    target_set: TargetSet, selected: Sequence[Target], env: Mapping[str, str], *, resolve_keys: bool
) -> SharedProjects:
    """Duplicate keys across the targets of a project, and what each selected target does not own.

    ``selected`` are the targets as this run uses them (PATHS turn prune off); ``resolve_keys`` (plan)
    resolves a ``${NAME}`` key, and a key that cannot be read from a target this run does not load is
    then a problem whenever the project is pruned: its Deployment would look undeclared.
    """
    problems: list[Problem] = []
    foreign: dict[str, frozenset[str]] = {}
    projects = {project_id(target): target for target in selected}  # one pass per project
    for target in projects.values():
        group = target_set.sharing_project(target)
        if len(group) < 2:
            continue
        chosen = [other for other in selected if project_id(other) == project_id(target)]
        declared, found = _project_keys(group, chosen, env, resolve_keys)
        problems += found
        for member in chosen:
            foreign[member.name] = frozenset(d.key for d in declared if d.target != member.name)
    return SharedProjects(tuple(problems), foreign)


def _project_keys(
    group: Sequence[Target], chosen: Sequence[Target], env: Mapping[str, str], resolve_keys: bool
) -> tuple[list[Declaration], list[Problem]]:
    """Every key the targets of one project declare, and the problems with them."""
    names = {target.name for target in chosen}
    pruned = any(target.prune for target in chosen)
    declared: list[Declaration] = []
    problems: list[Problem] = []
    for member in group:
        found, unread = _declarations(member, env, resolve_keys)
        declared += found
        if pruned and member.name not in names:
            problems += unread  # a selected target reports its own files' problems
    return declared, problems + _duplicates(declared, names)


def _declarations(
    target: Target, env: Mapping[str, str], resolve_keys: bool
) -> tuple[list[Declaration], list[Problem]]:
    """The keys of every manifest of ``target`` (its own discovery problems are its own report's)."""
    files, _ = manifest_files(target, ())
    declared: list[Declaration] = []
    unread: list[Problem] = []
    for item in files:
        doc = read_document(item.path, item.display)
        key = _key(doc, target, env, resolve_keys)
        if isinstance(key, str):
            line, col = doc.where(("key",))
            declared.append(Declaration(target.name, key, doc.file, line, col))
        elif key is not None:
            unread.append(key)
    return declared, unread


def _key(doc: Document, target: Target, env: Mapping[str, str], resolve_keys: bool) -> str | Problem | None:
    """The manifest's key; a Problem when it cannot be read; None when unknowable offline (``${NAME}``)."""
    if doc.problems:
        return _unreadable(doc, target, doc.problems[0].message)
    key = doc.value.get("key") if isinstance(doc.value, dict) else None
    if not isinstance(key, str):
        return _unreadable(doc, target, "it has no key")
    if not has_reference(key):
        return key
    if not resolve_keys:
        return None
    value, missing = resolve(key, lambda name: target.vars.get(name, env.get(name)))
    if missing:
        return _unreadable(doc, target, f"its key needs {', '.join(missing)}; set it in the environment")
    return value


def _unreadable(doc: Document, target: Target, why: str) -> Problem:
    line, col = doc.where(("key",))
    message = (
        f"the key of this manifest of target {target.name!r} cannot be read ({why}); a target of the same "
        "project prunes, and must know every key the project's targets declare: fix this file"
    )
    return Problem(doc.file, line, col, "unreadable-key", message)


def _duplicates(declared: Sequence[Declaration], selected: set[str]) -> list[Problem]:
    """A key two targets of one project declare: reported at the later one, naming the first."""
    first: dict[str, Declaration] = {}
    problems: list[Problem] = []
    for declaration in declared:
        other = first.setdefault(declaration.key, declaration)
        if other.target == declaration.target:
            continue  # within one target: the loader reports it
        if selected.isdisjoint({other.target, declaration.target}):
            continue
        problems.append(_duplicate(declaration, other))
    return problems


def _duplicate(declaration: Declaration, other: Declaration) -> Problem:
    if declaration.file == other.file:
        what = f"this file is read by both targets {other.target!r} and {declaration.target!r}"
        fix = "narrow their manifests so each file belongs to one target"
    else:
        what = (
            f"deployment key {declaration.key!r} is also declared at {other.place} by target {other.target!r}"
        )
        fix = "keep one of the two manifests"
    message = (
        f"{what}, and both targets drive the same project: a Deployment belongs to one target of a "
        f"project; {fix}"
    )
    return Problem(declaration.file, declaration.line, declaration.col, "duplicate-deployment-key", message)
