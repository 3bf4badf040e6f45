"""Turning HTTP answers into models or into ApiError subclasses with a hint the user can act on."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ValidationError

from gitsync.api.deadline import overrun
from gitsync.api.errors import (
    ApiError,
    AuthenticationError,
    AuthorizationError,
    ConcurrentModificationError,
    ConnectionFailedError,
    NotFoundError,
    redact,
)
from gitsync.api.models import ErrorObject, ErrorResponse

M = TypeVar("M", bound=BaseModel)

ERRORS_BY_STATUS: dict[int, type[ApiError]] = {
    401: AuthenticationError,
    403: AuthorizationError,
    404: NotFoundError,
    409: ConcurrentModificationError,
}


def parse_model(model: type[M], response: httpx.Response, method: str, path: str, where: str = "") -> M:
    """The response body as ``model``; an unreadable body is an ApiError, not a traceback."""
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        where = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'body'}: {error['msg']}"
            for error in exc.errors(include_input=False)[:3]
        )
        raise ApiError(
            status=response.status_code,
            code="UnexpectedResponse",
            message=f"the response is not a {model.__name__}: {where}",
            method=method,
            path=path,
            hint="is connectUrl the commercetools Connect API?",
            where=where,
        ) from exc


def error_from_response(
    response: httpx.Response,
    method: str,
    path: str,
    project_key: str,
    secrets: Sequence[str],
    where: str = "",
) -> ApiError:
    """The ApiError subclass for a non-2xx answer, with the API's code and message."""
    body = _error_body(response, secrets)
    code = body.errors[0].code if body.errors else f"HTTP{response.status_code}"
    cls = ERRORS_BY_STATUS.get(response.status_code, ApiError)
    if cls is ConcurrentModificationError and code != "ConcurrentModification":
        cls = ApiError  # another 409 (e.g. a duplicate key): re-reading and re-planning would not help
    return cls(
        status=response.status_code,
        code=code,
        message=_describe(body, response.reason_phrase),
        method=method,
        path=path,
        errors=tuple(body.errors),
        hint=_hint(response.status_code, code, method, path, project_key),
        secrets=secrets,
        where=where,
    )


def _describe(body: ErrorResponse, fallback: str) -> str:
    """Every error of the answer, the first without its code (the caller shows it), details included."""
    if not body.errors:
        return body.message or fallback
    first, *others = body.errors
    parts = [_error_text(first, body.message)] + [f"{e.code}: {_error_text(e, '')}" for e in others]
    return "; ".join(parts)


def _error_text(error: ErrorObject, fallback: str) -> str:
    # InvalidJsonInput / InvalidQueryParam say what is wrong only in detailedErrorMessage (facts §5.1).
    text = error.message or fallback or error.code
    detail = error.detailed_error_message
    return f"{text} ({detail})" if detail and detail not in text else text


def connection_failed(
    exc: httpx.TransportError,
    unknown: bool,
    method: str,
    url: str,
    path: str,
    secrets: Sequence[str],
    where: str = "",
) -> ConnectionFailedError:
    """A network failure after the retries; says whether the request may have been applied."""
    host = host_of(url)
    what = f"could not reach {host}: {overrun() or f'{type(exc).__name__} {exc}'.rstrip()}"
    if unknown:
        what += "; the request may or may not have been applied"
    return ConnectionFailedError(
        status=0,
        code="ConnectionFailed",
        message=what,
        method=method,
        path=path,
        hint="check connectUrl/authUrl and the network, then run again",
        secrets=secrets,
        where=where,
    )


def host_of(url: str) -> str:
    """``host[:port]`` of ``url``, never its user:password part."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{parts.port}" if parts.port else host


def _error_body(response: httpx.Response, secrets: Sequence[str]) -> ErrorResponse:
    # Redact the raw text before parsing: extra fields (detailedErrorMessage, value…) could echo input.
    text = redact(body_text(response), secrets)
    try:
        return ErrorResponse.model_validate(json.loads(text))
    except (ValueError, ValidationError, RecursionError):
        return ErrorResponse(status_code=response.status_code, message=_short(text), errors=[])


def body_text(response: httpx.Response) -> str:
    """The body as UTF-8 (RFC 8259), whatever charset the server claims: a wrong one never raises."""
    return response.content.decode("utf-8", errors="replace")


def json_body(response: httpx.Response) -> object:
    """The body as JSON; ValueError for anything else (a 10,000-deep nesting included)."""
    try:
        return json.loads(body_text(response))
    except RecursionError as exc:
        raise ValueError("the body nests too deeply") from exc


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text[:200] + ("…" if len(text) > 200 else "")


def _hint(status: int, code: str, method: str, path: str, project_key: str) -> str:
    if status == 403:
        return (
            f"the API client lacks the scope {_scope_needed(method, path, project_key)}; add it to its scopes"
        )
    if status == 401:
        return "the API refused a fresh token: check that authUrl and connectUrl belong to the same region"
    if code == "ConcurrentModification":
        return "the Deployment changed since it was read: plan again"
    if status == 429 or status >= 500:
        return "the API is busy or failing: retries were exhausted, try again later"
    return ""


def _scope_needed(method: str, path: str, project_key: str) -> str:
    if path.startswith("/connectors"):
        return f"view_connectors:{project_key}"
    if method == "GET":
        return f"view_connectors_deployments:{project_key} (or manage_connectors_deployments:{project_key})"
    return f"manage_connectors_deployments:{project_key}"
