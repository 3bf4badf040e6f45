"""The one place a planned request becomes a typed client call: apply sends exactly what was planned.

The plan's method, path and body are what a reviewer read. This module checks method and path against the
call the client makes (a mismatch is an error, never a different call), reveals values only at the places
the plan marks as secured (a standard value reading ``${X}`` is sent as written, a secret never lands
anywhere else), and builds the strict send models, so a body the API would not take fails here. Nothing is
sent when any check fails, and no error names a secret value: only variable names and manifest positions.
The client remembers every secured value it sends and masks it in its logs and errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar

from pydantic import ValidationError

from gitsync.api.client import ConnectClient
from gitsync.api.models import Deployment, DeploymentDraft, DeploymentUpdate, SendModel
from gitsync.errors import PlanFileError, VariableError
from gitsync.plan.model import Request, SecretRef
from gitsync.plan.secured import marking_problem, with_values

Reveal = Callable[[str], str | None]
"""A secured variable's value by name, or None when it is unset (the target's vars, then the environment)."""

CallKind = Literal["create", "update", "delete"]
M = TypeVar("M", bound=SendModel)
_AGAIN = "plan again for this target"


def send_planned(client: ConnectClient, request: Request, reveal: Reveal) -> Deployment:
    """Send ``request`` through ``client``: create, redeploy (an update) or delete, as planned.

    ``reveal`` is asked only for the variables ``request.secrets`` marks, once each, all before anything
    is sent; an unset or empty one is a ``VariableError`` naming it and where the manifest writes it.
    """
    kind, key = _call_of(client, request)
    if kind == "delete":
        return client.delete_deployment(key=key)
    if kind == "create":
        return client.create_deployment(_sendable(DeploymentDraft, request, reveal))
    return client.update_deployment(key=key, update=_sendable(DeploymentUpdate, request, reveal))


def _call_of(client: ConnectClient, request: Request) -> tuple[CallKind, str | None]:
    """Which client call ``request`` is, by method and path; refused unless the client calls that path."""
    collection = client.deployments_path()
    prefix = collection + "/key="
    key = request.path[len(prefix) :] if request.path.startswith(prefix) else None
    if request.method == "POST" and request.path == collection:
        return "create", None
    if key and request.path == client.deployment_path(key=key) and request.method in ("POST", "DELETE"):
        if request.method == "POST":
            return "update", key
        if request.body is None and not request.secrets:
            return "delete", key
    raise PlanFileError(
        f"the planned request {request.method} {request.path} is not a call the client makes for project "
        f"{client.project_key} (POST {collection} to create, POST {prefix}KEY to redeploy, DELETE "
        f"{prefix}KEY without a body to delete); {_AGAIN}"
    )


def _sendable(model: type[M], request: Request, reveal: Reveal) -> M:
    """The send model of the planned body with its secrets revealed; the shape is checked first, so no
    secret is asked for a request that could not be sent anyway."""
    _model(model, request.body, request)
    return _model(model, _revealed(request, reveal), request)


def _revealed(request: Request, reveal: Reveal) -> Any:
    """The body with each marked place holding its revealed value; every unset variable named at once."""
    problem = marking_problem(request)
    if problem is not None:
        raise PlanFileError(f"the planned request {request.method} {request.path}: {problem}; {_AGAIN}")
    found: dict[str, str | None] = {}
    for ref in request.secrets:
        if ref.name not in found:
            found[ref.name] = reveal(ref.name)
    unset = [ref for ref in request.secrets if not found[ref.name]]  # "" is a secret CI did not pass
    if unset:
        raise VariableError(_unset_message(unset))
    values: Mapping[str, str] = {ref.pointer: found[ref.name] or "" for ref in request.secrets}
    return with_values(request.body, values)


def _unset_message(unset: list[SecretRef]) -> str:
    named = "; ".join(f"unset or empty secured variable {ref.name!r} at {ref.where}" for ref in unset)
    return f"{named}: set it in the environment or in the target's vars where apply runs; nothing was sent"


def _model(model: type[M], body: Any, request: Request) -> M:
    """The strict send model of ``body``; a field the API would not take is an error naming it (no value)."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        where = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'body'}: {error['msg']}"
            for error in exc.errors(include_input=False, include_url=False)[:3]
        )
        raise PlanFileError(
            f"the planned request {request.method} {request.path} does not fit the API's "
            f"{model.__name__} ({where}); {_AGAIN}"
        ) from None
