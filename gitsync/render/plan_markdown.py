"""The plan as a pull-request comment: a summary table first, one ``<details>`` per Deployment, within budget.

GitHub refuses comments over 65,536 characters, so details stop at ``BUDGET`` with a note; the marker,
heading and summary table are never cut (SPEC §3.1).
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import TextIO

from gitsync.plan.model import ACTIONS, Change, Plan, Reason, Request
from gitsync.render.fields import Field, created_fields
from gitsync.render.labels import (
    SYMBOLS,
    changes_by_target,
    clean,
    format_value,
    is_shown,
    summary_line,
    target_title,
)

MARKER = "<!-- gitsync-plan -->"
BUDGET = 60_000
MAX_CELL = 300
"""A value longer than this is cut in its table cell; the full value is in the JSON plan."""
CUT_NOTE = "_{count} more changes not shown: the full plan is in the job log / `gitsync show plan.json`._\n"


def write_plan_markdown(plan: Plan, stream: TextIO, *, color: bool = False) -> None:
    """Write the comment; ``color`` is ignored (Markdown has its own emphasis)."""
    stream.write(plan_markdown(plan))


def plan_markdown(plan: Plan, budget: int = BUDGET) -> str:
    """The whole comment: head and summary always, then as many details as fit in ``budget``."""
    parts = [_head(plan)]
    used = len(parts[0])
    shown = [change for change in plan.changes if is_shown(change)]
    reserve = len(CUT_NOTE.format(count=len(shown))) + 1
    for index, change in enumerate(shown):
        detail = details(change)
        if used + len(detail) + reserve > budget:
            parts.append(CUT_NOTE.format(count=len(shown) - index))
            break
        parts.append(detail)
        used += len(detail)
    return "\n".join(parts)


def _head(plan: Plan) -> str:
    lines = [MARKER, "## gitsync plan", "", f"**{summary_line(plan)}**", ""]
    lines.extend(_summary_table(plan))
    return "\n".join(lines) + "\n"


def _summary_table(plan: Plan) -> Iterator[str]:
    """One row per target, one column per action: the counts a reviewer reads first."""
    headers = [f"{SYMBOLS[action]} {action}" for action in ACTIONS]
    yield "| target | " + " | ".join(headers) + " |"
    yield "| --- |" + " ---: |" * len(headers)
    for target, changes in changes_by_target(plan):
        counts = dict.fromkeys(ACTIONS, 0)
        for change in changes:
            counts[change.action] += 1
        cells = [str(counts[action]) for action in ACTIONS]
        yield f"| {escape(target_title(target).removeprefix('target '))} | " + " | ".join(cells) + " |"


def details(change: Change) -> str:
    """One collapsible block: the reasons as a path / before / after table, the error and the requests."""
    title = f"{SYMBOLS[change.action]} {change.action} {code(change.key)} ({escape(change.target)})"
    lines = [f"<details><summary>{title}</summary>", ""]
    if change.source:
        lines += [f"Source: {code(change.source)}", ""]
    if change.live is not None:
        live = change.live
        lines += [f"Live: version {live.version}, status {escape(live.status)}", ""]
    if change.error:
        lines += [f"**error:** {escape(change.error)}", ""]
    if change.reasons:
        lines += ["| path | before | after | note |", "| --- | --- | --- | --- |"]
        lines += [
            _reason_row(reason, wait=change.action == "wait" and reason.path == "status")
            for reason in change.reasons
        ]
        lines.append("")
    fields = created_fields(change)
    if fields:
        lines += ["| field | value |", "| --- | --- |", *(_field_row(field) for field in fields), ""]
    requests = [r for r in (change.delete_request, change.request) if r is not None]
    if requests and change.action != "error":
        lines += ["Request: " + ", then ".join(_request(request) for request in requests), ""]
    lines.append("</details>\n")
    return "\n".join(lines)


def _reason_row(reason: Reason, *, wait: bool = False) -> str:
    """A wait desires nothing yet: its after cell stays empty (as text shows only the live status)."""
    before, after = (code(_cut(format_value(value))) for value in (reason.before, reason.after))
    if wait and reason.after is None:
        after = ""
    return f"| {code(reason.path)} | {before} | {after} | {escape(reason.note or '')} |"


def _field_row(field: Field) -> str:
    note = f" ({escape(field.note)})" if field.note else ""
    return f"| {code(field.path)} | {code(_cut(format_value(field.value)))}{note} |"


def _request(request: Request) -> str:
    return code(f"{request.method} {request.path}")


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def escape(text: str) -> str:
    """Text safe in Markdown tables and HTML: no tags, no cell breaks, no code spans, one line, and no
    control or bidi character (``clean``: a U+202E would make the comment read reversed)."""
    escaped = html.escape(text, quote=False)
    for char, entity in (("|", "&#124;"), ("`", "&#96;"), ("\n", " "), ("\r", " "), ("*", "&#42;")):
        escaped = escaped.replace(char, entity)
    return clean(escaped.replace("_", "&#95;").replace("[", "&#91;"))


def code(text: str) -> str:
    """``text`` as inline code that survives tables: ``<code>`` with escaped content, never backticks."""
    return f"<code>{escape(text)}</code>"
