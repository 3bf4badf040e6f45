"""What every plan renderer shares: the symbol and label of each action, and value formatting.

Kept in one place so text and Markdown always agree on how a change and a value look.
"""

from __future__ import annotations

import json
from typing import Any

from gitsync.plan.model import ACTIONS, Action, Change, Plan, TargetInfo
from gitsync.render.escape import clean
from gitsync.secret import SENSITIVE

SYMBOLS: dict[Action, str] = {
    "create": "+",
    "redeploy": "~",
    "replace": "-/+",
    "delete": "-",
    "noop": "=",
    "wait": "…",
    "unmanaged": "?",
    "error": "!",
}

# the order and wording of the summary line (SPEC §3.1); errors last, they decide the exit code
SUMMARY_WORDS: tuple[tuple[Action, str], ...] = (
    ("create", "to create"),
    ("redeploy", "to redeploy"),
    ("replace", "to replace"),
    ("delete", "to delete"),
    ("noop", "unchanged"),
    ("wait", "waiting"),
    ("unmanaged", "unmanaged"),
    ("error", "errors"),
)

# the Markdown comment: an icon that carries weight where colour does not, and the order a reviewer reads
ICONS: dict[Action, str] = {
    "error": "⛔",
    "delete": "🔴",
    "replace": "🟠",
    "redeploy": "🟡",
    "create": "🟢",
    "wait": "⏳",
    "unmanaged": "❔",
    "noop": "⚪",
}
SEVERITY: tuple[Action, ...] = tuple(ICONS)
"""Most dangerous first: details follow this order, and so does what the size budget keeps."""
COUNT_WORDS: dict[Action, str] = {
    "error": "errors",
    "delete": "to delete",
    "replace": "to replace",
    "redeploy": "to redeploy",
    "create": "to create",
    "wait": "waiting",
    "unmanaged": "unmanaged",
    "noop": "unchanged",
}

ABSENT = "(absent)"
NO_CHANGES = "No changes. Live deployments match the manifests."

assert set(SYMBOLS) == set(ACTIONS) == set(ICONS) == set(COUNT_WORDS)
__all__ = ["clean"]  # re-exported: text and Markdown plans escape with the one function of render.escape


def is_shown(change: Change) -> bool:
    """Noop lines are hidden (counted in the summary); everything else changes or needs attention."""
    return change.action != "noop"


def format_value(value: Any) -> str:
    """One value of a reason: ``(absent)`` for None, ``(sensitive)`` as is, anything else as compact JSON."""
    if value is None:
        return ABSENT
    if value == SENSITIVE:
        return SENSITIVE
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), sort_keys=False)


def summary_line(plan: Plan) -> str:
    """The last line of the text plan: every count, or the single "no changes" sentence."""
    counts = plan.summary
    if not plan.has_changes and not any(counts[action] for action in ("wait", "unmanaged", "error")):
        return NO_CHANGES
    parts = [f"{counts[action]} {words}" for action, words in SUMMARY_WORDS]
    if counts["error"] == 1:
        parts[-1] = "1 error"
    return "Plan: " + ", ".join(parts) + "."


def target_title(target: TargetInfo) -> str:
    return f"target {target.name} ({target.project_key}, {target.region})"


def changes_by_target(plan: Plan) -> list[tuple[TargetInfo, list[Change]]]:
    """Each target with its changes, in plan order; a change of an unlisted target gets a bare header."""
    groups: dict[str, list[Change]] = {target.name: [] for target in plan.targets}
    infos = {target.name: target for target in plan.targets}
    for change in plan.changes:
        if change.target not in groups:
            groups[change.target] = []
            infos[change.target] = TargetInfo(name=change.target, project_key="?", region="?")
        groups[change.target].append(change)
    return [(infos[name], changes) for name, changes in groups.items()]
