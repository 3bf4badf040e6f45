"""``apply --dry-run``: every request apply would send, in the order it would send them; nothing is sent.

Each request shows method, path and body. Secured values are never revealed here: every place of a
``securedConfiguration`` value (marked or not) reads ``(sensitive)``, so a dry run in a CI log is as safe
as a plan. ``wait`` changes are listed too: apply would wait for them to settle and plan them again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TextIO

from gitsync.plan.model import Change, Plan, Request
from gitsync.plan.secured import secured_places, with_values
from gitsync.render.escape import clean, clean_lines

MASK = "(sensitive)"
DRY_RUN_FORMAT_VERSION = 1
FIRST = frozenset({"delete", "replace"})
THEN = frozenset({"create", "redeploy", "replace"})


def masked_body(request: Request) -> Any:
    """The request body with every secured value (by marking and by place) replaced by ``(sensitive)``."""
    if request.body is None:
        return None
    places = set(secured_places(request.body)) | {ref.pointer for ref in request.secrets}
    return with_values(request.body, dict.fromkeys(places, MASK))


def planned_calls(plan: Plan) -> Iterator[tuple[Change, Request]]:
    """The requests in the engine's order: deletes and the delete half of replaces, then the rest."""
    for change in plan.changes:
        if change.action in FIRST:
            request = change.delete_request if change.action == "replace" else change.request
            if request is not None:
                yield change, request
    for change in plan.changes:
        if change.action in THEN and change.request is not None:
            yield change, change.request


def waits(plan: Plan) -> list[Change]:
    return [change for change in plan.changes if change.action == "wait"]


def render_dry_run_text(plan: Plan, stream: TextIO) -> None:
    calls = list(planned_calls(plan))
    for change, request in calls:
        stream.write(clean(f"# {change.target}/{change.key}: {change.action}") + "\n")
        stream.write(clean(f"{request.method} {request.path}") + "\n")
        body = masked_body(request)
        if body is not None:
            stream.write(clean_lines(json.dumps(body, indent=2, ensure_ascii=False)) + "\n")
        stream.write("\n")
    for change in waits(plan):
        status = change.live.status if change.live else "busy"
        label = f"{change.target}/{change.key}"
        text = f"# {label}: wait ({status}): would wait for it to settle, then plan it again"
        stream.write(clean(text) + "\n\n")
    stream.write(f"Dry run: {len(calls)} request(s) would be sent; nothing was sent.\n")


def render_dry_run_json(plan: Plan, stream: TextIO) -> None:
    requests = [
        {
            "target": change.target,
            "key": change.key,
            "action": change.action,
            "method": request.method,
            "path": request.path,
            "body": masked_body(request),
        }
        for change, request in planned_calls(plan)
    ]
    document = {
        "formatVersion": DRY_RUN_FORMAT_VERSION,
        "dryRun": True,
        "requests": requests,
        "waits": [{"target": change.target, "key": change.key} for change in waits(plan)],
    }
    stream.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


DRY_RUN_RENDERERS: dict[str, Callable[[Plan, TextIO], None]] = {
    "text": render_dry_run_text,
    "json": render_dry_run_json,
}
FORMATS: Sequence[str] = tuple(DRY_RUN_RENDERERS)
