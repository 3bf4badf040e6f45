"""`gitsync apply` end to end: an emulator on the real clock with a short deploy time, and the CLI run as a
subprocess with stdin that is not a terminal (so a missing --yes can never hang a test on a prompt).

`running_emulator` (e2e_support) uses a ManualClock, which never moves while the CLI polls from another
process; apply needs Deployments that settle by themselves, so this emulator runs on a MonotonicClock.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from e2e_support import SEED, EmulatorAdmin, cli_env

from gitsync.emulator import EmulatorApp, MonotonicClock, serve

CANARY = "canary-7Hq2-never-print-me"
"""The secured value of every apply test's manifests (ADYEN_API_KEY): it must appear in no output."""
DEPLOY_TIME = 0.05
WRITES = ("POST", "DELETE")


@dataclass
class LiveEmulator(EmulatorAdmin):
    """A running emulator on the real clock and its admin routes."""

    app: EmulatorApp

    def writes(self) -> dict[str, int]:
        """API writes served so far by route (the token request is not a write)."""
        requests: dict[str, int] = self.stats()["requests"]
        return {
            route: count
            for route, count in requests.items()
            if route.split(" ")[0] in WRITES and not route.endswith("/oauth/token")
        }


@contextmanager
def live_emulator(
    seed: Mapping[str, Any] = SEED, *, deploy_time: float = DEPLOY_TIME, **options: Any
) -> Iterator[LiveEmulator]:
    app = EmulatorApp(dict(seed), deploy_time=deploy_time, clock=MonotonicClock(), **options)
    server = serve(app, port=0)
    try:
        yield LiveEmulator(url=server.url, app=app)
    finally:
        server.stop()


def apply_env(env: Mapping[str, str] | None = None, unset: tuple[str, ...] = ()) -> dict[str, str]:
    """The CLI's environment with the canary as the secured value apply sends."""
    return cli_env({"ADYEN_API_KEY": CANARY, **(env or {})}, unset)


def gitsync(
    cwd: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    unset: tuple[str, ...] = (),
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run the CLI in ``cwd`` with stdin from /dev/null (not a terminal) and the canary set."""
    return subprocess.run(
        [sys.executable, "-m", "gitsync", *args],
        cwd=cwd,
        env=apply_env(env, unset),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_no_canary(*results: subprocess.CompletedProcess[str]) -> None:
    for result in results:
        assert CANARY not in result.stdout + result.stderr
        assert "Traceback" not in result.stderr, result.stderr
