"""``${NAME}`` resolution of a checked manifest's string values (plan and apply; validate looks none up).

Secured values are resolved only for a command that sends them (apply): plan needs no secret (SPEC §2), so
it never looks one up, and a secret it never holds cannot leak into its output or its saved plan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gitsync.manifest.interpolate import reference_names, resolve
from gitsync.manifest.problems import Note, Problem
from gitsync.manifest.target import Target
from gitsync.manifest.yamlfile import Document, PathKey

_VERSION: PathKey = ("connector", "version")


def _secured(path: PathKey) -> bool:
    """Whether ``path`` is the value of a securedConfiguration entry (``…securedConfiguration.<i>.value``)."""
    return len(path) >= 3 and path[-3] == "securedConfiguration" and path[-1] == "value"


@dataclass(frozen=True)
class Resolution:
    """A manifest with its ``${NAME}`` resolved, what could not be, and what is worth a note."""

    doc: Document
    missing: list[Problem]
    notes: list[Note]
    constrained: bool
    """Whether a resolved value stood where the schema constrains values (it needs checking again)."""


class _Resolver:
    """Resolves the string values of one manifest from the target's vars, then the environment; secured
    values only when ``secrets`` (apply), else they stay ``${NAME}`` and an unset one is noted."""

    def __init__(self, doc: Document, target: Target, env: Mapping[str, str], secrets: bool) -> None:
        self.doc = doc
        self.target = target
        self.env = env
        self.secrets = secrets
        self.problems: list[Problem] = []
        self.notes: list[Note] = []
        self.constrained = False
        """Whether a reference stood where the schema constrains the value (not a free-form value)."""

    def lookup(self, name: str) -> str | None:
        return self.target.variable(name, self.env)

    def value(self, value: Any, path: PathKey) -> Any:
        if isinstance(value, dict):
            return {key: self.value(item, (*path, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item, (*path, index)) for index, item in enumerate(value)]
        if not isinstance(value, str) or "$" not in value:
            return value
        if _secured(path) and not self.secrets:
            self.note_unset(value, path)
            return value
        text = self.text(value, path)
        # configuration values are free-form strings: resolving one cannot break a schema rule
        self.constrained = self.constrained or path[-1:] != ("value",)
        # a version from a variable is text ("7"): the schema wants an integer or "latest"
        return int(text) if path == _VERSION and text.isdigit() else text

    def text(self, value: str, path: PathKey) -> str:
        resolved, missing = resolve(value, self.lookup)
        for name in missing:
            message = (
                f"variable {name!r} has no value: set it in the environment "
                f"or in vars of target {self.target.name!r}"
            )
            self.problems.append(self.doc.problem(path, "missing-variable", message))
        return resolved

    def note_unset(self, value: str, path: PathKey) -> None:
        for name in reference_names(value):
            if not self.lookup(name):  # "" too: apply refuses an empty secured value like an unset one
                line, col = self.doc.where(path)
                message = (
                    f"secured variable {name!r} is not set; plan does not need it, "
                    "apply will (set it where apply runs)"
                )
                self.notes.append(Note(self.doc.file, line, col, message))


def resolve_document(doc: Document, target: Target, env: Mapping[str, str], *, secrets: bool) -> Resolution:
    """``doc`` with its string values resolved (positions and problems list shared); secured values too
    only with ``secrets`` (apply: an unset one is then ``missing-variable``)."""
    resolver = _Resolver(doc, target, env, secrets)
    value = resolver.value(doc.value, ())
    resolved = dataclasses.replace(doc, value=value)
    return Resolution(resolved, resolver.problems, resolver.notes, resolver.constrained)
