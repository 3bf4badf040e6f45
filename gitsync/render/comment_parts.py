"""The fixed parts of the plan comment: heading, caution and warning blocks, provenance, counts, footer.

These are never cut by the size budget: they are what a reviewer must see above the fold (the alert blocks
are GitHub's alert syntax, ``> [!CAUTION]``), and what tells them the comment is current and what merging
does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from gitsync.plan.model import Action, Change, Plan
from gitsync.render.context import CommentContext
from gitsync.render.labels import COUNT_WORDS, ICONS, SEVERITY, changes_by_target
from gitsync.render.markdown_text import code, prose, safe_url

PIPE, ESCAPED_PIPE = "|", "\\|"  # a cell splits at every unescaped pipe, even inside a code span
NOTHING = "no changes: live Deployments match the manifests"


def heading(plan: Plan) -> str:
    """``## gitsync plan: 🔴 2 to delete · 🟢 4 to create``: the non-zero counts, most severe first."""
    counts = plan.summary
    parts = [_count(action, counts[action]) for action in SEVERITY if action != "noop" and counts[action]]
    return "## gitsync plan: " + (" · ".join(parts) if parts else NOTHING)


def _count(action: Action, count: int) -> str:
    words = "error" if action == "error" and count == 1 else COUNT_WORDS[action]
    return f"{ICONS[action]} {count} {words}"


def alerts(plan: Plan, room: int, reason: Callable[[Change], str]) -> list[str]:
    """The caution block (every delete and replace) and the warning block (every error), each followed
    by a blank line; [] when there is neither. ``room`` bounds each list for absurdly large plans only."""
    lines: list[str] = []
    destructive = [c for c in plan.changes if c.action in ("delete", "replace")]
    deletes = sum(c.action == "delete" for c in destructive)
    if destructive:
        counts = [(deletes, "to delete"), (len(destructive) - deletes, "to replace")]
        title = "**Destructive changes: " + ", ".join(f"{n} {words}" for n, words in counts if n) + ".**"
        lines += ["> [!CAUTION]", f"> {title} A replace deletes the Deployment, then creates it again.", ">"]
        lines += [*_items(destructive, room, reason), ""]
    errors = [c for c in plan.changes if c.action == "error"]
    if errors:
        noun = "error" if len(errors) == 1 else "errors"
        lines += ["> [!WARNING]", f"> **This plan cannot be applied: {len(errors)} {noun}.**", ">"]
        lines += [*_items(errors, room, reason), ""]
    return lines


def _items(changes: list[Change], room: int, reason: Callable[[Change], str]) -> list[str]:
    items: list[str] = []
    for index, change in enumerate(changes):
        why = reason(change)
        item = f"> - {ICONS[change.action]} {change.action} {code(change.key)} in **{prose(change.target)}**"
        item += f": {why}" if why else ""
        room -= len(item) + 1
        if room < 0:
            items.append(f"> - … and {len(changes) - index} more: see the CI run")
            break
        items.append(item)
    return items


def provenance(plan: Plan, context: CommentContext) -> str:
    """``Planned at commit `4f2a9c1` by the CI run · 2026-11-30T09:57:54Z · 1 unchanged``."""
    parts = ["Planned"]
    if context.commit:
        parts.append(f"at commit {code(context.commit[:12])}")
    url = safe_url(context.run_url)
    if url:
        parts.append(f"by [the CI run]({url})")
    line = " ".join(parts) + f" · {code(plan.created_at)}"
    unchanged = plan.summary["noop"]
    return line + (f" · {unchanged} unchanged" if unchanged else "")


def summary_table(plan: Plan) -> Iterator[str]:
    """One row per target, a column per action that occurs (most severe first), unchanged last."""
    counts = plan.summary
    columns = [action for action in SEVERITY if counts[action]]
    if not columns:
        return
    words = {action: COUNT_WORDS[action].removeprefix("to ") for action in columns}
    yield "| target | " + " | ".join(f"{ICONS[a]} {words[a]}" for a in columns) + " |"
    yield "| --- |" + " ---: |" * len(columns)
    for target, changes in changes_by_target(plan):
        cells = [str(sum(change.action == action for change in changes)) for action in columns]
        title = f"**{prose(target.name)}** · {code(target.project_key)} · {prose(target.region)}"
        yield f"| {title.replace(PIPE, ESCAPED_PIPE)} | " + " | ".join(cells) + " |"


def footer(plan: Plan, context: CommentContext) -> str:
    """What merging does, and whether apply's guards accept this plan."""
    lines = ["---", ""]
    if plan.has_errors:
        lines.append("⛔ **Apply cannot run this plan**: fix the errors above, then push to plan again.")
    elif plan.has_changes or plan.summary["wait"]:
        lines.append(
            "**On merge**, the apply job runs `gitsync apply` with this plan: it sends the changes above, "
            "unless a target's deletes and replaces exceed its `maxDeletes` (then it refuses, exit 3)."
        )
    else:
        lines.append("**On merge**, apply has nothing to do.")
    lines += ["", *_guards(context), ""]
    url = safe_url(context.run_url)
    again = f"push a commit or [re-run the job]({url})" if url else "push a commit or re-run the job"
    lines.append(f"To plan again, {again}. The full plan is the `plan.json` artifact of the run.")
    return "\n".join(lines) + "\n"


def _guards(context: CommentContext) -> list[str]:
    if context.guards is None:
        return ["Guards: not checked (rendered from a saved plan, without its configuration)."]
    if not context.guards:
        return ["✅ Guards: `maxDeletes` accepts this plan."]
    lines = ["⛔ **Apply will refuse this plan (exit 3):**", ""]
    return lines + [f"- {prose(message)}" for message in context.guards]
