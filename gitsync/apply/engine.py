"""The apply engine: runs a plan's changes through one ConnectClient per target (SPEC §4).

Order: deletes and the delete half of replaces first, each waited for until gone (404); then creates,
redeploys, the create half of replaces and ``wait`` changes. Within a phase every Deployment runs in its own
thread; ``concurrency`` bounds the HTTP calls in flight (a slot is held for one client call, never while
sleeping between polls). One Deployment's failure is its result, never another's.

Interrupts use the command's one switch (``gitsync.cli.INTERRUPT``, a ``CancelToken``): once set, no call is
sent, the engine waits at most ``grace`` seconds for calls in flight, and every result says whether
anything was sent for its Deployment. Unknown outcomes of creates and updates are the client's job: it
reads the key (or the version) back before any retry, so the engine never sends a write twice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field

from gitsync.api.cancel import CancelToken, Interrupted
from gitsync.api.client import ConnectClient
from gitsync.api.errors import ApiError, ConcurrentModificationError, NotFoundError
from gitsync.api.models import Deployment
from gitsync.apply.progress import Progress, format_duration
from gitsync.apply.replan import after_conflict, after_wait
from gitsync.apply.result import ApplyReport, ApplyResult
from gitsync.apply.track import Track, report_entries
from gitsync.apply.waiting import PollSettings, Seen, Want, poll
from gitsync.errors import GitsyncError
from gitsync.plan.model import Change, Plan, Request

Send = Callable[[ConnectClient, Request], Deployment | None]
"""Sends one planned Request as the typed client call (``gitsync.apply.calls.send_planned``, reveal bound)."""
Replan = Callable[[Change, Deployment | None], Change]
"""Plans one Deployment again against what was just read (None: it is gone); used after 409 and ``wait``."""

FIRST: frozenset[str] = frozenset({"delete", "replace"})
THEN: frozenset[str] = frozenset({"create", "redeploy", "replace", "wait"})
# A waiting Deployment holds its thread (asleep, no slot): with fewer threads than Deployments the rest wait
# their turn, and 1,000 redeploys took four deploy times with 256. Threads mostly sleep; past this many
# Deployments, waiting runs in waves.
MAX_THREADS = 1024
SLOT_POLL = 0.05  # seconds between interrupt checks while waiting for a concurrency slot


@dataclass(frozen=True)
class ApplySettings:
    """``timeout``: for the whole run; ``grace``: how long an interrupt waits for calls in flight.

    ``wait`` False (``--no-wait``): a create, redeploy or delete counts as applied once the API accepted
    it. The delete half of a replace and a ``wait`` change are still waited for: the create that follows
    needs the key gone, and a ``wait`` change is nothing but waiting.
    """

    concurrency: int = 8
    timeout: float = 1800.0
    poll: PollSettings = field(default_factory=PollSettings)
    grace: float = 5.0
    wait: bool = True


def apply_plan(
    plan: Plan,
    clients: Mapping[str, ConnectClient],
    send: Send,
    *,
    replan: Replan,
    cancel: CancelToken,
    progress: Progress,
    settings: ApplySettings | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> ApplyReport:
    """Apply every change of ``plan``; the report has one result per change, in plan order."""
    settings = settings or ApplySettings()
    run = _Run(clients, send, replan, cancel, progress, settings, clock)
    return run.execute(plan)


class _Run:
    def __init__(
        self,
        clients: Mapping[str, ConnectClient],
        send: Send,
        replan: Replan,
        cancel: CancelToken,
        progress: Progress,
        settings: ApplySettings,
        clock: Callable[[], float],
    ) -> None:
        self.clients, self.send, self.replan = clients, send, replan
        self.cancel, self.progress, self.settings, self.clock = cancel, progress, settings, clock
        self.gate = threading.BoundedSemaphore(max(1, settings.concurrency))
        self.deadline = clock() + settings.timeout

    # --- phases -------------------------------------------------------------------------------------------

    def execute(self, plan: Plan) -> ApplyReport:
        tracks = [Track(index, change, self.clock) for index, change in enumerate(plan.changes)]
        results: dict[int, ApplyResult | None] = {
            track.index: _not_run(track) for track in tracks if track.change.action not in THEN | FIRST
        }
        results |= self._phase([t for t in tracks if t.change.action in FIRST], self._undeploy)
        second = [t for t in tracks if t.change.action in THEN and results.get(t.index) is None]
        results |= self._phase(second, self._deploy)
        final = tuple(results[track.index] or track.cut_short() for track in tracks)
        return ApplyReport(final, interrupted=self.cancel.cancelled)

    def _phase(
        self, tracks: list[Track], work: Callable[[Track], ApplyResult | None]
    ) -> dict[int, ApplyResult | None]:
        if not tracks or self.cancel.cancelled:
            return {track.index: track.cut_short() for track in tracks}
        pool = ThreadPoolExecutor(max_workers=min(len(tracks), MAX_THREADS), thread_name_prefix="apply")
        futures: dict[Future[ApplyResult | None], Track] = {}
        try:
            self._start(pool, work, tracks, futures)
            self._wait(set(futures))
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        started = {track.index: _collected(future, track) for future, track in futures.items()}
        return {track.index: track.cut_short() for track in tracks} | started

    def _start(
        self,
        pool: ThreadPoolExecutor,
        work: Callable[[Track], ApplyResult | None],
        tracks: list[Track],
        futures: dict[Future[ApplyResult | None], Track],
    ) -> None:
        """One worker per Deployment; starting hundreds takes a while, and Ctrl-C may land meanwhile: then
        the rest are not started and the report still has every Deployment."""
        try:
            for track in tracks:
                futures[pool.submit(self._guarded, work, track)] = track
        except KeyboardInterrupt:  # as in _wait: the CLI's handler set the switch and unwinds the main thread
            self.cancel.cancel()

    def _wait(self, pending: set[Future[ApplyResult | None]]) -> None:
        """Until every worker is done, or an interrupt plus at most ``grace`` seconds for calls in flight."""
        try:
            while pending and not self.cancel.cancelled:
                pending = wait(pending, timeout=SLOT_POLL).not_done
        except KeyboardInterrupt:  # the CLI's signal handler set the switch and unwinds the main thread
            self.cancel.cancel()
        if pending:
            wait(pending, timeout=self.settings.grace)

    def _guarded(self, work: Callable[[Track], ApplyResult | None], track: Track) -> ApplyResult | None:
        """One Deployment's work; its errors become its result, so they never stop another Deployment."""
        track.begin()
        try:
            result = work(track)
        except Interrupted:
            result = track.cut_short()
        except ApiError as exc:
            result = track.result("failed", exc.code, str(exc))
        except GitsyncError as exc:
            result = track.result("failed", type(exc).__name__, str(exc))
        if result is not None:
            self.progress.done(result)
        return result

    # --- one Deployment -----------------------------------------------------------------------------------

    def _undeploy(self, track: Track) -> ApplyResult | None:
        """Delete and wait until gone; for a replace, None lets its create half run in the next phase."""
        change = track.change
        request = change.delete_request if change.action == "replace" else change.request
        sent = self._send(track, request, "delete", "deleting")
        if change.action == "delete" and not self.settings.wait:
            return self._accepted(track, sent)
        result = self._judge(track, self._poll(track, "undeploy", None), "undeploy")
        return None if change.action == "replace" and result.outcome == "applied" else result

    def _deploy(self, track: Track) -> ApplyResult:
        if track.change.action == "wait":
            seen = self._poll(track, "settle", None)
            if seen.timed_out:
                return self._judge(track, seen, "settle")
            fresh = after_wait(track.change, self.replan(track.change, seen.live))
            if isinstance(fresh, str):
                return track.result("stale", "Stale", fresh)
            return track.result("applied") if fresh.action == "noop" else self._realise(track, fresh)
        return self._realise(track, track.change)

    def _realise(self, track: Track, change: Change) -> ApplyResult:
        """Send a create (or a replace's create half) or a redeploy, then wait until it settles."""
        verb = "redeploy" if change.action == "redeploy" else "create"
        try:
            sent = self._send(track, change.request, verb, "deploying")
        except ConcurrentModificationError as exc:  # someone moved it since the plan: plan it again
            fresh = after_conflict(change, self.replan(change, self._read(track)), exc)
            if isinstance(fresh, str):
                return track.result("stale", exc.code, fresh)
            sent = self._send(track, fresh.request, verb, "deploying")
        if not self.settings.wait:
            return self._accepted(track, sent)
        min_version = sent.version if sent is not None else None
        return self._judge(track, self._poll(track, "deploy", min_version, answered=sent), "deploy")

    def _accepted(self, track: Track, sent: Deployment | None) -> ApplyResult:
        """--no-wait: the API took the call; the status is the one it answered with."""
        if sent is not None:
            track.status = str(sent.status)
        return track.result("applied")

    # --- calls --------------------------------------------------------------------------------------------

    @contextmanager
    def _slot(self) -> Iterator[None]:
        """One HTTP call in flight; waiting for a slot ends at once on an interrupt."""
        while not self.gate.acquire(timeout=SLOT_POLL):
            self.cancel.check()
        try:
            self.cancel.check()
            yield
        finally:
            self.gate.release()

    def _client(self, track: Track) -> ConnectClient:
        client = self.clients.get(track.change.target)
        if client is None:
            raise GitsyncError(f"{track.label}: no API client for target {track.change.target!r}")
        return client

    def _send(self, track: Track, request: Request | None, what: str, verb: str) -> Deployment | None:
        if request is None:
            raise GitsyncError(f"{track.label}: the plan records no request for this {what}; plan again")
        client = self._client(track)
        with self._slot():
            track.submitted = True  # from here its outcome may be unknown: never "not submitted" again
            self.progress.sent(track.label, what, verb)
            sent = self.send(client, request)
        track.saw(sent)
        return sent

    def _read(self, track: Track) -> Deployment | None:
        client = self._client(track)
        with self._slot():
            try:
                live = client.get_deployment_by_key(track.change.key)
            except NotFoundError:
                return None
        track.saw(live)
        return live

    def _poll(
        self, track: Track, want: Want, min_version: int | None, answered: Deployment | None = None
    ) -> Seen:
        def seen(status: str) -> None:
            track.status = status
            self.progress.status(track.label, status)

        return poll(
            lambda: self._read(track),
            want,
            min_version=min_version,
            deadline=self.deadline,
            settings=self.settings.poll,
            cancel=self.cancel,
            on_status=seen,
            clock=self.clock,
            answered=answered,
        )

    def _judge(self, track: Track, seen: Seen, want: Want) -> ApplyResult:
        """The outcome of a settled (or timed-out) wait."""
        if seen.timed_out:
            limit = format_duration(self.settings.timeout)
            message = f"still {seen.status} when the {limit} timeout ran out; run plan later to see the end"
            return track.result("failed", "Timeout", message)
        if seen.status in ("Failed", "UndeployFailed"):
            message = f"ended {seen.status}; see the build report entries"
            return track.result("failed", seen.status, message, report_entries(seen.live))
        if want == "deploy" and seen.live is None:
            return track.result("failed", "Gone", "the Deployment disappeared while it was deploying")
        return track.result("applied")


def _not_run(track: Track) -> ApplyResult:
    """noop and unmanaged need nothing; an ``error`` change cannot be applied."""
    if track.change.action == "error":
        return track.result("failed", "PlanError", track.change.error or "the plan could not plan it")
    return track.result("skipped")


def _collected(future: Future[ApplyResult | None], track: Track) -> ApplyResult | None:
    if future.done() and not future.cancelled():
        return future.result()
    return track.cut_short()
