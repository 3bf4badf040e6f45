"""What the client raises when the Connect API says no or cannot be reached.

Every error names the target, project and host it concerns (``where``), the call (``METHOD path``),
the HTTP status, the API's error ``code`` and its message, and, where we know one, what to do.
Messages are redacted of every secret the client knows (client secret, token, secured values it
sent), even though the API's messages are not known to echo them.

    GitsyncError (gitsync.errors)
    └── ApiError                      any non-2xx answer: status, code, message, errors, method, path
        ├── NotFoundError             404 ResourceNotFound (find_* methods turn it into None)
        ├── ConcurrentModificationError  409: expected_version / current_version; re-read and re-plan
        ├── AuthenticationError       401 from the token endpoint: check clientId / clientSecret
        ├── AuthorizationError        403: names the scope that is missing
        └── ConnectionFailedError     network error or timeout after the retries (status 0)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from gitsync.api.models import ErrorObject
from gitsync.errors import GitsyncError

REDACTED = "(redacted)"


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every known secret value in ``text``; short values are skipped to keep messages readable."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return text


class ApiError(GitsyncError):
    """The Connect API answered with an error (or, for subclasses, could not be reached)."""

    def __init__(
        self,
        *,
        status: int,
        code: str,
        message: str,
        method: str,
        path: str,
        errors: Sequence[ErrorObject | dict[str, object]] = (),
        hint: str = "",
        secrets: Iterable[str] = (),
        where: str = "",
    ) -> None:
        hidden = tuple(secrets)
        self.where = where
        self.status = status
        self.code = code
        self.message = redact(message, hidden)
        self.method = method
        self.path = path
        self.errors: tuple[ErrorObject | dict[str, object], ...] = tuple(errors)
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.method} {self.path} → {self.status} {self.code}: {self.message}"
        text = f"{self.where}: {text}" if self.where else text
        return f"{text} ({self.hint})" if self.hint else text


class NotFoundError(ApiError):
    """404: the Deployment or Connector does not exist (or no longer does)."""


class ConcurrentModificationError(ApiError):
    """409: someone changed the Deployment since it was read; re-read it and plan again."""

    @property
    def expected_version(self) -> int | None:
        return _first_int(self.errors, "expected_version")

    @property
    def current_version(self) -> int | None:
        return _first_int(self.errors, "current_version")


class AuthenticationError(ApiError):
    """401: the credentials (or the token, even after a refresh) were refused."""


class AuthorizationError(ApiError):
    """403: the API client lacks the scope this call needs."""


class ConnectionFailedError(ApiError):
    """The API could not be reached or did not answer in time, after every retry."""


def _first_int(errors: Iterable[ErrorObject | dict[str, object]], name: str) -> int | None:
    for error in errors:
        value = getattr(error, name, None) if isinstance(error, ErrorObject) else None
        if isinstance(value, int):
            return value
    return None
