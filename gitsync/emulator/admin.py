"""Admin routes under ``/_emulator/``: stats, reset, seed, clock, token expiry and faults.

They never fault and need no token: they are the test's controls, not part of the API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gitsync.emulator.clock import ManualClock
from gitsync.emulator.errors import ApiError, bad_request, error, invalid_json, not_found
from gitsync.emulator.faults import parse_fault
from gitsync.emulator.http import Request, Response
from gitsync.emulator.seed import SeedError

if TYPE_CHECKING:
    from gitsync.emulator.app import EmulatorApp

JSON = dict[str, Any]


def handle(app: EmulatorApp, request: Request) -> Response:
    """Answer one admin request; errors in the API's shape."""
    handler = ADMIN_ROUTES.get((request.method, request.path))
    try:
        if handler is None:
            raise not_found(f"No emulator admin route {request.method} {request.path}.")
        return handler(app, request)
    except ApiError as exc:
        return Response(exc.status, exc.body(), exc.headers)


def _stats(app: EmulatorApp, request: Request) -> Response:
    return Response(200, app.request_stats())


def _reset(app: EmulatorApp, request: Request) -> Response:
    app.reset()
    return Response(200, {"reset": True})


def _seed(app: EmulatorApp, request: Request) -> Response:
    try:
        app.apply_seed(request.json())
    except SeedError as exc:
        raise ApiError(400, [error("InvalidJsonInput", str(exc), detailedErrorMessage=str(exc))]) from exc
    with app.store.locked():
        return Response(200, {"deployments": len(app.store.deployments)})


def _clock(app: EmulatorApp, request: Request) -> Response:
    body = request.json()
    if not isinstance(app.clock, ManualClock):
        raise bad_request("InvalidOperation", "The emulator runs on real time; start it with a ManualClock.")
    advance = body.get("advance") if isinstance(body, dict) else None
    if not isinstance(advance, int | float) or isinstance(advance, bool) or advance < 0:
        raise invalid_json("advance: a number of seconds >= 0 is required")
    return Response(200, {"now": app.clock.advance(float(advance))})


def _expire_tokens(app: EmulatorApp, request: Request) -> Response:
    app.tokens.expire_all()
    return Response(200, {"expired": True})


def _add_faults(app: EmulatorApp, request: Request) -> Response:
    body = request.json()
    if not isinstance(body, dict) or not isinstance(body.get("faults"), list):
        raise invalid_json('the body must be {"faults": [...]}')
    app.faults.add([parse_fault(raw) for raw in body["faults"]])
    return Response(200, {"faults": app.faults.pending()})


def _list_faults(app: EmulatorApp, request: Request) -> Response:
    return Response(200, {"faults": app.faults.pending()})


def _clear_faults(app: EmulatorApp, request: Request) -> Response:
    app.faults.reset()
    return Response(200, {"faults": []})


ADMIN_ROUTES = {
    ("GET", "/_emulator/stats"): _stats,
    ("POST", "/_emulator/reset"): _reset,
    ("POST", "/_emulator/seed"): _seed,
    ("POST", "/_emulator/clock"): _clock,
    ("POST", "/_emulator/expire-tokens"): _expire_tokens,
    ("POST", "/_emulator/faults"): _add_faults,
    ("GET", "/_emulator/faults"): _list_faults,
    ("DELETE", "/_emulator/faults"): _clear_faults,
}
