"""ConnectClient: every Connect API call gitsync makes, with auth, retries, paging and safe errors.

Thread-safe: apply calls it from a thread pool. One token is shared; one HTTP connection pool is shared.
Secured values are plain strings inside the models passed in (revealed at send time by the caller); the
client remembers them only to redact them from error messages, and never logs a body or a header.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from gitsync.api.cancel import CancelToken
from gitsync.api.errors import NotFoundError
from gitsync.api.models import (
    Connector,
    ConnectorStaged,
    Deployment,
    DeploymentConfigurationApplication,
    DeploymentDraft,
    DeploymentGlobalConfiguration,
    DeploymentLogPage,
    DeploymentPagedQueryResponse,
    DeploymentRedeployAction,
    DeploymentRevision,
    DeploymentRevisionPagedQueryResponse,
    DeploymentRollback,
    DeploymentUpdate,
    dump,
)
from gitsync.api.paging import MAX_OFFSET, next_offset
from gitsync.api.responses import parse_model
from gitsync.api.retry import Backoff
from gitsync.api.session import ApiSession, CallLimits, secured_values
from gitsync.api.urls import auth_base_url, connect_base_url, segment
from gitsync.api.wire import Wire
from gitsync.errors import GitsyncError
from gitsync.secret import Secret

M = TypeVar("M", bound=BaseModel)
# UNCONFIRMED (docs 2026-10-23 name "Rollback DeploymentRevision" by id and key, not its path): POST on the
# revision itself; the emulator serves the same by default (its --rollback-route switch offers …/rollback).
ROLLBACK_SUFFIX = ""

# Two minutes for one call, its retries and the sleeps between them: the retry schedule (5 retries,
# backoff 0.5 s doubling, Retry-After up to 60 s) fits, a trickling or silent server does not.
CALL_TIMEOUT = 120.0
Params = dict[str, Any]


class ConnectClient:
    """The Connect API for one project; a context manager that closes its connections."""

    def __init__(
        self,
        project_key: str,
        client_id: str,
        client_secret: Secret,
        *,
        region: str | None = None,
        connect_url: str | None = None,
        auth_url: str | None = None,
        scopes: Sequence[str] = (),
        timeout: float = 30.0,
        call_timeout: float = CALL_TIMEOUT,
        max_retries: int = 5,
        backoff_base: float = 0.5,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
        cancel: CancelToken | None = None,
        name: str | None = None,
    ) -> None:
        """``timeout``: per socket operation; ``call_timeout``: the total of one call with its retries.

        ``cancel``: the command's interrupt switch (nothing is sent once it is set; sleeps end at once).
        ``name``: the target's name, shown in every error together with the project and the host.
        """
        self.project_key = project_key
        self.connect_url = connect_base_url(region, connect_url)
        self.auth_url = auth_base_url(region, auth_url)
        cancel = cancel if cancel is not None else CancelToken()
        self._wire = Wire(timeout=timeout, cancel=cancel, transport=transport)
        self._session = ApiSession(
            project_key=project_key,
            connect_url=self.connect_url,
            auth_url=self.auth_url,
            client_id=client_id,
            client_secret=client_secret,
            scopes=tuple(scopes),
            wire=self._wire,
            backoff=Backoff(base=backoff_base, max_retries=max_retries, sleep=sleep or cancel.sleep),
            limits=CallLimits(seconds=call_timeout, cancel=cancel),
            target=name,
        )

    @property
    def _where(self) -> str:
        return self._session.where(self.connect_url)

    def __repr__(self) -> str:
        return f"ConnectClient(project_key={self.project_key!r}, connect_url={self.connect_url!r})"

    def __enter__(self) -> ConnectClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._wire.close()

    @property
    def request_count(self) -> int:
        """HTTP requests sent so far, token requests and retries included (for tests and benchmarks)."""
        return self._wire.request_count

    # --- deployments: read --------------------------------------------------------------------------------

    def get_deployment(self, id: str) -> Deployment:
        """The Deployment with this id; NotFoundError if there is none."""
        return self._get(Deployment, self._deployment_path(id=id))

    def get_deployment_by_key(self, key: str) -> Deployment:
        """The Deployment with this key; NotFoundError if there is none."""
        return self._get(Deployment, self._deployment_path(key=key))

    def find_deployment_by_key(self, key: str) -> Deployment | None:
        """The Deployment with this key, or None."""
        try:
            return self.get_deployment_by_key(key)
        except NotFoundError:
            return None

    def query_deployments(
        self,
        *,
        limit: int | None = None,
        offset: int | None = None,
        sort: Sequence[str] = (),
        integration_types: Sequence[str] = (),
        deployment_type: str | None = None,
    ) -> DeploymentPagedQueryResponse:
        """One page of the project's Deployments (the API has no key or status filter)."""
        params: Params = {"limit": limit, "offset": offset, "sort": list(sort)}
        params |= {"integrationTypes": list(integration_types), "deploymentType": deployment_type}
        clean = {name: value for name, value in params.items() if value not in (None, [])}
        return self._get(DeploymentPagedQueryResponse, f"/{segment(self.project_key)}/deployments", clean)

    def iter_deployments(
        self,
        *,
        page_size: int = 500,
        sort: Sequence[str] = (),
        integration_types: Sequence[str] = (),
        deployment_type: str | None = None,
    ) -> Iterator[Deployment]:
        """Every Deployment, in ⌈total/page_size⌉ requests; each id is yielded once."""
        seen: set[str] = set()
        offset: int | None = 0
        while offset is not None:
            if offset > MAX_OFFSET:
                raise GitsyncError(
                    f"project {self.project_key} has more Deployments than the API can page through "
                    f"(offset is capped at {MAX_OFFSET}); narrow the query by integration or deployment type"
                )
            page = self.query_deployments(
                limit=page_size,
                offset=offset,
                sort=sort,
                integration_types=integration_types,
                deployment_type=deployment_type,
            )
            for deployment in page.results:
                if deployment.id not in seen:
                    seen.add(deployment.id)
                    yield deployment
            offset = _advanced(offset, next_offset(page, page_size), self.project_key)

    def get_deployment_logs(
        self,
        *,
        id: str | None = None,
        key: str | None = None,
        application_name: str | None = None,
        start_date: datetime | str | None = None,
        end_date: datetime | str | None = None,
        page_token: str | None = None,
    ) -> DeploymentLogPage:
        """One page of a Deployment's logs (deprecated by the API after 2027-01-31)."""
        params: Params = {"applicationName": application_name, "pageToken": page_token}
        params |= {"startDate": _date(start_date), "endDate": _date(end_date)}
        clean = {name: value for name, value in params.items() if value is not None}
        return self._get(DeploymentLogPage, self._deployment_path(id=id, key=key) + "/logs", clean)

    # --- deployments: revisions (docs 2026-10-23) -----------------------------------------------------------

    def query_deployment_revisions(
        self,
        *,
        id: str | None = None,
        key: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> DeploymentRevisionPagedQueryResponse:
        """One page of a Deployment's revisions: successful deploys only, most recent first."""
        params = {
            name: value for name, value in {"limit": limit, "offset": offset}.items() if value is not None
        }
        path = self._deployment_path(id=id, key=key) + "/revisions"
        return self._get(DeploymentRevisionPagedQueryResponse, path, params)

    def get_deployment_revision(
        self, revision: int | str, *, id: str | None = None, key: str | None = None
    ) -> DeploymentRevision:
        """One revision of a Deployment; NotFoundError if there is none."""
        return self._get(DeploymentRevision, self._revision_path(revision, id=id, key=key))

    def rollback_deployment(
        self, revision: int | str, *, version: int, id: str | None = None, key: str | None = None
    ) -> Deployment:
        """Deploy a revision as a new version; ``version`` is the expected current one (locking)."""
        path = self._revision_path(revision, id=id, key=key) + ROLLBACK_SUFFIX
        deployment = self._deployment_path(id=id, key=key)

        def recover() -> Deployment | None:
            live = self._get(Deployment, deployment)
            return live if live.version > version else None

        body = dump(DeploymentRollback(version=version))
        outcome = self._session.request("POST", path, body=body, recover=recover)
        return outcome if isinstance(outcome, Deployment) else parse_model(Deployment, outcome, "POST", path)

    def _revision_path(self, revision: int | str, *, id: str | None, key: str | None) -> str:
        return f"{self._deployment_path(id=id, key=key)}/revisions/{segment(str(revision))}"

    # --- deployments: write -------------------------------------------------------------------------------

    def create_deployment(self, draft: DeploymentDraft) -> Deployment:
        """Create a Deployment; if the outcome of the POST is unknown, its key is read before any retry."""
        key = draft.key
        recover = (lambda: self.find_deployment_by_key(key)) if key is not None else None
        return self._write(self.deployments_path(), draft, recover)

    def update_deployment(
        self, *, id: str | None = None, key: str | None = None, update: DeploymentUpdate
    ) -> Deployment:
        """Apply update actions; an unknown outcome counts as applied once the version moved on."""
        path = self._deployment_path(id=id, key=key)

        def recover() -> Deployment | None:
            live = self._get(Deployment, path)
            return live if live.version > update.version else None

        return self._write(path, update, recover)

    def redeploy(
        self,
        *,
        id: str | None = None,
        key: str | None = None,
        version: int,
        configuration_values: Sequence[DeploymentConfigurationApplication] | None = None,
        global_configuration: DeploymentGlobalConfiguration | None = None,
        update_connector: bool = False,
        skip_scripts: bool = False,
    ) -> Deployment:
        """Redeploy at the expected ``version``; omitted configuration leaves the live values unchanged."""
        action = DeploymentRedeployAction(
            skip_scripts=skip_scripts,
            configuration_values=list(configuration_values) if configuration_values is not None else None,
            global_configuration=global_configuration,
            update_connector=update_connector,
        )
        return self.update_deployment(
            id=id, key=key, update=DeploymentUpdate(version=version, actions=[action])
        )

    def delete_deployment(self, *, id: str | None = None, key: str | None = None) -> Deployment:
        """Start undeploying (the API takes no version); the Deployment answers 404 once it is gone."""
        path = self._deployment_path(id=id, key=key)
        response = self._session.request("DELETE", path, idempotent=True)
        assert isinstance(response, httpx.Response)
        return parse_model(Deployment, response, "DELETE", path, self._where)

    # --- connectors ---------------------------------------------------------------------------------------

    def get_connector(self, id: str) -> Connector:
        return self._get(Connector, f"/connectors/{segment(id)}")

    def get_connector_by_key(self, key: str) -> Connector:
        return self._get(Connector, f"/connectors/key={segment(key)}")

    def get_connector_staged(self, id: str) -> ConnectorStaged:
        return self._get(ConnectorStaged, f"/connectors/drafts/{segment(id)}")

    def get_connector_staged_by_key(self, key: str) -> ConnectorStaged:
        return self._get(ConnectorStaged, f"/connectors/drafts/key={segment(key)}")

    def read_connector(
        self, *, key: str | None = None, id: str | None = None, staged: bool = False
    ) -> Connector:
        """The connector a manifest names by key (else id); ``staged``: its draft (a ``ConnectorStaged``)."""
        if staged:
            return (
                self.get_connector_staged_by_key(key)
                if key is not None
                else self.get_connector_staged(str(id))
            )
        return self.get_connector_by_key(key) if key is not None else self.get_connector(str(id))

    # --- paths (apply checks a planned request's path against the call it makes) -------------------------

    def deployments_path(self) -> str:
        """The path ``create_deployment`` posts to."""
        return f"/{segment(self.project_key)}/deployments"

    def deployment_path(self, *, id: str | None = None, key: str | None = None) -> str:
        """The path ``update_deployment``, ``redeploy`` and ``delete_deployment`` call for this id or key."""
        return self._deployment_path(id=id, key=key)

    # --- plumbing -----------------------------------------------------------------------------------------

    def _deployment_path(self, *, id: str | None = None, key: str | None = None) -> str:
        if (id is None) == (key is None):
            raise ValueError("pass exactly one of id / key")
        ref = segment(id) if id is not None else f"key={segment(key or '')}"
        return f"/{segment(self.project_key)}/deployments/{ref}"

    def _get(self, model: type[M], path: str, params: Params | None = None) -> M:
        response = self._session.request("GET", path, params=params, idempotent=True)
        assert isinstance(response, httpx.Response)
        return parse_model(model, response, "GET", path, self._where)

    def _write(
        self,
        path: str,
        body: DeploymentDraft | DeploymentUpdate,
        recover: Callable[[], Deployment | None] | None,
    ) -> Deployment:
        self._session.remember_secrets(secured_values(body))
        outcome = self._session.request("POST", path, body=dump(body), recover=recover)
        if isinstance(outcome, Deployment):
            return outcome
        return parse_model(Deployment, outcome, "POST", path, self._where)


def _advanced(asked: int, following: int | None, project_key: str) -> int | None:
    """The next offset, refusing a page that does not move on (an API or proxy ignoring ``offset``)."""
    if following is not None and following <= asked:
        raise GitsyncError(
            f"project {project_key}: the API answered offset {asked} with a page that does not advance "
            f"(next offset {following}); is connectUrl the commercetools Connect API?"
        )
    return following


def _date(value: datetime | str | None) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value
