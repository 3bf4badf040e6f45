"""The plan as a pull-request comment a reviewer can trust (docs/pr-comment.md).

Top to bottom: the marker, a heading with the counts, a caution block listing every delete and replace and a
warning block listing every error (never cut), provenance (commit, run, time), a table of non-zero counts per
target, then one section per target with each change in severity order (error, delete, replace, redeploy,
create, wait, unmanaged) as a collapsible ``diff``, and a footer (what merging does, the guard outcome).

GitHub refuses comments over 65,536 characters: everything stays within ``BUDGET``. Every change's name
always appears; when the details do not all fit, the least severe become one line each and a note says how
many per target, pointing at the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from gitsync.plan.model import Change, Plan, TargetInfo
from gitsync.render.comment_diff import cut_pair, diff_block, short_path, shown
from gitsync.render.comment_parts import alerts, footer, heading, provenance, summary_table
from gitsync.render.context import NO_CONTEXT, CommentContext
from gitsync.render.labels import COUNT_WORDS, ICONS, SEVERITY, changes_by_target, is_shown
from gitsync.render.markdown_text import code, html_text, prose, safe_url

MARKER = "<!-- gitsync-plan -->"
BUDGET = 60_000
"""Characters; GitHub's limit is 65,536."""
ONE_LINE_VALUE = 80


def write_plan_markdown(
    plan: Plan, stream: TextIO, *, color: bool = False, context: CommentContext = NO_CONTEXT
) -> None:
    """Write the comment; ``color`` is ignored (Markdown has its own emphasis)."""
    stream.write(plan_markdown(plan, context))


@dataclass(frozen=True)
class _Entry:
    change: Change
    forms: tuple[str, str, str]
    """The change as its name alone, as one line with why, and as details: the budget picks one."""


NAME, LINE, DETAILS = range(3)


def plan_markdown(plan: Plan, context: CommentContext = NO_CONTEXT, budget: int = BUDGET) -> str:
    """The whole comment within ``budget``: the head and footer always, details as far as they fit."""
    groups = [(target, _entries(changes)) for target, changes in changes_by_target(plan)]
    groups = [(target, entries) for target, entries in groups if entries]
    end = footer(plan, context)
    alert_lines = alerts(plan, budget // 2, one_line_reason)
    head = "\n".join([MARKER, heading(plan), "", *alert_lines, provenance(plan, context), ""])
    head += "\n" + "\n".join(summary_table(plan)) + "\n"
    forms = _choose_forms(groups, budget - len(head) - len(end) - 400)
    body = [_section(target, entries, forms) for target, entries in groups]
    left = _left_out(groups, forms, context)
    return _fit("\n".join([head, *body, *left, end]), budget)


def _entries(changes: Sequence[Change]) -> list[_Entry]:
    ordered = sorted((c for c in changes if is_shown(c)), key=lambda c: SEVERITY.index(c.action))
    return [_Entry(change, (f"- {label(change)}", one_line(change), details(change))) for change in ordered]


def _choose_forms(groups: list[tuple[TargetInfo, list[_Entry]]], room: int) -> dict[int, int]:
    """Each entry's form: every name is paid for first; then details in severity order (across targets)
    until the next no longer fits; then one line with why for the rest, as far as they fit."""
    entries = sorted(
        (entry for _, group in groups for entry in group), key=lambda e: SEVERITY.index(e.change.action)
    )
    room -= sum(len(entry.forms[NAME]) + 1 for entry in entries) + 100 * len(groups)
    chosen = dict.fromkeys((id(entry) for entry in entries), NAME)
    for form in (DETAILS, LINE):
        for entry in (e for e in entries if chosen[id(e)] == NAME):
            extra = len(entry.forms[form]) - len(entry.forms[NAME])
            if extra > room:
                break
            room -= extra
            chosen[id(entry)] = form
    return chosen


def _section(target: TargetInfo, entries: list[_Entry], forms: dict[int, int]) -> str:
    title = f"### {prose(target.name)} · {code(target.project_key)} · {prose(target.region)}"
    lines = [title, ""]
    for entry in entries:
        form = forms[id(entry)]
        if form != DETAILS and lines[-1].startswith("</details>"):
            lines.append("")
        lines.append(entry.forms[form])
    return "\n".join(lines) + "\n"


def _left_out(
    groups: list[tuple[TargetInfo, list[_Entry]]], forms: dict[int, int], context: CommentContext
) -> list[str]:
    counts = [(target.name, sum(forms[id(e)] != DETAILS for e in entries)) for target, entries in groups]
    counts = [(name, count) for name, count in counts if count]
    if not counts:
        return []
    per_target = ", ".join(f"{count} in {prose(name)}" for name, count in counts)
    url = safe_url(context.run_url)
    where = f"[the CI run]({url})" if url else "the CI job's log"
    return [
        f"_Details of {sum(count for _, count in counts)} changes left out to stay within GitHub's comment "
        f"size ({per_target}): each is one line above; the full plan is in {where} (`plan.json`)._\n"
    ]


def _fit(text: str, budget: int) -> str:
    """Last resort for plans whose names alone exceed the budget: cut at a line and say so."""
    if len(text) <= budget:
        return text
    note = "\n\n_The plan is too large for one comment: the rest is in the CI run (`plan.json`)._\n"
    return text[: text.rfind("\n", 0, budget - len(note))] + note


def label(change: Change) -> str:
    return f"{ICONS[change.action]} **{change.action}** {code(change.key)}"


def one_line(change: Change) -> str:
    """The change in one list line: icon, action, key and, when short to say, why."""
    reason = one_line_reason(change)
    return f"- {label(change)}" + (f": {reason}" if reason else "")


def one_line_reason(change: Change) -> str:
    """Why, in a few words: the error, the delete's note, or the first reasons as ``path before → after``."""
    if change.action == "error" and change.error:
        return prose(change.error)
    parts = []
    for reason in change.reasons[:3]:
        if (reason.before is None and reason.after is None) or change.action == "delete":
            parts.append(prose(reason.note or short_path(reason.path)))
            continue
        before, after = cut_pair(shown(reason.before), shown(reason.after), ONE_LINE_VALUE)
        note = f" ({prose(reason.note)})" if reason.note else ""
        parts.append(f"{code(short_path(reason.path))} {code(before)} → {code(after)}{note}")
    more = len(change.reasons) - 3
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def details(change: Change) -> str:
    """One collapsible block: the error or note in words, then the diff."""
    source = f" · <code>{html_text(change.source)}</code>" if change.source else ""
    summary = f"{ICONS[change.action]} <b>{change.action}</b> <code>{html_text(change.key)}</code>{source}"
    lines = [f"<details><summary>{summary}</summary>", ""]
    words = _words(change)
    if words:
        lines += [words, ""]
    block = diff_block(change)
    if block:
        lines += [block, ""]
    lines.append("</details>\n")
    return "\n".join(lines)


def _words(change: Change) -> str:
    if change.action == "error" and change.error:
        return f"**Cannot be applied:** {prose(change.error)}"
    if change.action == "delete":
        note = next((r.note for r in change.reasons if r.note), None)
        gone = "" if change.removes is not None else " (this plan does not record what it holds)"
        return f"Deletes the live Deployment{gone}" + (f": {prose(note)}." if note else ".")
    if change.action == "replace":
        return "Deletes the live Deployment, then creates it again: `-` goes away, `+` is created."
    if change.action == "unmanaged":
        return "Live, in no manifest; the target does not prune, so gitsync leaves it alone."
    if change.action == "wait":
        return "Busy: apply waits for it to settle, then plans it again."
    return ""


__all__ = ["BUDGET", "COUNT_WORDS", "MARKER", "details", "plan_markdown", "write_plan_markdown"]
