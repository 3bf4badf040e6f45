"""Required configuration keys that a create or a redeploy would leave empty (facts §1.8, §5.2).

The API documents DeploymentMissingGlobalConfigurationKey and DeploymentEmptyRequiredGlobalConfigurationKey.
It documents no code for a required *application* key; the emulator answers
DeploymentEmptyRequiredApplicationConfigurationKey (UNCONFIRMED, modelled on the global code) only where a
value the application had, or one sent, would end up empty. An application key never set stays allowed on
create, as before (whether the API refuses it is UNCONFIRMED).
"""

from __future__ import annotations

from typing import Any

from gitsync.emulator.errors import error
from gitsync.emulator.validation import LISTS

JSON = dict[str, Any]
KINDS = {"standardConfiguration": "standard", "securedConfiguration": "secret"}


def _values(values: JSON, list_name: str) -> dict[str, str]:
    return {entry["key"]: entry["value"] for entry in values.get(list_name, [])}


def _required(declared: JSON, list_name: str) -> list[str]:
    """Keys the connector requires that have no default to fall back on."""
    return [e["key"] for e in declared.get(list_name, []) if e.get("required") and not e.get("default")]


def emptied_keys(declared: JSON, before: JSON, after: JSON, sent: JSON) -> list[tuple[str, str, bool]]:
    """(list name, key, was it there before) of required keys that are sent empty or were set and are lost."""
    found = []
    for list_name in LISTS:
        had, has, sent_now = (_values(v, list_name) for v in (before, after, sent))
        for key in _required(declared, list_name):
            sent_empty = key in sent_now and sent_now[key] == ""
            if sent_empty or (key not in sent_now and had.get(key) and not has.get(key)):
                found.append((list_name, key, True))
            elif key not in sent_now and key not in had and key not in has:
                found.append((list_name, key, False))
    return found


def application_errors(
    connector: JSON, before: list[JSON], after: list[JSON], sent: list[JSON]
) -> list[JSON]:
    """Required application keys left empty by this request (never-set keys are not an error)."""
    by_name = {a["applicationName"]: a for a in sent}
    old = {a["applicationName"]: a for a in before}
    errors = []
    for declared, application in zip(connector["configurations"], after, strict=True):
        name = application["applicationName"]
        emptied = emptied_keys(declared, old.get(name, {}), application, by_name.get(name, {}))
        for list_name, key, _ in (item for item in emptied if item[2]):
            kind = KINDS[list_name]
            message = f"Required {kind} configuration key '{key}' of application '{name}' would be empty"
            errors.append(
                error("DeploymentEmptyRequiredApplicationConfigurationKey", message, applicationName=name)
            )
    return errors


def global_errors(connector: JSON, before: JSON, after: JSON, sent: JSON) -> list[JSON]:
    """Required global keys that a redeploy leaves empty or missing (sent empty ones: check_global)."""
    errors = []
    for list_name, key, was_there in emptied_keys(connector["globalConfiguration"], before, after, sent):
        if key in _values(sent, list_name):
            continue
        if was_there:
            message = f"Required global {KINDS[list_name]} configuration key '{key}' would be empty"
            errors.append(error("DeploymentEmptyRequiredGlobalConfigurationKey", message))
        else:
            message = f"Missing required global {KINDS[list_name]} configuration key '{key}'"
            errors.append(error("DeploymentMissingGlobalConfigurationKey", message))
    return errors
