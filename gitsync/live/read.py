"""Reads the live state plan, apply and import need, with the fewest API calls.

Per project: one token per client, ⌈N/500⌉ pages of Deployments (read once, however many targets share the
project) and ONE read per distinct connector a target's manifests reference (SPEC §7). Targets, and a
target's page walk and connector reads, run concurrently. Everything here goes through the client.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from gitsync.api.client import ConnectClient
from gitsync.api.errors import AuthorizationError, NotFoundError
from gitsync.live.convert import connector_info, live_deployment
from gitsync.live.state import ConnectorInfo, ConnectorLookup, LiveDeployment
from gitsync.manifest.model import DesiredDeployment
from gitsync.selection import select

# a target's connector reads run beside its page walk; more threads than this buy nothing
MAX_THREADS = 8

Pages = Future[tuple[LiveDeployment, ...]]


@dataclass(frozen=True)
class TargetLive:
    """What one target looks like live: its project's Deployments and the connectors its manifests name."""

    deployments: tuple[LiveDeployment, ...] = ()
    connectors: Mapping[ConnectorLookup, ConnectorInfo] = field(default_factory=dict)


def read_targets(
    clients: Mapping[str, ConnectClient],
    desired_by_target: Mapping[str, Sequence[DesiredDeployment]],
    projects: Mapping[str, Hashable] | None = None,
) -> dict[str, TargetLive]:
    """Every target's live state, read concurrently; keyed by target name like ``clients``.

    ``projects``: target name → project identity; targets with the same one read its pages once (through
    the first such target's client). Without it every target is a project of its own.
    """
    project_of = {name: (projects or {}).get(name, ("target", name)) for name in clients}
    first = {project: name for name, project in reversed(project_of.items())}  # its first client walks
    # one thread per page walk and per target (their connector reads beside the walk), bounded; page walks
    # are queued first, so a target's task only ever waits on a walk that has started
    with _pool(min(2 * MAX_THREADS, max(1, len(first) + len(clients)))) as pool:
        pages = {project: pool.submit(read_deployments, clients[name]) for project, name in first.items()}
        futures = {
            name: pool.submit(_read_target, client, desired_by_target.get(name, ()), pages[project_of[name]])
            for name, client in clients.items()
        }
        return {name: future.result() for name, future in futures.items()}


def read_target(client: ConnectClient, desired: Sequence[DesiredDeployment]) -> TargetLive:
    """One target's Deployments and connectors; a connector that does not exist is left out."""
    with _pool(1) as pool:
        return _read_target(client, desired, pool.submit(read_deployments, client))


def _read_target(client: ConnectClient, desired: Sequence[DesiredDeployment], pages: Pages) -> TargetLive:
    lookups = sorted({ConnectorLookup.of(deployment.connector) for deployment in desired}, key=str)
    connectors = read_connectors(client, lookups)
    return TargetLive(deployments=pages.result(), connectors=connectors)


def read_connectors(
    client: ConnectClient, lookups: Iterable[ConnectorLookup]
) -> dict[ConnectorLookup, ConnectorInfo]:
    """The connectors named, read concurrently; one that does not exist is left out."""
    wanted = list(dict.fromkeys(lookups))
    if not wanted:
        return {}
    with _pool(min(MAX_THREADS, len(wanted))) as pool:
        reads: dict[ConnectorLookup, Future[ConnectorInfo | None]] = {
            lookup: pool.submit(read_connector, client, lookup) for lookup in wanted
        }
        return {lookup: info for lookup, read in reads.items() if (info := read.result()) is not None}


@contextmanager
def _pool(workers: int) -> Iterator[ThreadPoolExecutor]:
    """A thread pool that, on an error or an interrupt, drops the reads not yet started and does not wait.

    ``with ThreadPoolExecutor()`` would wait for every queued read (issue 7.7); the reads already running
    end by themselves: the interrupt switch stops them before their next request, the deadline bounds it.
    """
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def read_deployments(client: ConnectClient) -> tuple[LiveDeployment, ...]:
    """Every Deployment of the client's project, paged (import adopts from these; plan compares)."""
    return tuple(live_deployment(deployment) for deployment in client.iter_deployments())


def read_deployment(client: ConnectClient, key: str) -> LiveDeployment | None:
    """One Deployment by key, or None when it does not exist (apply: stale checks, waits, 409s)."""
    deployment = client.find_deployment_by_key(key)
    return None if deployment is None else live_deployment(deployment)


def read_connector(client: ConnectClient, lookup: ConnectorLookup) -> ConnectorInfo | None:
    """The connector (staged: its draft) a manifest names, or None when it does not exist.

    A connector the API client may not read (403) is an unreadable ``ConnectorInfo``: the planner makes
    its Deployments ``error`` changes naming the missing scope, and the rest of the plan goes on.
    """
    kind, _, value = lookup.identity.partition("=")
    try:
        connector = client.read_connector(
            key=value if kind == "key" else None, id=value if kind == "id" else None, staged=lookup.staged
        )
    except NotFoundError:
        return None  # the planner turns a missing connector into an ``error`` change
    except AuthorizationError as exc:
        return ConnectorInfo.unreadable(f"{lookup} cannot be read: {exc}")
    return connector_info(connector, staged=lookup.staged)


def read_connector_by_key(client: ConnectClient, key: str, *, staged: bool = False) -> ConnectorInfo | None:
    """The connector with this key (staged: its draft), or None; see ``read_connector``."""
    return read_connector(client, ConnectorLookup(f"key={key}", staged))


def read_connector_by_id(client: ConnectClient, id: str, *, staged: bool = False) -> ConnectorInfo | None:
    """The connector with this id (a live Deployment names its connector by id: import needs this)."""
    return read_connector(client, ConnectorLookup(f"id={id}", staged))


def select_live(
    deployments: Iterable[LiveDeployment], only: Sequence[str] = (), exclude: Sequence[str] = ()
) -> tuple[LiveDeployment, ...]:
    """The live Deployments --only / --exclude select, so keys outside them are neither listed nor pruned."""
    return select(deployments, lambda deployment: deployment.key, only, exclude)
