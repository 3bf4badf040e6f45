"""Checks of DeploymentDraft and redeploy bodies against the API's rules and the connector's schema.

Shape problems raise InvalidJsonInput at once; configuration problems are collected so one answer lists
every one of them, as the API does (one response may hold several errors of one status, facts §5.1).
"""

from __future__ import annotations

import re
from typing import Any

from gitsync.emulator.errors import ApiError, error, invalid_json

JSON = dict[str, Any]

REGIONS = (
    "europe-west1.gcp",
    "us-central1.gcp",
    "australia-southeast1.gcp",
    "us-east-2.aws",
    "eu-central-1.aws",
)
DEPLOYMENT_TYPES = ("preview", "sandbox", "production")
INTEGRATION_TYPES = (
    "tax", "marketplace", "oms", "psp", "pim", "promotion", "search", "erp", "crm", "email", "analytics",
    "shipping", "giftcard", "other",
)  # fmt: skip
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{2,256}")
"""Matched whole (fullmatch): Python's ``$`` also matches before a final newline, the API's does not."""
LISTS = ("standardConfiguration", "securedConfiguration")


def parse_values(value: Any, path: str) -> list[JSON]:
    """A ConfigurationValue[] (string keys and values, each key once)."""
    if not isinstance(value, list):
        raise invalid_json(f"{path}: must be an array of {{key, value}}")
    seen: set[str] = set()
    for index, entry in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(entry, dict) or set(entry) != {"key", "value"}:
            raise invalid_json(f"{where}: must be an object with exactly 'key' and 'value'")
        if not isinstance(entry["key"], str) or not isinstance(entry["value"], str):
            raise invalid_json(f"{where}: 'key' and 'value' must be strings (values are strings only)")
        if entry["key"] in seen:
            raise invalid_json(f"{where}: duplicate key '{entry['key']}'")
        seen.add(entry["key"])
    return [{"key": entry["key"], "value": entry["value"]} for entry in value]


def parse_value_lists(value: Any, path: str) -> JSON:
    """An object with optional standardConfiguration / securedConfiguration; absent stays absent."""
    if not isinstance(value, dict):
        raise invalid_json(f"{path}: must be an object")
    parsed: JSON = {}
    for name in LISTS:
        if name in value:
            parsed[name] = parse_values(value[name], f"{path}.{name}")
    return parsed


def parse_applications(value: Any, path: str) -> list[JSON]:
    """A DeploymentConfigurationApplication[] with each applicationName once."""
    if not isinstance(value, list):
        raise invalid_json(f"{path}: must be an array")
    applications: list[JSON] = []
    for index, entry in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("applicationName"), str):
            raise invalid_json(f"{where}: must be an object with a string 'applicationName'")
        if "schedule" in entry and not isinstance(entry["schedule"], str):
            raise invalid_json(f"{where}.schedule: must be a cron string")
        if any(a["applicationName"] == entry["applicationName"] for a in applications):
            raise invalid_json(f"{where}: duplicate applicationName '{entry['applicationName']}'")
        application = {"applicationName": entry["applicationName"], **parse_value_lists(entry, where)}
        if "schedule" in entry:
            application["schedule"] = entry["schedule"]
        applications.append(application)
    return applications


def check_applications(connector: JSON, applications: list[JSON], unknown_code: str) -> list[JSON]:
    """Errors for application names and keys the connector does not declare."""
    declared = {a["applicationName"]: a for a in connector["configurations"]}
    errors: list[JSON] = []
    for application in applications:
        name = application["applicationName"]
        if name not in declared:
            message = f"Application '{name}' is not part of connector '{connector['key']}'"
            errors.append(error(unknown_code, message, applicationName=name))
            continue
        for list_name, kind in (("standardConfiguration", "standard"), ("securedConfiguration", "secret")):
            known = {entry["key"] for entry in declared[name][list_name]}
            for entry in application.get(list_name, []):
                if entry["key"] not in known:
                    message = f"Unknown {kind} configuration key '{entry['key']}' for application '{name}'"
                    errors.append(
                        error("DeploymentUnknownApplicationConfigurationKey", message, applicationName=name)
                    )
    return errors


def check_global(connector: JSON, values: JSON, *, require_missing: bool) -> list[JSON]:
    """Errors for unknown, missing (on create) and empty required global configuration keys."""
    errors: list[JSON] = []
    for list_name, kind in (("standardConfiguration", "standard"), ("securedConfiguration", "secret")):
        declared = {entry["key"]: entry for entry in connector["globalConfiguration"][list_name]}
        sent = {entry["key"]: entry["value"] for entry in values.get(list_name, [])}
        for key in sent.keys() - declared.keys():
            message = f"Unknown global {kind} configuration key '{key}'"
            errors.append(error("DeploymentUnknownGlobalConfigurationKey", message))
        for key, entry in declared.items():
            if not entry.get("required"):
                continue
            if key not in sent and require_missing and not entry.get("default"):
                message = f"Missing required global {kind} configuration key '{key}'"
                errors.append(error("DeploymentMissingGlobalConfigurationKey", message))
            elif key in sent and sent[key] == "":
                message = f"Required global {kind} configuration key '{key}' has an empty value"
                errors.append(error("DeploymentEmptyRequiredGlobalConfigurationKey", message))
    return errors


def deployment_type(connector: JSON, requested: Any) -> str:
    """The type a draft gets: the API default, or the one sent if the connector allows it."""
    if requested is None:
        return "preview" if connector["staged"] else "sandbox"
    if requested not in DEPLOYMENT_TYPES:
        raise invalid_json(f"type: must be one of {', '.join(DEPLOYMENT_TYPES)}")
    if connector["staged"] != (requested == "preview"):
        allowed = "preview" if connector["staged"] else "sandbox or production"
        kind = "a ConnectorStaged" if connector["staged"] else "a published Connector"
        message = f"Deployment type '{requested}' is not allowed for {kind}; use {allowed}"
        raise ApiError(400, [error("DeploymentInvalidType", message)])
    return str(requested)


def check_region(connector: JSON, region: Any) -> str:
    """The draft's region, if it is a Connect region the connector supports."""
    if not isinstance(region, str):
        raise invalid_json("region: is required and must be a string")
    supported = connector["supportedRegions"] or list(REGIONS)
    if region not in REGIONS or region not in supported:
        message = f"Region '{region}' is not supported; supported regions: {', '.join(supported)}"
        raise ApiError(400, [error("DeploymentUnsupportedRegion", message, region=region)])
    return region


def check_key(key: Any) -> str | None:
    """The draft's optional key, if it matches the API's pattern."""
    if key is not None and (not isinstance(key, str) or not KEY_PATTERN.fullmatch(key)):
        raise invalid_json(f"key: {key!r} must match ^[A-Za-z0-9_-]+$ with length 2..256")
    return key
