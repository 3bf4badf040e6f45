"""Connector schemas: built from the API's Connector JSON, and the offline checks they enable."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gitsync.files import read_regular
from gitsync.manifest.schema import is_interpolated, load_schema

CONNECTOR_SCHEMA_DIR = Path("schemas") / "connectors"
"""Where ``schema pull`` writes and validation looks, relative to gitsync.yaml's folder."""


def _keys(section: Any, *, secured: bool) -> dict[str, dict[str, Any]]:
    """KEY → {required, default?, description} from a Standard/SecuredConfigurationKey list."""
    keys: dict[str, dict[str, Any]] = {}
    for item in _list(section):
        if not isinstance(item, Mapping) or not isinstance(item.get("key"), str):
            continue
        default = None if secured else item.get("default")
        entry: dict[str, Any] = {
            "required": bool(item.get("required")) and default is None,  # a default makes it optional
            "description": str(item.get("description") or ""),
        }
        if not secured:
            entry["default"] = default
        keys[item["key"]] = entry
    return keys


def _configuration_set(holder: Any) -> dict[str, Any]:
    holder = holder if isinstance(holder, Mapping) else {}
    return {
        "standard": _keys(holder.get("standardConfiguration"), secured=False),
        "secured": _keys(holder.get("securedConfiguration"), secured=True),
    }


def connector_facts(connector: Mapping[str, Any]) -> dict[str, Any]:
    """The ``x-gitsync`` block: what offline checks need from a Connector / ConnectorStaged."""
    applications = {}
    for app in _list(connector.get("configurations")):
        if isinstance(app, Mapping) and isinstance(app.get("applicationName"), str):
            applications[app["applicationName"]] = {
                "applicationType": app.get("applicationType"),
                **_configuration_set(app),
            }
    staged = bool(connector.get("staged")) or "isPreviewable" in connector
    return {
        "connector": {
            "key": _text(connector.get("key")),
            "id": _text(connector.get("id")),
            "version": connector.get("version"),
        },
        "staged": staged,
        "supportedRegions": [region for region in _list(connector.get("supportedRegions")) if _text(region)],
        "applications": applications,
        "global": _configuration_set(connector.get("globalConfiguration")),
    }


def _list(value: Any) -> list[Any]:
    """A list from the API's answer, or [] for anything else (the answer is checked, not trusted)."""
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _key_choices(keys: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    if not keys:
        return {"type": "string", "description": "This section declares no keys.", "enum": []}
    return {
        "type": "string",
        "description": "A configuration key this connector declares.",
        "anyOf": [
            {"const": name, "description": _describe(name, fact)} for name, fact in sorted(keys.items())
        ],
    }


def _describe(name: str, fact: Mapping[str, Any]) -> str:
    text = fact.get("description") or name
    if fact.get("default") is not None:
        text += f" (default: {fact['default']})"
    return text + (" (required)" if fact.get("required") else "")


def _narrow(prop: Mapping[str, Any], rule: Mapping[str, Any]) -> dict[str, Any]:
    """``prop`` with ``rule`` added to its checked alternative, so a ``${NAME}`` value stays accepted."""
    alternatives = prop.get("anyOf")
    if isinstance(alternatives, list) and len(alternatives) == 2 and is_interpolated(alternatives[1]):
        checked = {key: value for key, value in alternatives[0].items() if key != "pattern"}
        return {**prop, "anyOf": [{**checked, **rule}, alternatives[1]]}
    return {**prop, **rule}


def _set_keys(target: dict[str, Any], facts: Mapping[str, Any]) -> None:
    """Narrow a configurationSet-shaped schema's keys to the connector's standard / secured keys."""
    for section, kind in (("standardConfiguration", "standard"), ("securedConfiguration", "secured")):
        items = copy.deepcopy(target["properties"][section]["items"])
        items["properties"]["key"] = _narrow(items["properties"]["key"], _key_choices(facts[kind]))
        target["properties"][section] = {**target["properties"][section], "items": items}


def build_connector_schema(connector: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON Schema (2020-12) for manifests of ``connector`` (API Connector JSON) plus ``x-gitsync``."""
    facts = connector_facts(connector)
    base = load_schema("deployment.schema.json")
    defs = copy.deepcopy(base["$defs"])
    for name in ("configurationValue", "securedValue"):
        defs[name] = _inline_refs(defs[name], defs)
    schema = copy.deepcopy({k: v for k, v in base.items() if k not in ("$defs", "$id")})
    name = connector.get("name") or facts["connector"]["key"] or facts["connector"]["id"]
    schema["title"] = f"gitsync manifest for connector {name}"
    schema["description"] = f"A Deployment of the {name} connector (generated by gitsync schema pull)."
    props = schema["properties"]
    _narrow_connector(props["connector"], facts)
    if facts["supportedRegions"]:
        props["region"] = _narrow(props["region"], {"enum": facts["supportedRegions"]})
    glob = _inline_refs({"$ref": "#/$defs/configurationSet"}, defs)
    _set_keys(glob, facts["global"])
    props["globalConfiguration"] = {**glob, "description": props["globalConfiguration"]["description"]}
    props["configurations"] = _applications_schema(props["configurations"], facts, defs)
    schema = _inline_refs(schema, defs)
    schema["x-gitsync"] = facts
    return dict(schema)


def _narrow_connector(connector_schema: dict[str, Any], facts: Mapping[str, Any]) -> None:
    ref = facts["connector"]
    properties = connector_schema["properties"]
    if ref["key"]:
        properties["key"] = _narrow(properties["key"], {"const": ref["key"]})
    if ref["id"]:
        properties["id"] = {**properties["id"], "const": ref["id"]}


def _applications_schema(
    base: dict[str, Any], facts: Mapping[str, Any], defs: dict[str, Any]
) -> dict[str, Any]:
    item = _inline_refs(base["items"], defs)
    names = sorted(facts["applications"])
    item["properties"]["applicationName"] = _narrow(item["properties"]["applicationName"], {"enum": names})
    item["allOf"] = []
    for name in names:
        then = copy.deepcopy(
            {
                "properties": {
                    k: item["properties"][k] for k in ("standardConfiguration", "securedConfiguration")
                }
            }
        )
        _set_keys(then, facts["applications"][name])
        item["allOf"].append({"if": {"properties": {"applicationName": {"const": name}}}, "then": then})
    return {**base, "items": item}


def _inline_refs(node: Any, defs: Mapping[str, Any]) -> Any:
    """``node`` with local ``#/$defs/…`` references replaced by their targets (the schema stands alone)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            merged = {**_inline_refs(defs[ref.removeprefix("#/$defs/")], defs), **node}
            merged.pop("$ref")
            return merged
        return {key: _inline_refs(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_refs(value, defs) for value in node]
    return copy.deepcopy(node)


MAX_SCHEMA_BYTES = 16 * 1024 * 1024
"""A connector schema is generated JSON of a few KiB; a bigger file is not one (and is never read whole)."""


def read_connector_facts(path: Path) -> dict[str, Any]:
    """The x-gitsync block of a connector schema file, its shape checked; ValueError/OSError when unusable.

    The file may have been edited by hand, so every part offline checks touch is checked here first.
    """
    try:
        loaded = json.loads(read_regular(path, MAX_SCHEMA_BYTES).decode("utf-8"))
    except RecursionError as exc:  # json recurses once per nesting level
        raise ValueError("it is not JSON gitsync wrote (nested too deep)") from exc
    except UnicodeDecodeError as exc:
        raise ValueError("it is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"it is not valid JSON at line {exc.lineno}:{exc.colno}: {exc.msg}") from exc
    except ValueError as exc:  # an integer of over 4,300 digits
        raise ValueError("it holds a number too long to read") from exc
    facts = loaded.get("x-gitsync") if isinstance(loaded, dict) else None
    if not isinstance(facts, dict):
        raise ValueError("it has no x-gitsync block")
    _check_facts(facts)
    return facts


def _check_facts(facts: dict[str, Any]) -> None:
    """Raise ValueError naming the first part of ``x-gitsync`` that is not what ``connector_facts`` writes."""
    _expect(facts.get("connector", {}), dict, "connector")
    for name in ("key", "id"):
        _expect(facts.get("connector", {}).get(name), (str, type(None)), f"connector.{name}")
    regions = _expect(facts.get("supportedRegions", []), list, "supportedRegions")
    for index, region in enumerate(regions):
        _expect(region, str, f"supportedRegions[{index}]")
    applications = _expect(facts.get("applications"), dict, "applications")
    for name, app in applications.items():
        _check_set(_expect(app, dict, f"applications.{name}"), f"applications.{name}")
    _check_set(_expect(facts.get("global"), dict, "global"), "global")


def _check_set(holder: dict[str, Any], where: str) -> None:
    for kind in ("standard", "secured"):
        keys = _expect(holder.get(kind), dict, f"{where}.{kind}")
        for key, fact in keys.items():
            _expect(fact, dict, f"{where}.{kind}.{key}")


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(value, kind):
        raise ValueError(f"x-gitsync.{where} is damaged (not the {_KIND_WORDS.get(kind, 'value')} expected)")
    return value


_KIND_WORDS: dict[Any, str] = {dict: "object", list: "list", str: "text", (str, type(None)): "text or null"}


_SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,243}")
"""The API's key pattern (ids are UUIDs); 243 leaves room for ``.schema.json`` in a 255-byte file name."""


def schema_file_name(name: str) -> str | None:
    """``<name>.schema.json`` for a connector key or id, or None for any other text.

    The name comes from a manifest or the API's answer: a ``../`` or ``/`` in it must never reach a path.
    """
    return f"{name}.schema.json" if _SAFE_NAME.fullmatch(name) else None
