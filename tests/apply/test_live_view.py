"""The terminal progress view: busy Deployments in a block redrawn in place, finished ones printed above."""

from __future__ import annotations

import io
import time
from os import terminal_size

from gitsync.apply.live_view import LiveProgress
from gitsync.apply.result import ApplyResult
from gitsync.live.state import BuildReportEntry


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _view(stream: io.StringIO, clock: Clock, lines: int = 24) -> LiveProgress:
    return LiveProgress(stream, refresh=60.0, clock=clock, size=lambda: terminal_size((40, lines)))


def test_busy_rows_are_redrawn_and_finished_ones_stay_above() -> None:
    stream, clock = io.StringIO(), Clock()
    with _view(stream, clock) as view:
        view.sent("prod/a", "create", "deploying")
        clock.now += 5
        view.status("prod/a", "Deploying")
        entry = BuildReportEntry("Error", "processor", "Build failed", "npm ERR!")
        result = ApplyResult(
            "prod", "a", "create", "failed", "Failed", 1, 7.0, "Failed", "ended Failed", (entry,)
        )
        view.done(result)
    out = stream.getvalue()
    assert out.startswith("prod/a: create sent 0.0s\n\x1b[1F\x1b[Jprod/a: Deploying 5.0s\n\x1b[1F\x1b[J")
    assert "prod/a: create failed (Failed, version 1, 7.0s): Failed: ended Failed\n" in out
    assert out.endswith("  Error processor: Build failed: npm ERR!\n")


def test_the_block_fits_the_terminal() -> None:
    stream, clock = io.StringIO(), Clock()
    view = _view(stream, clock, lines=4)
    for key in ("a", "b", "c", "d"):
        view.status(f"prod/{key}-with-a-very-long-deployment-key-indeed", "Queued")
    last = stream.getvalue().rpartition("\x1b[J")[2]
    assert last.splitlines() == ["prod/a-with-a-very-long-deployment-key-", "… and 3 more still busy"]


def test_the_block_is_redrawn_as_time_passes() -> None:
    stream, clock = io.StringIO(), Clock()
    view = LiveProgress(stream, refresh=0.01, clock=clock, size=lambda: terminal_size((80, 24)))
    with view:
        view.status("prod/a", "Deploying")
        clock.now += 65
        deadline = time.monotonic() + 5
        while "prod/a: Deploying 1m05s" not in stream.getvalue():
            assert time.monotonic() < deadline, stream.getvalue()
            time.sleep(0.01)
    assert stream.getvalue().endswith("\x1b[J")  # the block is gone once apply ends: the report follows
