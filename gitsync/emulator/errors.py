"""Errors the emulator answers with, in the Connect API's shape (facts §5.1).

Every error body is ``{statusCode, message, errors: [{code, message, ...}]}`` with the first error's
message on top; auth errors add a top-level ``error`` like the real auth service.
"""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]


class ApiError(Exception):
    """An HTTP error answer: raised anywhere in a handler, rendered by the app."""

    def __init__(self, status: int, errors: list[JSON], *, headers: dict[str, str] | None = None) -> None:
        super().__init__(errors[0]["message"] if errors else str(status))
        self.status = status
        self.errors = errors
        self.headers = headers or {}

    def body(self) -> JSON:
        """The JSON body of this answer."""
        body: JSON = {"statusCode": self.status, "message": self.errors[0]["message"], "errors": self.errors}
        if self.errors[0]["code"].islower():  # OAuth-style codes (invalid_token, ...) repeat as "error"
            body["error"] = self.errors[0]["code"]
        return body


def error(code: str, message: str, **extra: Any) -> JSON:
    """One error object of an error response."""
    return {"code": code, "message": message, **extra}


def bad_request(code: str, message: str, **extra: Any) -> ApiError:
    """A 400 with one error."""
    return ApiError(400, [error(code, message, **extra)])


def invalid_json(detail: str) -> ApiError:
    """A malformed or ill-typed request body (InvalidJsonInput)."""
    return bad_request(
        "InvalidJsonInput", "Request body does not contain valid JSON.", detailedErrorMessage=detail
    )


def invalid_query(name: str, detail: str) -> ApiError:
    """A query parameter out of range or of an unknown value (InvalidQueryParam)."""
    return bad_request(
        "InvalidQueryParam",
        f"Request parameter '{name}' has an invalid value.",
        detailedErrorMessage=f"{name}: {detail}",
    )


def not_found(message: str) -> ApiError:
    """A 404 ResourceNotFound."""
    return ApiError(404, [error("ResourceNotFound", message)])


def invalid_token() -> ApiError:
    """A missing, unknown or expired bearer token (facts §5.1)."""
    return ApiError(401, [error("invalid_token", "invalid_token")])


def insufficient_scope(scopes: list[str]) -> ApiError:
    """A token without any of the scopes the route needs."""
    message = "Insufficient scope. One of the following scopes is missing: " + ", ".join(scopes)
    return ApiError(403, [error("insufficient_scope", message)])


def concurrent_modification(expected: int, current: int) -> ApiError:
    """An update sent with a stale version."""
    message = f"Object version {expected} does not match current version {current}."
    return ApiError(
        409, [error("ConcurrentModification", message, expectedVersion=expected, currentVersion=current)]
    )
