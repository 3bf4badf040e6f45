"""Progress of an apply as plain lines on a stream (stderr): one per status change, plus a heartbeat.

Line-per-change suits CI logs and terminals alike (SPEC §4); a heartbeat every ``heartbeat`` seconds says
which Deployments are still busy, so a long deploy never looks like a hung job. Lines carry keys,
statuses and redacted API messages only: never a configuration value.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from gitsync.apply.result import ApplyResult
from gitsync.render.escape import clean

HEARTBEAT_SECONDS = 30.0


def format_duration(seconds: float) -> str:
    """``1m20s`` / ``4.2s`` / ``1h02m``: short, for humans."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


@dataclass
class _Busy:
    verb: str
    since: float
    status: str | None = None


class Progress:
    """Thread-safe line writer; use as a context manager to run the heartbeat."""

    def __init__(
        self,
        stream: TextIO,
        *,
        heartbeat: float = HEARTBEAT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream, self._heartbeat, self._clock = stream, heartbeat, clock
        self._lock = threading.Lock()
        self._busy: dict[str, _Busy] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Progress:
        self._thread = threading.Thread(target=self._beat, name="apply-heartbeat", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)

    def line(self, text: str) -> None:
        """One line; API text in it is escaped (a control character must not drive the terminal)."""
        with self._lock:
            self._stream.write(clean(text) + "\n")
            self._stream.flush()

    def sent(self, label: str, what: str, verb: str) -> None:
        """A call went out for ``label``; until ``done`` the heartbeat names it as ``verb`` (deploying…)."""
        with self._lock:
            busy = self._busy.setdefault(label, _Busy(verb=verb, since=self._clock()))
            busy.verb = verb
        self.line(f"{label}: {what} sent")

    def status(self, label: str, status: str) -> None:
        """A status read for ``label``: written only when it differs from the last one."""
        with self._lock:
            busy = self._busy.setdefault(label, _Busy(verb="waiting for", since=self._clock()))
            if busy.status == status:
                return
            busy.status = status
        self.line(f"{label}: {status}")

    def done(self, result: ApplyResult) -> None:
        """The final line for one Deployment, with its build report entries when it failed."""
        with self._lock:
            self._busy.pop(f"{result.target}/{result.key}", None)
        self.line(_final_line(result))
        for entry in result.entries:
            where = f" {entry.application}" if entry.application else ""
            self.line(f"  {entry.type}{where}: {entry.title or ''}: {entry.message or ''}")

    def _beat(self) -> None:
        while not self._stop.wait(self._heartbeat):
            now = self._clock()
            with self._lock:
                busy = sorted(self._busy.items())
            for label, state in busy:
                self.line(f"still {state.verb} {label}… {format_duration(now - state.since)}")


def _final_line(result: ApplyResult) -> str:
    facts = [text for text in (result.status, _version(result.version)) if text]
    facts.append(format_duration(result.duration))
    text = f"{result.target}/{result.key}: {result.action} {result.outcome} ({', '.join(facts)})"
    if result.error_code is not None:
        text += f": {result.error_code}: {result.error_message}"
    return text


def _version(version: int | None) -> str | None:
    return f"version {version}" if version is not None else None
