"""Clocks that drive the deployment lifecycle: real time for users, a manual clock for fast tests."""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    """Anything with ``now()`` in seconds; only differences between readings matter."""

    def now(self) -> float: ...


class MonotonicClock:
    """Real time, immune to wall-clock jumps."""

    def now(self) -> float:
        return time.monotonic()


class ManualClock:
    """A clock that only moves when a test says so, so lifecycle tests never sleep."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        """Move time forward by ``seconds`` (never backwards) and return the new reading."""
        if seconds < 0:
            raise ValueError(f"a clock cannot go backwards (advance by {seconds})")
        with self._lock:
            self._now += seconds
            return self._now
