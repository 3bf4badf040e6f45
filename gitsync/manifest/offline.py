"""Offline connector checks: a manifest against the ``x-gitsync`` facts of a pulled connector schema."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gitsync.manifest.checks import SECTIONS, configuration_sets, entries
from gitsync.manifest.interpolate import has_reference
from gitsync.manifest.problems import Problem
from gitsync.manifest.schema import suggest
from gitsync.manifest.yamlfile import Document, PathKey

_KIND = {"standardConfiguration": "standard", "securedConfiguration": "secured"}
_OTHER = {"standardConfiguration": "securedConfiguration", "securedConfiguration": "standardConfiguration"}


def check_against_connector(doc: Document, facts: Mapping[str, Any]) -> list[Problem]:
    """Application names, known keys, required keys, standard/secured placement and region."""
    value = doc.value
    if not isinstance(value, dict):
        return []
    label = _label(facts)
    problems = _region(doc, value, facts, label)
    listed: set[str] = set()
    unresolved = False  # an applicationName ${NAME}: which applications are listed is known at plan time
    for path, holder in configuration_sets(value):
        if path[0] == "globalConfiguration":
            problems += _keys(doc, path, holder, facts["global"], f"{label} global configuration")
            continue
        name = holder.get("applicationName")
        if not isinstance(name, str) or has_reference(name):
            unresolved = unresolved or has_reference(name)
            continue
        listed.add(name)
        app = facts["applications"].get(name)
        if app is None:
            known = ", ".join(sorted(facts["applications"])) or "none"
            message = (
                f"{label} has no application {name!r} (it has: {known}){suggest(name, facts['applications'])}"
            )
            problems.append(doc.problem((*path, "applicationName"), "unknown-application", message))
            continue
        problems += _keys(doc, path, holder, app, f"application {name!r}")
    if not unresolved and not any(problem.code == "unknown-application" for problem in problems):
        problems += _unlisted(doc, value, facts, listed)  # a misspelt name would report its keys twice
    return problems


def _label(facts: Mapping[str, Any]) -> str:
    ref = facts.get("connector") or {}
    return f"connector {ref.get('key') or ref.get('id')!r}"


def _region(doc: Document, value: dict[str, Any], facts: Mapping[str, Any], label: str) -> list[Problem]:
    regions = facts.get("supportedRegions") or []
    region = value.get("region")
    if regions and isinstance(region, str) and not has_reference(region) and region not in regions:
        message = f"{label} does not support region {region!r}; it supports: {', '.join(regions)}"
        return [doc.problem(("region",), "unsupported-region", message)]
    return []


def _keys(
    doc: Document, path: PathKey, holder: dict[str, Any], declared: Mapping[str, Any], where: str
) -> list[Problem]:
    problems = []
    present: set[str] = set()
    empty: set[str] = set()  # the API refuses a required key whose value is "" (DeploymentEmptyRequired…)
    for section in SECTIONS:
        for index, entry in entries(holder.get(section)):
            key = entry["key"]
            present.add(key)
            if entry.get("value") == "":
                empty.add(key)
            problem = None if has_reference(key) else _placement(key, section, declared, where)
            if problem is not None:
                problems.append(doc.problem((*path, section, index, "key"), *problem))
    if any(has_reference(key) for key in present):
        return problems  # a key known only after resolution may be the required one: checked then
    for kind in ("standard", "secured"):
        for key, fact in declared[kind].items():
            if fact.get("required") and (key not in present or key in empty):
                section = f"{kind}Configuration"
                message = f"{where} requires {key!r}; add it under {section}"
                if key in empty:
                    message = f"{where} requires a value for {key!r}; the API refuses an empty one"
                problems.append(doc.problem(path, "missing-required-key", message))
    return problems


def _placement(key: str, section: str, declared: Mapping[str, Any], where: str) -> tuple[str, str] | None:
    if key in declared[_KIND[section]]:
        return None
    if key in declared[_KIND[_OTHER[section]]]:
        return (
            "wrong-section",
            f"{key!r} is a {_KIND[_OTHER[section]]} key of {where}; move it to {_OTHER[section]}",
        )
    choices = [*declared["standard"], *declared["secured"]]
    return "unknown-config-key", f"{where} declares no key {key!r}{suggest(key, choices)}"


def _unlisted(
    doc: Document, value: dict[str, Any], facts: Mapping[str, Any], listed: set[str]
) -> list[Problem]:
    """Required keys of applications (and the global set) the manifest does not configure at all."""
    problems = []
    if "globalConfiguration" not in value:
        problems += _keys(doc, ("key",), {}, facts["global"], f"{_label(facts)} global configuration")
    for name, app in sorted(facts["applications"].items()):
        if name not in listed:
            where = f"application {name!r} (add it to configurations)"
            problems += _keys(doc, ("key",), {}, app, where)
    return problems
