"""A checked manifest's values → DesiredDeployment; ``${NAME}`` resolution of its string values (plan).

Secured values are resolved only for a command that sends them (apply): plan needs no secret (SPEC §2), so
it never looks one up, and a secret it never holds cannot leak into its output or its saved plan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gitsync.manifest.interpolate import reference_names, resolve, single_reference
from gitsync.manifest.model import (
    ApplicationConfiguration,
    ConfigurationSet,
    ConnectorRef,
    DesiredDeployment,
    Lifecycle,
    Position,
    Target,
)
from gitsync.manifest.problems import Note, Problem
from gitsync.manifest.yamlfile import Document, PathKey
from gitsync.secret import Secret

LITERAL = "(literal)"
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


class _Builder:
    """Typed values of one manifest; secured values keep the reference as written (``raw``), and their
    value only when it was resolved (``secrets``)."""

    def __init__(self, doc: Document, raw: Document | None, secrets: bool) -> None:
        self.doc = doc
        self.raw = raw
        self.secrets = secrets

    def secret(self, value: str, path: PathKey) -> Secret:
        written = value if self.raw is None else self.raw.value_at(path)
        reference = written if single_reference(written) is not None else LITERAL
        return Secret(reference, value if self.raw is not None and self.secrets else "")

    def configuration(self, holder: Mapping[str, Any], path: PathKey) -> ConfigurationSet:
        standard = {entry["key"]: entry["value"] for entry in holder.get("standardConfiguration", ())}
        secured: dict[str, Secret] = {}
        secured_at: dict[str, Position] = {}
        for i, entry in enumerate(holder.get("securedConfiguration", ())):
            at = (*path, "securedConfiguration", i, "value")
            secured[entry["key"]] = self.secret(entry["value"], at)
            secured_at[entry["key"]] = Position(self.doc.file, *self.doc.where(at))
        return ConfigurationSet(standard=standard, secured=secured, secured_at=secured_at)

    def application(self, entry: Mapping[str, Any], path: PathKey) -> ApplicationConfiguration:
        return ApplicationConfiguration(
            application_name=entry["applicationName"],
            values=self.configuration(entry, path),
            schedule=entry.get("schedule"),
        )


def _connector(raw: Mapping[str, Any]) -> ConnectorRef:
    return ConnectorRef(
        key=raw.get("key"), id=raw.get("id"), version=raw.get("version"), staged=raw.get("staged", False)
    )


def _lifecycle(raw: Mapping[str, Any]) -> Lifecycle:
    return Lifecycle(
        prevent_destroy=raw.get("preventDestroy", False), skip_scripts=raw.get("skipScripts", False)
    )


def build_deployment(
    doc: Document, raw: Document | None = None, *, secrets: bool = False
) -> DesiredDeployment:
    """The DesiredDeployment of a manifest that passed every check.

    ``doc`` resolved and ``raw`` as written (plan/apply): secrets hold their reference, and their value
    only with ``secrets`` (apply; ``doc`` must then have been resolved with secrets); ``raw=None``
    (validate): values stay as written and secrets hold no value.
    """
    value: dict[str, Any] = doc.value
    builder = _Builder(doc, raw, secrets)
    glob = value.get("globalConfiguration")
    applications = enumerate(value.get("configurations", ()))
    return DesiredDeployment(
        key=value["key"],
        connector=_connector(value["connector"]),
        region=value["region"],
        type=value.get("type"),
        global_configuration=builder.configuration(glob, ("globalConfiguration",))
        if glob is not None
        else None,
        configurations=tuple(builder.application(entry, ("configurations", i)) for i, entry in applications),
        lifecycle=_lifecycle(value.get("lifecycle", {})),
        source=doc.file,
        position=Position(doc.file, *doc.where(("key",), key=True)),
        digest=_digest(doc.data) if raw is not None else "",
    )


def _digest(data: bytes) -> str:
    """The manifest's SHA-256, which a saved plan records: plan and apply only (validate saves no plan, and
    loading hashlib's OpenSSL costs a pre-commit run 2.5 ms)."""
    import hashlib

    return hashlib.sha256(data).hexdigest()
