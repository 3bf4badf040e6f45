"""The plan as text for terminals and CI logs: grouped by target, one line per Deployment, a summary last."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from gitsync.plan.model import Change, Plan, Reason
from gitsync.render.context import NO_CONTEXT, CommentContext
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
from gitsync.render.palette import paint

INDENT = "    "


def write_plan_text(
    plan: Plan, stream: TextIO, *, color: bool = False, context: CommentContext = NO_CONTEXT
) -> None:
    """Write the plan for humans; noop Deployments are only counted in the summary line."""
    for line in text_lines(plan, color=color):
        stream.write(line + "\n")


def text_lines(plan: Plan, *, color: bool = False) -> Iterator[str]:
    """Every line of the text plan, without newlines."""
    for target, changes in changes_by_target(plan):
        shown = [change for change in changes if is_shown(change)]
        if not shown:
            continue
        yield paint(clean(target_title(target)), "heading", color)
        for change in shown:
            yield from _change_lines(change, color)
        yield ""
    yield paint(summary_line(plan), "heading", color)


def _change_lines(change: Change, color: bool) -> Iterator[str]:
    head = f"  {SYMBOLS[change.action]} {change.action} {clean(change.key)}"
    if change.source:
        head += f"  ({clean(change.source)})"
    yield paint(head, change.action, color)
    if change.live is not None and change.live.rollback_revision is not None:
        yield INDENT + f"live: rolled back to revision {clean(change.live.rollback_revision)}"
    for reason in change.reasons:
        # a wait's status reason has no desired value; the reasons it lists after it do
        yield INDENT + reason_line(reason, current_only=change.action == "wait" and reason.path == "status")
    fields = created_fields(change)
    if fields and change.action == "replace":
        yield INDENT + "then created with:"
    for field in fields:
        yield INDENT + field_line(field)
    if change.error:
        yield INDENT + paint("error: " + clean(change.error), "error", color)


def reason_line(reason: Reason, *, current_only: bool = False) -> str:
    """``path: before → after (note)``; a reason without values (a forced redeploy) is its path and note.

    ``current_only`` (a wait: nothing is desired yet) shows just the live value: ``status: "Deploying"``.
    """
    text = clean(reason.path)
    if current_only and reason.before is not None:
        text += f": {clean(format_value(reason.before))}"
    elif reason.before is not None or reason.after is not None:
        text += f": {clean(format_value(reason.before))} → {clean(format_value(reason.after))}"
    if reason.note:
        text += f" ({clean(reason.note)})"
    return text


def field_line(field: Field) -> str:
    """``path: value (note)``: one field of a Deployment to create."""
    text = f"{clean(field.path)}: {clean(format_value(field.value))}"
    return text + (f" ({clean(field.note)})" if field.note else "")
