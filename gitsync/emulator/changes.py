"""How a draft or a redeploy turns into stored values, for both documented redeploy modes.

UNCONFIRMED (facts §1.8): whether a redeploy replaces an application's values or merges them per key.
``merge`` (the default; the official CLI's one-key redeploy only works this way, docs/emulator.md): each
sent key is set, keys not sent stay. ``replace``: each value list that is sent replaces the stored list;
lists and applications not sent stay.
"""

from __future__ import annotations

from typing import Any, Literal

from gitsync.emulator.validation import LISTS

JSON = dict[str, Any]
RedeployMode = Literal["replace", "merge"]


def apply_values(stored: JSON, sent: JSON, mode: RedeployMode) -> None:
    """Update one application's (or the global) value lists in place from what was sent."""
    for name in LISTS:
        if name not in sent:
            continue
        if mode == "replace":
            stored[name] = [dict(entry) for entry in sent[name]]
        else:
            merged = {entry["key"]: entry["value"] for entry in stored.get(name, [])}
            merged.update({entry["key"]: entry["value"] for entry in sent[name]})
            stored[name] = [{"key": k, "value": v} for k, v in merged.items()]


def apply_applications(applications: list[JSON], sent: list[JSON], mode: RedeployMode) -> None:
    """Update the sent applications in place; applications not sent keep their values."""
    by_name = {a["applicationName"]: a for a in applications}
    for application in sent:
        stored = by_name[application["applicationName"]]
        apply_values(stored, application, mode)
        if "schedule" in application:
            stored["schedule"] = application["schedule"]
