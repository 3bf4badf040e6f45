"""Waiting for a Deployment to settle: poll with jittered, capped backoff until a wanted status or a deadline.

Reads go through a ``read`` function the engine gives (it holds a concurrency slot only for the call);
the sleeps between reads hold nothing and end at once on an interrupt (``CancelToken.sleep``).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from gitsync.api.cancel import CancelToken
from gitsync.api.errors import ApiError
from gitsync.api.models import Deployment

GONE = "gone"
TRANSIENT = frozenset({0, 429, 502, 503, 504})  # 0: no answer at all (ConnectionFailedError)
BUSY = frozenset({"Queued", "Deploying", "Undeploying"})
# deploy: a create or redeploy ends Deployed or Failed; undeploy: a delete ends gone (404) or UndeployFailed;
# settle: a `wait` change waits for any status that is not moving.
Want = Literal["deploy", "undeploy", "settle"]
ENDS: dict[Want, frozenset[str]] = {
    "deploy": frozenset({"Deployed", "Failed", GONE}),
    "undeploy": frozenset({GONE, "UndeployFailed"}),
    "settle": frozenset(),
}


@dataclass(frozen=True)
class PollSettings:
    """Backoff between reads (seconds): ``first``, times ``factor`` up to ``cap``, each jittered down to half.

    A factor of 1.5 sees a settled Deployment at most about half its deploy time late (doubling: a whole
    deploy time late, so a 1 s deploy was seen after 1.5–3 s); ``cap`` bounds how late a deploy of minutes
    is seen. Both cost about the same number of reads for a deploy of minutes (benchmarks/apply_bench.py).
    """

    first: float = 0.5
    factor: float = 1.5
    cap: float = 15.0


@dataclass(frozen=True)
class Seen:
    """The last read: the Deployment (None once gone) and whether the deadline came first."""

    live: Deployment | None
    timed_out: bool = False

    @property
    def status(self) -> str:
        return GONE if self.live is None else str(self.live.status)


def settled(want: Want, seen: Seen, min_version: int | None) -> bool:
    """True when ``seen`` ends the wait; a deploy counts only at or past the version the call returned."""
    if want == "settle":
        return seen.status not in BUSY
    if seen.status not in ENDS[want]:
        return False
    stale_read = seen.live is not None and min_version is not None and seen.live.version < min_version
    return not stale_read


def poll(
    read: Callable[[], Deployment | None],
    want: Want,
    *,
    min_version: int | None,
    deadline: float,
    settings: PollSettings,
    cancel: CancelToken,
    on_status: Callable[[str], None],
    clock: Callable[[], float] = time.monotonic,
    answered: Deployment | None = None,
) -> Seen:
    """Read until ``want`` is reached or ``deadline`` (a ``clock`` reading) passes; Interrupted on cancel.

    ``answered``: the Deployment the call itself answered (a create's or redeploy's ``Deploying``), taken as
    the first read: reading it again at once would only cost a request and a concurrency slot.
    """
    delay = settings.first
    seen = Seen(answered) if answered is not None else _read(read, None)
    while True:
        on_status(seen.status)
        if settled(want, seen, min_version):
            return seen
        pause = delay * random.uniform(0.5, 1.0)  # jitter spreads the polls of many Deployments
        if clock() + pause > deadline:
            return Seen(seen.live, timed_out=True)
        cancel.sleep(pause)
        delay = min(settings.cap, delay * settings.factor)
        seen = _read(read, seen)


def _read(read: Callable[[], Deployment | None], last: Seen | None) -> Seen:
    """A fresh read; ``last`` again when the API stayed busy or unreachable through the client's retries.

    A status read changes nothing, so one that failed that way is no reason to give up on a Deployment
    whose call was accepted: the wait goes on (the deadline bounds it). Any other error ends the wait.
    """
    try:
        return Seen(read())
    except ApiError as exc:
        if exc.status not in TRANSIENT or last is None:
            raise
        return last
