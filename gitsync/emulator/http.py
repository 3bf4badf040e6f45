"""The WSGI edge: a parsed request and a JSON response, nothing of the API's meaning."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from gitsync.emulator.errors import invalid_json

JSON = dict[str, Any]
StartResponse = Callable[[str, list[tuple[str, str]]], Any]
MAX_BODY = 16 * 1024 * 1024

REASONS = {
    200: "OK", 201: "Created", 202: "Accepted", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
    404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 429: "Too Many Requests",
    500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
    504: "Gateway Timeout",
}  # fmt: skip


@dataclass
class Request:
    """What the app needs of one HTTP request."""

    method: str
    path: str
    params: dict[str, list[str]]
    authorization: str
    body: bytes
    groups: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_environ(cls, environ: dict[str, Any]) -> Request:
        try:
            length = min(int(environ.get("CONTENT_LENGTH") or 0), MAX_BODY)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        return cls(
            method=str(environ.get("REQUEST_METHOD", "GET")).upper(),
            path=str(environ.get("PATH_INFO") or "/"),
            params=parse_qs(str(environ.get("QUERY_STRING", "")), keep_blank_values=True),
            authorization=str(environ.get("HTTP_AUTHORIZATION", "")),
            body=body,
        )

    def json(self) -> Any:
        """The body as JSON; InvalidJsonInput when it is not."""
        try:
            return json.loads(self.body or b"null")
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise invalid_json(f"the body is not JSON: {exc}") from exc


@dataclass
class Response:
    """A JSON answer."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    def send(self, start_response: StartResponse) -> Iterable[bytes]:
        payload = json.dumps(self.body).encode()
        headers = [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(payload)))]
        headers += list(self.headers.items())
        start_response(f"{self.status} {REASONS.get(self.status, 'Unknown')}", headers)
        return [payload]
