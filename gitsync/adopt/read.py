"""Every API read ``gitsync import`` makes, each behind one small function.

Kept apart so the switch to the shared ``gitsync.live`` package (issue 8) changes only this module.
"""

from __future__ import annotations

from gitsync.api.client import ConnectClient
from gitsync.api.errors import AuthorizationError, NotFoundError
from gitsync.api.models import Connector, Deployment


def read_all(client: ConnectClient) -> list[Deployment]:
    """Every Deployment of the client's project, in ⌈N/500⌉ requests."""
    return list(client.iter_deployments())


def read_by_key(client: ConnectClient, key: str) -> Deployment | None:
    """The Deployment with this key, or None when there is none."""
    return client.find_deployment_by_key(key)


def read_connector_by_id(client: ConnectClient, connector_id: str, *, staged: bool) -> Connector | str:
    """The connector a Deployment runs (staged: its draft under /connectors/drafts), or why it cannot be read.

    A Deployment's answer may lack ``connector.key`` (facts §1.2): the connector itself says it.
    """
    try:
        return client.read_connector(id=connector_id, staged=staged)
    except NotFoundError:
        kind = "staged connector (draft)" if staged else "connector"
        return f"{kind} id={connector_id} does not exist any more (or the API client may not read it)"
    except AuthorizationError as exc:
        return f"connector id={connector_id} cannot be read: {exc}"
