"""Reads the live state a plan needs, with the fewest API calls.

Per target: one token, ⌈N/500⌉ pages of Deployments and ONE read per distinct connector the manifests
reference (SPEC §7). Targets, and a target's page walk and connector reads, run concurrently. The only
module of ``gitsync.plan`` that does I/O, and only through the client.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from gitsync.api.client import ConnectClient
from gitsync.api.errors import AuthorizationError, NotFoundError
from gitsync.manifest.loader import key_selected
from gitsync.manifest.model import DesiredDeployment
from gitsync.plan.live import ConnectorInfo, ConnectorLookup, LiveDeployment

# a target's connector reads run beside its page walk; more threads than this buy nothing
MAX_THREADS = 8


@dataclass(frozen=True)
class TargetLive:
    """What one target looks like live: its Deployments and the connectors its manifests name."""

    deployments: tuple[LiveDeployment, ...] = ()
    connectors: Mapping[ConnectorLookup, ConnectorInfo] = field(default_factory=dict)


def read_targets(
    clients: Mapping[str, ConnectClient], desired_by_target: Mapping[str, Sequence[DesiredDeployment]]
) -> dict[str, TargetLive]:
    """Every target's live state, read concurrently; keyed by target name like ``clients``."""
    with _pool(min(MAX_THREADS, max(1, len(clients)))) as pool:
        futures = {
            name: pool.submit(read_target, client, desired_by_target.get(name, ()))
            for name, client in clients.items()
        }
        return {name: future.result() for name, future in futures.items()}


def read_target(client: ConnectClient, desired: Sequence[DesiredDeployment]) -> TargetLive:
    """One target's Deployments and connectors; a connector that does not exist is left out."""
    lookups = sorted({ConnectorLookup.of(deployment.connector) for deployment in desired}, key=str)
    with _pool(min(MAX_THREADS, 1 + len(lookups))) as pool:
        pages = pool.submit(_read_deployments, client)
        reads: dict[ConnectorLookup, Future[ConnectorInfo | None]] = {
            lookup: pool.submit(read_connector, client, lookup) for lookup in lookups
        }
        connectors = {lookup: info for lookup, read in reads.items() if (info := read.result()) is not None}
        return TargetLive(deployments=pages.result(), connectors=connectors)


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


def _read_deployments(client: ConnectClient) -> tuple[LiveDeployment, ...]:
    return tuple(LiveDeployment.from_api(deployment) for deployment in client.iter_deployments())


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
    return ConnectorInfo.from_api(connector, staged=lookup.staged)


def select_live(
    deployments: Iterable[LiveDeployment], only: Sequence[str] = (), exclude: Sequence[str] = ()
) -> tuple[LiveDeployment, ...]:
    """The live Deployments --only / --exclude select, so keys outside them are neither listed nor pruned."""
    return tuple(deployment for deployment in deployments if key_selected(deployment.key, only, exclude))
