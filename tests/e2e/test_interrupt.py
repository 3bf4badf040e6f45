"""Ctrl-C and SIGTERM (as CI sends on cancel) stop `gitsync plan`: exit 130 within 2 s, one line, no
traceback, and nothing sent after the signal, even when the API is silent, trickles or is down (issue 7.7).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_support import CLIENT_SECRET, cli_env, manifest, running_emulator, write_repo
from rogue_server import free_port, rogue_server, silent, trickle


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


def _start_plan(root: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "gitsync", "plan"],
        cwd=root,
        env=cli_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the plan never reached the API"
        time.sleep(0.02)


def _signal_and_time(process: subprocess.Popen[str], signum: int) -> tuple[float, float, str]:
    """Send ``signum``; the moment it was sent, seconds until the process ended, and its stderr."""
    sent = time.monotonic()
    process.send_signal(signum)
    try:
        _, stderr = process.communicate(timeout=15)
    finally:
        process.kill()
    return sent, time.monotonic() - sent, stderr


def _repo(tmp_path: Path, url: str) -> Path:
    manifests = {f"staging/{key}.yaml": manifest(key) for key in ("aa", "bb", "cc")}
    return write_repo(tmp_path, url, {"staging": {"projectKey": "acme"}}, manifests)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_silent_api_is_left_within_2_s_and_nothing_is_sent_after_the_signal(
    tmp_path: Path, signum: int
) -> None:
    with rogue_server(silent) as rogue:
        process = _start_plan(_repo(tmp_path, rogue.url))
        _wait_for(lambda: len(rogue.arrivals) > 0)
        time.sleep(0.3)  # the other reader threads are now waiting for the token
        sent, took, stderr = _signal_and_time(process, signum)
        late = rogue.requests_after(sent)
    assert process.returncode == 130, stderr
    assert took < 2.0
    assert late == []
    assert stderr.strip().splitlines()[-1] == "interrupted"
    assert "Traceback" not in stderr


def test_an_answer_trickling_in_is_abandoned_within_2_s(tmp_path: Path) -> None:
    with rogue_server(trickle(pause=0.5)) as rogue:
        process = _start_plan(_repo(tmp_path, rogue.url))
        _wait_for(lambda: len(rogue.arrivals) > 0)
        time.sleep(1.2)  # mid-answer: a few bytes of the status line have arrived
        sent, took, stderr = _signal_and_time(process, signal.SIGTERM)
        late = rogue.requests_after(sent)
    assert process.returncode == 130, stderr
    assert took < 2.0
    assert late == []
    assert "Traceback" not in stderr


def test_a_stopped_api_is_left_within_2_s_while_retrying(tmp_path: Path) -> None:
    # nothing listens: every try is refused and the client sleeps between retries (about 8 s in all)
    process = _start_plan(_repo(tmp_path, f"http://127.0.0.1:{free_port()}"))
    time.sleep(1.5)
    assert process.poll() is None, "the plan gave up before the signal"
    _, took, stderr = _signal_and_time(process, signal.SIGINT)
    assert process.returncode == 130, stderr
    assert took < 2.0
    assert "Traceback" not in stderr


def test_a_second_ctrl_c_leaves_at_once(tmp_path: Path) -> None:
    with rogue_server(silent) as rogue:
        process = _start_plan(_repo(tmp_path, rogue.url))
        _wait_for(lambda: len(rogue.arrivals) > 0)
        process.send_signal(signal.SIGINT)
        sent, took, stderr = _signal_and_time(process, signal.SIGINT)
        late = rogue.requests_after(sent)
    assert process.returncode == 130, stderr
    assert took < 1.0
    assert late == []
    assert "Traceback" not in stderr


def test_a_trickling_api_costs_at_most_the_call_time_limit(tmp_path: Path) -> None:
    """Issue 7.6: one byte a second used to keep plan reading forever; now the call's total limit ends it."""
    with rogue_server(trickle(pause=0.3)) as rogue:
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "gitsync", "plan"],
            cwd=_repo(tmp_path, rogue.url),
            env=cli_env({"GITSYNC_HTTP_TIMEOUT": "2"}),
            capture_output=True,
            text=True,
            timeout=60,
        )
        took = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    assert took < 10
    assert "target 'staging' (project acme at 127.0.0.1:" in result.stderr
    assert "total time limit of 2 s" in result.stderr
    assert "Traceback" not in result.stderr and CLIENT_SECRET not in result.stderr


@pytest.mark.parametrize("value", ["soon", "0", "-5", "nan", "inf"])
def test_a_bad_call_time_limit_is_an_error_naming_the_variable(tmp_path: Path, value: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gitsync", "plan"],
        cwd=_repo(tmp_path, "http://127.0.0.1:9"),
        env=cli_env({"GITSYNC_HTTP_TIMEOUT": value}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "GITSYNC_HTTP_TIMEOUT" in result.stderr and "Traceback" not in result.stderr
