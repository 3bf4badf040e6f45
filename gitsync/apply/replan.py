"""Deciding whether a Deployment planned again may still be applied without another review.

After a 409 ``ConcurrentModification`` the fresh plan is applied only if it is the same change (the same
call with the same body; only the expected version may move). After a ``wait`` settles, the fresh plan is
applied only if it is not destructive: nobody reviewed a delete or a replace. Anything else is stale, with
a message that says what to do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gitsync.api.errors import ConcurrentModificationError
from gitsync.plan.model import Change, Request

RUN_AFTER_WAIT = frozenset({"noop", "create", "redeploy"})


def after_conflict(planned: Change, fresh: Change, exc: ConcurrentModificationError) -> Change | str:
    """``fresh`` when it is the change that was planned (at a newer version), else why it is stale."""
    if same_change(planned, fresh):
        return fresh
    versions = f"expected version {exc.expected_version}, live {exc.current_version}"
    return (
        f"changed by someone else since the plan ({versions}); it now plans as {fresh.action}, "
        "not the reviewed change: run plan again and review it"
    )


def after_wait(planned: Change, fresh: Change) -> Change | str:
    """``fresh`` once the Deployment settled, unless it now needs a change nobody reviewed."""
    if fresh.action in RUN_AFTER_WAIT:
        return fresh
    return (
        f"after its status settled it plans as {fresh.action}, which was not reviewed: "
        "run plan again and review it"
    )


def same_change(planned: Change, fresh: Change) -> bool:
    """The same action sending the same call; the body's ``version`` alone may differ."""
    if planned.action != fresh.action or planned.request is None or fresh.request is None:
        return False
    return _call(planned.request) == _call(fresh.request)


def _call(request: Request) -> tuple[str, str, Mapping[str, Any] | None]:
    body = request.body
    if body is not None:
        body = {name: value for name, value in body.items() if name != "version"}
    return request.method, request.path, body
