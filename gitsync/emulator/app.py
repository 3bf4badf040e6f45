"""EmulatorApp: the Connect API as a WSGI callable, with auth, faults, latency and request stats."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal, get_args

from gitsync.emulator import admin
from gitsync.emulator.auth import READ_CONNECTORS, READ_DEPLOYMENTS, WRITE_DEPLOYMENTS, TokenIssuer
from gitsync.emulator.changes import RedeployMode
from gitsync.emulator.clock import Clock, MonotonicClock
from gitsync.emulator.errors import ApiError, error, not_found
from gitsync.emulator.faults import FaultBook
from gitsync.emulator.http import Request, Response, StartResponse
from gitsync.emulator.query import logs_page, parse_query, select
from gitsync.emulator.routes import match
from gitsync.emulator.seed import SeedError, check_seed
from gitsync.emulator.store import DeleteWhileBusy, DuplicateKey, Ref, Store

JSON = dict[str, Any]
logger = logging.getLogger("gitsync.emulator")
# UNCONFIRMED (docs 2026-10-23 name the rollback endpoints, not their path): POST …/revisions/{revision}
# ("revision") or POST …/revisions/{revision}/rollback ("rollback").
RollbackRoute = Literal["revision", "rollback"]

SCOPES_BY_HANDLER = {
    "connector": READ_CONNECTORS,
    "query": READ_DEPLOYMENTS,
    "get": READ_DEPLOYMENTS,
    "logs": READ_DEPLOYMENTS,
    "revisions": READ_DEPLOYMENTS,
    "revision": READ_DEPLOYMENTS,
    "rollback": WRITE_DEPLOYMENTS,
    "create": WRITE_DEPLOYMENTS,
    "update": WRITE_DEPLOYMENTS,
    "delete": WRITE_DEPLOYMENTS,
}


class EmulatorApp:
    """A faithful in-memory Connect API (SPEC §6); a WSGI app, thread-safe."""

    def __init__(
        self,
        seed: JSON | None = None,
        *,
        deploy_time: float = 2.0,
        latency: float = 0.0,
        error_rate: float = 0.0,
        random_seed: int | None = None,
        clock: Clock | None = None,
        redeploy_mode: RedeployMode = "merge",
        delete_while_busy: DeleteWhileBusy = "allow",
        duplicate_key: DuplicateKey = "field",
        rollback_route: RollbackRoute = "revision",
        token_ttl: int = 172800,
    ) -> None:
        _check_choice("redeploy_mode", redeploy_mode, get_args(RedeployMode))
        _check_choice("rollback_route", rollback_route, get_args(RollbackRoute))
        self.rollback_route = rollback_route
        _check_choice("delete_while_busy", delete_while_busy, get_args(DeleteWhileBusy))
        _check_choice("duplicate_key", duplicate_key, get_args(DuplicateKey))
        self.clock = clock if clock is not None else MonotonicClock()
        self.seed_data = check_seed(seed)
        self.settings: JSON = {
            "deploy_time": deploy_time,
            "redeploy_mode": redeploy_mode,
            "delete_while_busy": delete_while_busy,
            "duplicate_key": duplicate_key,
        }
        self.latency = latency
        self.faults = FaultBook(error_rate, random_seed)
        self.tokens = TokenIssuer(self.clock, token_ttl)
        self.stats: Counter[str] = Counter()
        self._stats_lock = threading.Lock()
        self._wall0, self._clock0 = time.time(), self.clock.now()
        self.store = self._new_store()
        self.apply_seed(self.seed_data)

    def _new_store(self) -> Store:
        return Store(self.clock, self.iso, **self.settings)

    def iso(self, moment: float) -> str:
        """A clock reading as the API's UTC timestamp."""
        wall = datetime.fromtimestamp(self._wall0 + moment - self._clock0, UTC)
        return wall.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    # --- state ---------------------------------------------------------------------------------

    def apply_seed(self, seed: JSON) -> None:
        """Upsert connectors, projects and clients, then add deployments; SeedError says what is wrong."""
        seed = check_seed(seed)
        with self.store.locked() as now:
            for index, connector in enumerate(seed["connectors"]):
                self.store.connectors.upsert(connector, f"connectors[{index}]")
            for project in seed["projects"]:
                self.store.production[str(project.get("key"))] = bool(project.get("production", True))
            for client in seed["clients"]:
                self.tokens.add_client(str(client.get("clientId")), str(client.get("clientSecret")),
                                       list(client.get("scopes") or []))  # fmt: skip
            for index, item in enumerate(seed["deployments"]):
                self._seed_deployment(index, item, now)

    def _seed_deployment(self, index: int, item: JSON, now: float) -> None:
        draft = item.get("draft")
        key = draft.get("key") if isinstance(draft, dict) else None
        if not isinstance(item.get("projectKey"), str):
            raise SeedError(f"deployments[{index}] ({key}): 'projectKey' is required")
        try:
            self.store.add_seeded(item, now)
        except ApiError as exc:
            details = "; ".join(
                f"{e['code']}: {e.get('detailedErrorMessage', e['message'])}" for e in exc.errors
            )
            raise SeedError(f"deployments[{index}] ({key}): {details}") from exc

    def reset(self) -> None:
        """Back to the seed state: stats zeroed, faults cleared, tokens forgotten."""
        self.store = self._new_store()
        self.tokens.reset()
        self.faults.reset()
        with self._stats_lock:
            self.stats.clear()
        self.apply_seed(self.seed_data)

    def request_stats(self) -> JSON:
        """Requests so far by method and route template (admin routes are not counted)."""
        with self._stats_lock:
            requests = dict(sorted(self.stats.items()))
        return {"total": sum(requests.values()), "requests": requests}

    # --- WSGI ----------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = Request.from_environ(environ)
        if request.path.startswith("/_emulator/"):
            response = admin.handle(self, request)
        else:
            response = self._api(request)
        logger.info("%s %s%s -> %s%s", request.method, request.path,
                    "?" + str(environ.get("QUERY_STRING")) if environ.get("QUERY_STRING") else "",
                    response.status, _error_code(response))  # fmt: skip
        return response.send(start_response)

    def _api(self, request: Request) -> Response:
        found = match(request.path)
        template = found[0].template if found else "(unmatched)"
        with self._stats_lock:
            self.stats[f"{request.method} {template}"] += 1
        if self.latency > 0:
            time.sleep(self.latency)
        fault = self.faults.take(request.method, request.path, random_ok=template != "/oauth/token")
        if fault is not None and fault.delay > 0:
            time.sleep(fault.delay)
        if fault is not None and not fault.after:
            return _error_response(fault.error())
        try:
            response = self._dispatch(request, found)
        except ApiError as exc:
            response = _error_response(exc)
        return _error_response(fault.error()) if fault is not None else response

    def _dispatch(self, request: Request, found: Any) -> Response:
        if found is None:
            raise not_found(f"The resource {request.path} does not exist.")
        route, request.groups = found
        handler = route.handlers.get(request.method)
        if handler is None:
            message = f"Method {request.method} is not allowed on {route.template}."
            raise ApiError(405, [error("MethodNotAllowed", message)])
        if handler == "token":
            return Response(200, self.tokens.issue(request.authorization, request.body))
        if handler == "unserved" or (handler == "rollback" and not self._rollback_route(route.template)):
            message = f"{request.method} {route.template} is a Connect API route the emulator does not serve."
            raise ApiError(501, [error("NotImplemented", message)])
        self.tokens.check(request.authorization, SCOPES_BY_HANDLER[handler], request.groups.get("projectKey"))
        return getattr(self, f"_handle_{handler}")(request)  # type: ignore[no-any-return]

    # --- handlers ------------------------------------------------------------------------------

    def _handle_connector(self, request: Request) -> Response:
        staged = request.path.startswith("/connectors/drafts/")
        return Response(200, self.store.connector(staged, _ref(request)))

    def _handle_query(self, request: Request) -> Response:
        query = parse_query(request.params)
        with self.store.locked() as now:
            total, page = select(query, self.store.live(request.groups["projectKey"], now))
            results = [self.store.render(d, now) for d, _ in page]
        body = {"limit": query.limit, "offset": query.offset, "count": len(results), "total": total,
                "results": results}  # fmt: skip
        return Response(200, body)

    def _handle_get(self, request: Request) -> Response:
        return Response(200, self.store.get(request.groups["projectKey"], _ref(request)))

    def _handle_create(self, request: Request) -> Response:
        return Response(201, self.store.create(request.groups["projectKey"], request.json()))

    def _handle_update(self, request: Request) -> Response:
        return Response(201, self.store.update(request.groups["projectKey"], _ref(request), request.json()))

    def _handle_delete(self, request: Request) -> Response:
        return Response(202, self.store.delete(request.groups["projectKey"], _ref(request)))

    def _handle_logs(self, request: Request) -> Response:
        with self.store.locked() as now:
            deployment = self.store.find(request.groups["projectKey"], _ref(request), now)
            return Response(200, logs_page(deployment, request.params, self.iso, self.iso(now)))

    def _handle_revisions(self, request: Request) -> Response:
        query = parse_query(request.params)
        found = self.store.revisions(request.groups["projectKey"], _ref(request))
        page = found[query.offset : query.offset + query.limit]
        body = {"limit": query.limit, "offset": query.offset, "count": len(page), "total": len(found),
                "results": page}  # fmt: skip
        return Response(200, body)

    def _handle_revision(self, request: Request) -> Response:
        ref, number = _ref(request), request.groups["revision"]
        return Response(200, self.store.revision(request.groups["projectKey"], ref, number))

    def _handle_rollback(self, request: Request) -> Response:
        ref, number = _ref(request), request.groups["revision"]
        return Response(201, self.store.rollback(request.groups["projectKey"], ref, number, request.json()))

    def _rollback_route(self, template: str) -> bool:
        return template.endswith("/rollback") == (self.rollback_route == "rollback")


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> None:
    """A behaviour switch with a typo would silently pick the other behaviour; refuse it instead."""
    if value not in allowed:
        raise ValueError(f"{name}={value!r}: expected one of {', '.join(map(repr, allowed))}")


def _ref(request: Request) -> Ref:
    return ("key", request.groups["key"]) if "key" in request.groups else ("id", request.groups["id"])


def _error_code(response: Response) -> str:
    """`` <code>`` of an error answer, so the request log says why a call failed."""
    if response.status < 400 or not isinstance(response.body, dict):
        return ""
    errors = response.body.get("errors") or [{}]
    return f" {errors[0].get('code', '')}".rstrip()


def _error_response(exc: ApiError) -> Response:
    return Response(exc.status, exc.body(), exc.headers)
