"""A change as a Terraform-style ``diff`` block: ``-`` what goes, ``+`` what comes, ``#`` why.

Paths are short (``processor.ADYEN_ENV``, ``global.X``) so lines fit the comment column; secured values are
``(sensitive)``; a long value is cut around where before and after differ, never only at the end, so two
values that differ after character 300 still show the difference. A delete lists the live Deployment that
goes away; a replace merges it with the one created in its place, marking what forces the replacement.
"""

from __future__ import annotations

from typing import Any

from gitsync.plan.model import Change, Reason
from gitsync.plan.removes import Removed
from gitsync.render.fields import created_fields
from gitsync.render.labels import format_value
from gitsync.render.markdown_text import fenced, one_line
from gitsync.secret import SENSITIVE

MAX_VALUE = 300
"""A value longer than this is cut (around the difference); the full value is in the JSON plan."""
CONTEXT = 40
"""Characters kept before the first difference when a value is cut."""
SECTIONS = ("standardConfiguration", "securedConfiguration")

Line = tuple[str, str, str, str | None]
"""sign, short path, shown value, note."""


def short_path(path: str) -> str:
    """``configurations.A.standardConfiguration.K`` → ``A.K``; ``globalConfiguration.…K`` → ``global.K``."""
    head, _, rest = path.partition(".")
    if head == "configurations":
        app, _, rest = rest.partition(".")
        section, _, key = rest.partition(".")
        if (section in SECTIONS and key) or (rest == "schedule"):
            return f"{app}.{key or rest}"
    if head == "globalConfiguration":
        section, _, key = rest.partition(".")
        if section in SECTIONS and key:
            return f"global.{key}"
    return path


def cut(text: str, start: int = 0, limit: int = MAX_VALUE) -> str:
    """``limit`` characters of ``text`` from ``start``, with ``…`` where something was left out."""
    if len(text) <= limit:
        return text
    start = min(start, max(0, len(text) - limit))
    head = "…" if start > 0 else ""
    tail = "…" if start + limit < len(text) else ""
    return head + text[start : start + limit] + tail


def cut_pair(before: str, after: str, limit: int = MAX_VALUE) -> tuple[str, str]:
    """Both values cut at the same window, which starts just before their first difference."""
    if len(before) <= limit and len(after) <= limit:
        return before, after
    same = next((i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), None)
    if same is None:
        same = min(len(before), len(after))
    start = max(0, same - CONTEXT)
    return cut(before, start, limit), cut(after, start, limit)


def shown(value: Any) -> str:
    return format_value(value)


def diff_block(change: Change) -> str:
    """The ``diff`` fenced block of one change ("" when it has nothing to list)."""
    lines = [_render(line) for line in diff_lines(change)]
    return fenced(lines, "diff") if lines else ""


def diff_lines(change: Change) -> list[Line]:
    if change.action == "delete":
        return [("-", path, value, None) for path, value in removed_fields(change.removes)]
    if change.action in ("create", "replace"):
        return _merged(change)
    return [line for reason in change.reasons for line in reason_lines(reason, wait=change.action == "wait")]


def reason_lines(reason: Reason, *, wait: bool = False) -> list[Line]:
    """A reason as ``-`` before / ``+`` after (one of them when the other is absent), the note on the last."""
    path = short_path(reason.path)
    if reason.before is None and reason.after is None:
        return [("#", path, "", reason.note)]
    if wait and reason.after is None:
        return [(" ", path, shown(reason.before), reason.note)]
    before, after = cut_pair(shown(reason.before), shown(reason.after))
    lines: list[Line] = []
    if reason.before is not None:
        lines.append(("-", path, before, None))
    if reason.after is not None:
        lines.append(("+", path, after, None))
    sign, where, value, _ = lines[-1]
    lines[-1] = (sign, where, value, reason.note)
    return lines


def removed_fields(removed: Removed | None) -> list[tuple[str, str]]:
    """(short path, shown value) of everything the removed Deployment had; [] when the plan lacks it."""
    if removed is None:
        return []
    # the key names the connector for a reader; the id only when the API gave no key (facts §1.2)
    fields: list[tuple[str, Any]] = [
        ("connector.key", removed.connector_key)
        if removed.connector_key is not None
        else ("connector.id", removed.connector_id)
    ]
    fields += [("connector.version", removed.connector_version)]
    fields += [("connector.staged", True)] if removed.staged else []
    fields += [("type", removed.type), ("region", removed.region)]
    fields += [(short_path(path), value) for path, value in removed.standard]
    fields += [(short_path(path), SENSITIVE) for path in removed.secured]
    return [(path, shown(value)) for path, value in fields if value is not None]


def _merged(change: Change) -> list[Line]:
    """Create: every field ``+``. Replace: the old and the new Deployment field by field; the reasons that
    force the replacement noted where their path is listed, else as a line of their own first."""
    new = {short_path(field.path): (shown(field.value), field.note) for field in created_fields(change)}
    old = dict(removed_fields(change.removes)) if change.action == "replace" else {}
    for reason in change.reasons:  # the reasons are what the planner compared: they win
        path = short_path(reason.path)
        if reason.before is not None:
            old[path] = shown(reason.before)
        if reason.after is not None:
            new[path] = (shown(reason.after), new.get(path, ("", None))[1])
    listed = new.keys() | old.keys()
    notes = {short_path(r.path): r.note for r in change.reasons if short_path(r.path) in listed}
    lines = [line for r in change.reasons if short_path(r.path) not in listed for line in reason_lines(r)]
    for path in [*old, *(path for path in new if path not in old)]:
        lines += _field_lines(path, old.get(path), new.get(path), notes.get(path))
    return lines


def _field_lines(
    path: str, old: str | None, new: tuple[str, str | None] | None, note: str | None
) -> list[Line]:
    if new is None:
        return [("-", path, old or "", note)]
    value, field_note = new
    note = note or field_note
    if old is None:
        return [("+", path, value, note)]
    if old == value:
        return [(" ", path, value, note)]
    before, after = cut_pair(old, value)
    return [("-", path, before, None), ("+", path, after, note)]


def _render(line: Line) -> str:
    sign, path, value, note = line
    comment = f"  # {one_line(note)}" if note else ""
    if sign == "#":
        return f"# {one_line(path)}{': ' + one_line(note) if note else ''}"
    if len(value) > MAX_VALUE + 2:  # not cut yet (cut_pair leaves at most two ellipses)
        value = cut(value)
    return f"{sign} {one_line(path)} = {one_line(value)}{comment}"
