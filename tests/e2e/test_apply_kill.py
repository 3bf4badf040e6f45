"""Killing `gitsync apply` at random points and running it again converges (issue 10, "Done when").

Ten rounds, each with new work (every manifest's MERCHANT changes, one Deployment is added), each apply
killed with SIGKILL or SIGTERM after a random delay from a fixed seed: some while starting or planning,
most after their first write (creates and redeploys in flight, Deployments left Deploying). Then one apply
runs to the end (exit 0), a plan is all noop, and no Deployment was created twice.
"""

from __future__ import annotations

import random
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from apply_faults_support import (
    Live,
    assert_all_noop,
    gitsync_cli,
    key_name,
    live_emulator,
    report_of,
    start_cli,
    write_deployments,
)

KILLS = 10
FIRST_KEYS = 6
SEED = 20261130
APPLY = ("apply", "--yes", "--format", "json", "--timeout", "60s")


def _wait_until(condition: Callable[[], bool], process: subprocess.Popen[str], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)


def _kill_one_apply(live: Live, root: Path, rng: random.Random) -> tuple[int, bool]:
    """Start apply, kill it at a random point; its exit code and whether it had written before the kill."""
    signum = rng.choice([signal.SIGKILL, signal.SIGTERM])
    after_first_write = rng.random() < 0.7
    delay = rng.uniform(0.0, 1.2) if after_first_write else rng.uniform(0.1, 1.5)
    writes_before = live.recorder.writes()
    process = start_cli(root, *APPLY)
    try:
        if after_first_write:
            _wait_until(lambda: live.recorder.writes() > writes_before, process, 30)
        time.sleep(delay)
        wrote = live.recorder.writes() > writes_before
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert "Traceback" not in stderr, stderr
    finished = {signal.SIGKILL: (-signal.SIGKILL, 0), signal.SIGTERM: (130, -signal.SIGTERM, 0)}[signum]
    assert process.returncode in finished, (signum, process.returncode, stderr[-2000:])
    return process.returncode, wrote


def test_apply_killed_ten_times_at_random_points_then_run_again_converges(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    keys = [key_name(index) for index in range(FIRST_KEYS)]
    cut_mid_apply = 0
    with live_emulator(deploy_time=0.5) as live:
        root = write_deployments(tmp_path, live.url, keys)
        for round_ in range(KILLS):
            keys.append(key_name(FIRST_KEYS + round_))
            write_deployments(root, live.url, keys, merchant=f"merchant-{round_}")
            code, wrote = _kill_one_apply(live, root, rng)
            cut_mid_apply += wrote and code != 0
        final = gitsync_cli(root, *APPLY)
        report = report_of(final)
        assert final.returncode == 0, (final.stderr[-2000:], report.get("summary"))
        assert_all_noop(root)
        assert live.keys() == sorted(keys)
    assert cut_mid_apply >= 3, cut_mid_apply  # the loop really interrupted applies that had started writing
    creates = live.recorder.creates_by_key()
    assert set(creates) == set(keys) and max(creates.values()) == 1, creates
    assert live.recorder.codes()["DuplicateField"] == 0
