"""A checked manifest's values → DesiredDeployment, resolving ``${NAME}`` when asked (plan/apply)."""

from __future__ import annotations

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


class _Resolver:
    """Resolves string values of one manifest; env=None (validate) leaves them as written."""

    def __init__(self, doc: Document, target: Target, env: Mapping[str, str] | None) -> None:
        self.doc = doc
        self.target = target
        self.env = env
        self.problems: list[Problem] = []

    def lookup(self, name: str) -> str | None:
        assert self.env is not None
        return self.target.vars.get(name, self.env.get(name))

    def text(self, value: str, path: PathKey) -> str:
        if self.env is None:
            return value
        resolved, missing = resolve(value, self.lookup)
        for name in missing:
            message = (
                f"variable {name!r} has no value: set it in the environment "
                f"or in vars of target {self.target.name!r}"
            )
            self.problems.append(self.doc.problem(path, "missing-variable", message))
        return resolved

    def secret(self, value: str, path: PathKey) -> Secret:
        name = single_reference(value)
        reference = value if name is not None else LITERAL
        if self.env is None:
            return Secret(reference, "")
        return Secret(reference, self.text(value, path))

    def configuration(self, holder: Mapping[str, Any], path: PathKey) -> ConfigurationSet:
        standard = {
            entry["key"]: self.text(entry["value"], (*path, "standardConfiguration", i, "value"))
            for i, entry in enumerate(holder.get("standardConfiguration", ()))
        }
        secured = {
            entry["key"]: self.secret(entry["value"], (*path, "securedConfiguration", i, "value"))
            for i, entry in enumerate(holder.get("securedConfiguration", ()))
        }
        return ConfigurationSet(standard=standard, secured=secured)

    def application(self, entry: Mapping[str, Any], path: PathKey) -> ApplicationConfiguration:
        schedule = entry.get("schedule")
        return ApplicationConfiguration(
            application_name=entry["applicationName"],
            values=self.configuration(entry, path),
            schedule=self.text(schedule, (*path, "schedule")) if schedule is not None else None,
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
    doc: Document, target: Target, env: Mapping[str, str] | None
) -> DesiredDeployment | list[Problem]:
    """The DesiredDeployment of a manifest that passed every check, or its missing-variable problems."""
    value: dict[str, Any] = doc.value
    resolver = _Resolver(doc, target, env)
    glob = value.get("globalConfiguration")
    applications = enumerate(value.get("configurations", ()))
    deployment = DesiredDeployment(
        key=value["key"],
        connector=_connector(value["connector"]),
        region=value["region"],
        type=value.get("type"),
        global_configuration=resolver.configuration(glob, ("globalConfiguration",))
        if glob is not None
        else None,
        configurations=tuple(resolver.application(entry, ("configurations", i)) for i, entry in applications),
        lifecycle=_lifecycle(value.get("lifecycle", {})),
        source=doc.file,
        position=Position(doc.file, *doc.where(("key",), key=True)),
        digest=hashlib.sha256(doc.data).hexdigest(),
    )
    return resolver.problems or deployment
