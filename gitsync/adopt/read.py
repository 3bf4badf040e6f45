"""Every API read ``gitsync import`` makes, through the shared ``gitsync.live`` reads and values.

Import adopts from the same ``LiveDeployment`` values plan compares, so what it writes is what plan reads
back; only the wording for a connector it cannot read is its own.
"""

from __future__ import annotations

from gitsync.api.client import ConnectClient
from gitsync.live import read
from gitsync.live.state import ConnectorInfo, LiveDeployment


def read_all(client: ConnectClient) -> tuple[LiveDeployment, ...]:
    """Every Deployment of the client's project, in ⌈N/500⌉ requests."""
    return read.read_deployments(client)


def read_by_key(client: ConnectClient, key: str) -> LiveDeployment | None:
    """The Deployment with this key, or None when there is none."""
    return read.read_deployment(client, key)


def read_connector_by_id(client: ConnectClient, connector_id: str, *, staged: bool) -> ConnectorInfo | str:
    """The connector a Deployment runs (staged: its draft under /connectors/drafts), or why it cannot be read.

    A Deployment's answer may lack ``connector.key`` (facts §1.2): the connector itself says it.
    """
    info = read.read_connector_by_id(client, connector_id, staged=staged)
    if info is None:
        kind = "staged connector (draft)" if staged else "connector"
        return f"{kind} id={connector_id} does not exist any more (or the API client may not read it)"
    return info.error if info.error is not None else info
