"""A checked manifest's values → DesiredDeployment; ``${NAME}`` resolution of every string value (plan)."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from typing import Any

from gitsync.manifest.interpolate import resolve, single_reference
from gitsync.manifest.model import (
    ApplicationConfiguration,
    ConfigurationSet,
    ConnectorRef,
    DesiredDeployment,
    Lifecycle,
    Position,
    Target,
)
from gitsync.manifest.problems import Problem
from gitsync.manifest.yamlfile import Document, PathKey
from gitsync.secret import Secret

LITERAL = "(literal)"
_VERSION: PathKey = ("connector", "version")


class _Resolver:
    """Resolves every string value of one manifest from the target's vars, then the environment."""

    def __init__(self, doc: Document, target: Target, env: Mapping[str, str]) -> None:
        self.doc = doc
        self.target = target
        self.env = env
        self.problems: list[Problem] = []
        self.constrained = False
        """Whether a reference stood where the schema constrains the value (not a free-form value)."""

    def lookup(self, name: str) -> str | None:
        return self.target.vars.get(name, self.env.get(name))

    def value(self, value: Any, path: PathKey) -> Any:
        if isinstance(value, dict):
            return {key: self.value(item, (*path, key)) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item, (*path, index)) for index, item in enumerate(value)]
        if not isinstance(value, str) or "$" not in value:
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


def resolve_document(
    doc: Document, target: Target, env: Mapping[str, str]
) -> tuple[Document, list[Problem], bool]:
    """``doc`` with every string value resolved (positions and problems list shared), what is missing, and
    whether a resolved value needs checking again (it stood where the schema constrains values)."""
    resolver = _Resolver(doc, target, env)
    value = resolver.value(doc.value, ())
    return dataclasses.replace(doc, value=value), resolver.problems, resolver.constrained


class _Builder:
    """Typed values of one manifest; secured values keep the reference as written (``raw``)."""

    def __init__(self, raw: Document | None) -> None:
        self.raw = raw

    def secret(self, value: str, path: PathKey) -> Secret:
        written = value if self.raw is None else self.raw.value_at(path)
        reference = written if single_reference(written) is not None else LITERAL
        return Secret(reference, "" if self.raw is None else value)

    def configuration(self, holder: Mapping[str, Any], path: PathKey) -> ConfigurationSet:
        standard = {entry["key"]: entry["value"] for entry in holder.get("standardConfiguration", ())}
        secured = {
            entry["key"]: self.secret(entry["value"], (*path, "securedConfiguration", i, "value"))
            for i, entry in enumerate(holder.get("securedConfiguration", ()))
        }
        return ConfigurationSet(standard=standard, secured=secured)

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


def build_deployment(doc: Document, raw: Document | None = None) -> DesiredDeployment:
    """The DesiredDeployment of a manifest that passed every check.

    ``doc`` resolved and ``raw`` as written (plan/apply): secrets hold both; ``raw=None`` (validate):
    values stay as written and secrets hold no value.
    """
    value: dict[str, Any] = doc.value
    builder = _Builder(raw)
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
        digest=hashlib.sha256(doc.data).hexdigest(),
    )
