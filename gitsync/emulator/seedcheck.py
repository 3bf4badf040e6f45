"""Deep checks of a seed's items, so a malformed seed is a SeedError naming the place, never a crash.

A seed comes from a user's YAML file or a ``POST /_emulator/seed`` body (issue 7): every field the emulator
reads is checked for its type here, before anything is stored.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

JSON = dict[str, Any]
KIND_NAMES = {int: "an integer", str: "a string", bool: "true or false", list: "a list", dict: "a mapping"}
APPLICATION_TYPES = (
    "service", "event", "job", "merchant-center-custom-application", "merchant-center-custom-view", "assets",
)  # fmt: skip


class SeedError(ValueError):
    """A seed file or ``POST /_emulator/seed`` body that cannot be used; the message says where."""


def _kind(value: Any, kind: type) -> bool:
    return isinstance(value, kind) and (kind is bool or not isinstance(value, bool))


def optional(item: JSON, field: str, kind: type, where: str) -> None:
    """A field that may be absent (or null) but has this type when present."""
    value = item.get(field)
    if value is not None and not _kind(value, kind):
        raise SeedError(f"{where}: '{field}' must be {KIND_NAMES.get(kind, kind.__name__)}")


def mappings(item: JSON, field: str, where: str) -> list[JSON]:
    """An optional list of mappings (absent or null: empty)."""
    value = item.get(field)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise SeedError(f"{where}: '{field}' must be a list of mappings")
    return value


def strings(item: JSON, field: str, where: str) -> None:
    """An optional list of strings."""
    value = item.get(field)
    if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
        raise SeedError(f"{where}: '{field}' must be a list of strings")


def _keys(item: JSON, where: str) -> None:
    for list_name in ("standardConfiguration", "securedConfiguration"):
        for index, entry in enumerate(mappings(item, list_name, where)):
            at = f"{where}.{list_name}[{index}]"
            if not isinstance(entry.get("key"), str):
                raise SeedError(f"{at}: 'key' is required and must be a string")
            optional(entry, "required", bool, at)
            optional(entry, "default", str, at)


def check_connector(raw: JSON, where: str) -> None:
    """Every connector field the emulator reads, typed (key and version are checked on normalizing)."""
    for field in ("id", "name", "isPreviewable"):
        optional(raw, field, str, where)
    for field in ("staged", "failDeploy", "failUndeploy"):
        optional(raw, field, bool, where)
    for field in ("creator", "repository", "globalConfiguration"):
        optional(raw, field, dict, where)
    for field in ("supportedRegions", "integrationTypes", "privateProjects"):
        strings(raw, field, where)
    for index, application in enumerate(mappings(raw, "configurations", where)):
        at = f"{where}.configurations[{index}]"
        optional(application, "applicationName", str, at)
        optional(application, "schedule", str, at)
        if application.get("applicationType", "service") not in APPLICATION_TYPES:
            raise SeedError(f"{at}: 'applicationType' must be one of {', '.join(APPLICATION_TYPES)}")
        _keys(application, at)
    _keys(raw.get("globalConfiguration") or {}, f"{where}.globalConfiguration")
    for index, trigger in enumerate(mappings(raw, "failOnConfiguration", where)):
        for field in ("key", "value"):
            optional(trigger, field, str, f"{where}.failOnConfiguration[{index}]")


def check_deployment(item: JSON, where: str) -> None:
    """The seed fields around a deployment's draft (the draft itself is checked as a create would be)."""
    if not isinstance(item.get("projectKey"), str):
        raise SeedError(f"{where}: 'projectKey' is required and must be a string")
    for field, kind in (("id", str), ("status", str), ("version", int)):
        optional(item, field, kind, where)
    version = item.get("version")
    if version is not None and version < 1:
        raise SeedError(f"{where}: 'version' must be 1 or more")


def check_client(item: JSON, where: str) -> None:
    for field in ("clientId", "clientSecret"):
        if not isinstance(item.get(field), str):
            raise SeedError(f"{where}: '{field}' is required and must be a string")
    strings(item, "scopes", where)


def check_project(item: JSON, where: str) -> None:
    if not isinstance(item.get("key"), str):
        raise SeedError(f"{where}: 'key' is required and must be a string")
    optional(item, "production", bool, where)


CHECKS: dict[str, Callable[[JSON, str], None]] = {
    "connectors": check_connector,
    "deployments": check_deployment,
    "clients": check_client,
    "projects": check_project,
}


def check_items(seed: JSON, source: str) -> None:
    """Check every item of every section; the error names ``<source>: <section>[<index>]``."""
    for section, check in CHECKS.items():
        for index, item in enumerate(seed[section]):
            check(item, f"{source}: {section}[{index}]")


MAX_NODES = 200_000  # YAML aliases can make a small file a huge tree: refuse it instead of walking it


def check_json_values(data: Any, where: str = "seed") -> None:
    """YAML can hold dates, bytes, sets and infinities; a seed (served as JSON) may not.

    Walked with an explicit stack and a node budget, so neither deep nesting nor an alias bomb can hang or
    crash it.
    """
    stack: list[tuple[Any, str]] = [(data, where)]
    for _ in range(MAX_NODES):
        if not stack:
            return
        value, at = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise SeedError(f"{at}: the key {str(key)[:40]!r} must be a string")
                stack.append((item, f"{at}.{key}"))
        elif isinstance(value, list):
            stack.extend((item, f"{at}[{index}]") for index, item in enumerate(value))
        else:
            _check_scalar(value, at)
    raise SeedError(f"{where}: the seed has more than {MAX_NODES} values (YAML aliases?); make it smaller")


def _check_scalar(value: Any, where: str) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise SeedError(f"{where}: {value!r} is not a JSON number")
    if not isinstance(value, str | int | float | bool) and value is not None:
        shown = json.dumps(str(value)[:40])
        raise SeedError(f"{where}: {shown} ({type(value).__name__}) is not a JSON value; quote it")
