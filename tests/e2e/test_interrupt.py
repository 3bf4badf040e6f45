"""SIGTERM (as CI sends on cancel) stops `gitsync plan` with exit 130 and one line, never a traceback."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from e2e_support import cli_env, manifest, running_emulator, write_repo


def test_sigterm_while_reading_live_state_exits_130(tmp_path: Path) -> None:
    with running_emulator(latency=1.0) as emulator:
        root = write_repo(
            tmp_path, emulator.url, {"staging": {"projectKey": "acme"}}, {"staging/a.yaml": manifest("aa")}
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "gitsync", "plan"],
            cwd=root,
            env=cli_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while emulator.stats()["total"] == 0 and time.monotonic() < deadline:
            time.sleep(0.05)  # wait until the plan is talking to the API
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "interrupted"
    assert "Traceback" not in stderr
    assert stdout == ""
