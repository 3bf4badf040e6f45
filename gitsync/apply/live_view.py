"""Progress on a terminal: a live status line per busy Deployment, redrawn in place (SPEC §4).

Finished Deployments (and their build report entries) are printed once, above the block, as the line
progress prints them; the block below lists the Deployments still busy, with their status and how long
they have been at it, redrawn on every change and every ``refresh`` seconds. It is only for a terminal:
CI logs get ``Progress`` (one line per change and a heartbeat), and so does ``-v``, whose lines would
tear the block.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from os import terminal_size
from typing import TextIO

from gitsync.apply.progress import Progress, _Busy, format_duration
from gitsync.render.escape import clean

UP_AND_CLEAR = "\x1b[{count}F\x1b[J"  # cursor up to the start of the block's first line, clear below


class LiveProgress(Progress):
    """A ``Progress`` that keeps busy Deployments in a block redrawn in place; thread-safe."""

    def __init__(
        self,
        stream: TextIO,
        *,
        refresh: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        size: Callable[[], terminal_size] = shutil.get_terminal_size,
    ) -> None:
        super().__init__(stream, heartbeat=refresh, clock=clock)
        self._size = size
        self._drawn = 0

    def __exit__(self, *exc_info: object) -> None:
        super().__exit__(*exc_info)
        with self._lock:
            self._erase()  # the report that follows says what became of anything still busy
            self._stream.flush()

    def line(self, text: str) -> None:
        """A permanent line, above the block."""
        with self._lock:
            self._erase()
            self._stream.write(clean(text) + "\n")
            self._draw()

    def sent(self, label: str, what: str, verb: str) -> None:
        self._update(label, verb, f"{what} sent")

    def status(self, label: str, status: str) -> None:
        self._update(label, "waiting for", status)

    def _update(self, label: str, verb: str, text: str) -> None:
        with self._lock:
            busy = self._busy.setdefault(label, _Busy(verb=verb, since=self._clock()))
            busy.status = text
            self._erase()
            self._draw()

    def _beat(self) -> None:
        while not self._stop.wait(self._heartbeat):
            with self._lock:
                self._erase()
                self._draw()

    def _erase(self) -> None:
        if self._drawn:
            self._stream.write(UP_AND_CLEAR.format(count=self._drawn))
            self._drawn = 0

    def _draw(self) -> None:
        """The busy rows, cut to the terminal's width and height (the cursor cannot climb off screen)."""
        columns, lines = self._size()
        now = self._clock()
        rows = [
            f"{label}: {busy.status or busy.verb} {format_duration(now - busy.since)}"
            for label, busy in sorted(self._busy.items())
        ]
        room = max(1, lines - 2)
        if len(rows) > room:
            rows = [*rows[: room - 1], f"… and {len(rows) - room + 1} more still busy"]
        for row in rows:
            self._stream.write(clean(row)[: max(1, columns - 1)] + "\n")
        self._drawn = len(rows)
        self._stream.flush()
