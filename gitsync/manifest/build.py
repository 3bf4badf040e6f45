"""A checked manifest's values → DesiredDeployment (their ``${NAME}`` resolved or not: manifest.resolve).

A secured value keeps its reference as written, and holds its value only when apply resolved it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from gitsync.manifest.interpolate import single_reference
from gitsync.manifest.model import (
    ApplicationConfiguration,
    ConfigurationSet,
    ConnectorRef,
    DesiredDeployment,
    Lifecycle,
    Position,
)
from gitsync.manifest.yamlfile import Document, PathKey
from gitsync.secret import Secret

LITERAL = "(literal)"


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
    (loaded without resolving, as schema pull does): values stay as written and secrets hold no value.
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
        digest=hashlib.sha256(doc.data).hexdigest(),
    )
