"""One interrupt mechanism for every command that talks to the API (plan today, apply later).

The CLI's signal handler calls ``CancelToken.cancel()``; from then on no new request is sent (``Wire``
checks the token before each one) and every retry sleep ends at once. Worker threads see
``Interrupted`` (a ``KeyboardInterrupt``), so thread pools hand it to the main thread like Ctrl-C.
"""

from __future__ import annotations

import threading


class Interrupted(KeyboardInterrupt):
    """The user (Ctrl-C) or the CI runner (SIGTERM) stopped the command: nothing new is sent."""


class CancelToken:
    """A one-way switch shared by every client and thread of one command; thread-safe."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def __repr__(self) -> str:
        return f"CancelToken(cancelled={self.cancelled})"

    def cancel(self) -> None:
        """Stop: safe to call from a signal handler (it only sets an event)."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise ``Interrupted`` once cancelled; called before every request."""
        if self._event.is_set():
            raise Interrupted

    def sleep(self, seconds: float) -> None:
        """``time.sleep`` that an interrupt ends at once (raising ``Interrupted``)."""
        if self._event.wait(max(seconds, 0.0)):
            raise Interrupted
