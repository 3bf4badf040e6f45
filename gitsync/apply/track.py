"""The running record of one Deployment during apply, and the results it turns into.

A ``Track`` is written by the one worker thread that handles its Deployment; the main thread reads it only
to report a Deployment whose worker an interrupt left behind (was anything sent for it or not).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from gitsync.api.models import Deployment
from gitsync.apply.result import ApplyResult, Outcome
from gitsync.live.convert import build_report
from gitsync.live.state import BuildReportEntry
from gitsync.plan.model import Change

NOT_SENT = "interrupted before anything was sent for it; run apply again"
CUT = "interrupted after a call was sent, before it settled; run plan or apply again to see and converge"


@dataclass
class Track:
    """What is known so far about one planned change; ``action`` stays the planned one throughout."""

    index: int
    change: Change
    clock: Callable[[], float] = time.monotonic
    started: float | None = None
    """When its work began (a replace's create half continues the clock of its delete half)."""
    submitted: bool = False
    status: str | None = None
    version: int | None = None

    def begin(self) -> None:
        if self.started is None:
            self.started = self.clock()

    @property
    def label(self) -> str:
        return f"{self.change.target}/{self.change.key}"

    def saw(self, live: Deployment | None) -> None:
        if live is not None:
            self.version = live.version

    def result(
        self,
        outcome: Outcome,
        code: str | None = None,
        message: str | None = None,
        entries: tuple[BuildReportEntry, ...] = (),
    ) -> ApplyResult:
        change = self.change
        return ApplyResult(
            target=change.target,
            key=change.key,
            action=change.action,
            outcome=outcome,
            status=self.status,
            version=self.version,
            duration=0.0 if self.started is None else self.clock() - self.started,
            error_code=code,
            error_message=message,
            entries=entries,
        )

    def cut_short(self) -> ApplyResult:
        """The result when an interrupt stopped this Deployment: was a call sent for it or not."""
        if self.submitted:
            return self.result("interrupted", "Interrupted", CUT)
        return self.result("not-submitted", "Interrupted", NOT_SENT)


def report_entries(live: Deployment | None) -> tuple[BuildReportEntry, ...]:
    """The build report entries of a Deployment (type, application, title, message)."""
    return () if live is None else build_report(live)
