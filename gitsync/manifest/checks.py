"""Checks beyond the schema, on one manifest's raw values: duplicates, secrets, ``${`` syntax, staged."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gitsync.manifest.interpolate import bad_reference, has_reference, single_reference
from gitsync.manifest.problems import Problem
from gitsync.manifest.schema import field_name
from gitsync.manifest.yamlfile import Document, PathKey

SECTIONS = ("standardConfiguration", "securedConfiguration")


def configuration_sets(value: dict[str, Any]) -> Iterator[tuple[PathKey, dict[str, Any]]]:
    """Each mapping holding standard/secured sections: globalConfiguration, every configurations entry."""
    if isinstance(value.get("globalConfiguration"), dict):
        yield ("globalConfiguration",), value["globalConfiguration"]
    configurations = value.get("configurations")
    if isinstance(configurations, list):
        for index, entry in enumerate(configurations):
            if isinstance(entry, dict):
                yield ("configurations", index), entry


def entries(section: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """The well-formed ``{key, value}`` entries of a section, with their index."""
    if isinstance(section, list):
        for index, entry in enumerate(section):
            if isinstance(entry, dict) and isinstance(entry.get("key"), str):
                yield index, entry


def check_manifest(doc: Document, *, allow_plaintext_secrets: bool, for_plan: bool = False) -> list[Problem]:
    """Every problem the schema cannot see in one manifest as written (``for_plan``: no opt-out to offer)."""
    value = doc.value
    if not isinstance(value, dict):
        return []
    problems = check_values(doc)
    if not allow_plaintext_secrets:
        for path, holder in configuration_sets(value):
            problems.extend(_plaintext_secrets(doc, path, holder, for_plan))
    problems.extend(_bad_interpolations(doc, value, ()))
    return problems


def check_values(doc: Document) -> list[Problem]:
    """Duplicates and staged-vs-type: checked as written, and again after ``${NAME}`` resolution."""
    value = doc.value
    if not isinstance(value, dict):
        return []
    problems = [*_duplicate_applications(doc, value), *_staged(doc, value), *_whole_version(doc, value)]
    for path, holder in configuration_sets(value):
        problems.extend(_duplicate_keys(doc, path, holder))
    return problems


def _duplicate_applications(doc: Document, value: dict[str, Any]) -> list[Problem]:
    first: dict[str, PathKey] = {}
    problems = []
    for path, holder in configuration_sets(value):
        name = holder.get("applicationName")
        if path[0] != "configurations" or not isinstance(name, str):
            continue
        if name in first:
            line, _ = doc.where((*first[name], "applicationName"))
            message = (
                f"applicationName {name!r} is configured twice (first at line {line}); merge the entries"
            )
            problems.append(doc.problem((*path, "applicationName"), "duplicate-application", message))
        else:
            first[name] = path
    return problems


def _duplicate_keys(doc: Document, path: PathKey, holder: dict[str, Any]) -> list[Problem]:
    seen: dict[str, tuple[str, int]] = {}
    problems = []
    for section in SECTIONS:
        for index, entry in entries(holder.get(section)):
            key = entry["key"]
            if key in seen:
                other_section, other_index = seen[key]
                line, _ = doc.where((*path, other_section, other_index, "key"))
                where = "twice" if other_section == section else f"in {other_section} too"
                message = f"configuration key {key!r} appears {where} (line {line}); keep one"
                problems.append(doc.problem((*path, section, index, "key"), "duplicate-config-key", message))
            else:
                seen[key] = (section, index)
    return problems


_OPT_OUT = "(or pass --allow-plaintext-secrets)"
_NO_OPT_OUT = "(plan has no opt-out: a plan never holds a secret value)"


def _plaintext_secrets(doc: Document, path: PathKey, holder: dict[str, Any], for_plan: bool) -> list[Problem]:
    problems = []
    for index, entry in entries(holder.get("securedConfiguration")):
        value = entry.get("value")
        if isinstance(value, str) and single_reference(value) is None:
            message = (
                f"secured value of {entry['key']!r} must be one ${{NAME}} reference, not a literal; "
                f'write value: "${{{entry["key"]}}}" and set {entry["key"]} in the environment '
                + (_NO_OPT_OUT if for_plan else _OPT_OUT)
            )
            problems.append(
                doc.problem((*path, "securedConfiguration", index, "value"), "plaintext-secret", message)
            )
    return problems


def _staged(doc: Document, value: dict[str, Any]) -> list[Problem]:
    connector = value.get("connector")
    kind = value.get("type")
    if has_reference(kind):
        return []  # known only after resolution: checked again then
    if isinstance(connector, dict) and connector.get("staged") is True and kind not in (None, "preview"):
        message = (
            f"connector.staged: true deploys a ConnectorStaged, which needs type: preview (not {kind!r})"
        )
        return [doc.problem(("type",), "staged-needs-preview", message)]
    return []


def _whole_version(doc: Document, value: dict[str, Any]) -> list[Problem]:
    # JSON Schema counts 7.0 as an integer (7.5 the schema reports itself); the API wants 7
    connector = value.get("connector")
    version = connector.get("version") if isinstance(connector, dict) else None
    if isinstance(version, float) and version.is_integer():
        message = f'connector.version {version!r} must be a whole number such as 7, or "latest"'
        return [doc.problem(("connector", "version"), "schema", message)]
    return []


def _bad_interpolations(doc: Document, value: Any, path: PathKey) -> Iterator[Problem]:
    if isinstance(value, str):
        bad = bad_reference(value)
        if bad is not None:
            shown = "a '${'" if "securedConfiguration" in path else repr(bad)  # never echo a secret
            message = (
                f"{shown} in {field_name(path)} is not a valid ${{NAME}} reference "
                "(NAME: letters, digits, _); write $${ for a literal ${"
            )
            yield doc.problem(path, "bad-interpolation", message)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _bad_interpolations(doc, item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _bad_interpolations(doc, item, (*path, index))
