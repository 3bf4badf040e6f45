"""`gitsync apply` at a terminal and under signals: it asks, only `yes` applies; Ctrl-C reports what was sent
and what was not, then exits 130; the canary secured value appears in no output of any apply run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from apply_e2e_support import CANARY, apply_env, assert_no_canary, gitsync, live_emulator
from e2e_support import ADYEN, SEED, manifest, write_repo

PROJECT = "acme"


def _start_apply(root: Path) -> subprocess.Popen[str]:
    """``gitsync apply --yes`` in the background, off a terminal, for a test to signal."""
    return subprocess.Popen(
        [sys.executable, "-m", "gitsync", "apply", "--yes"],
        cwd=root,
        env=apply_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run_on_a_terminal(root: Path, answer: bytes, *args: str) -> subprocess.CompletedProcess[str]:
    """Run apply with a pseudo-terminal as stdin and ``answer`` typed into it."""
    master, slave = os.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "gitsync", "apply", *args],
            cwd=root,
            env=apply_env(),
            stdin=slave,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        os.write(master, answer)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        os.close(slave)
        os.close(master)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_on_a_terminal_only_yes_applies(tmp_path: Path) -> None:
    with live_emulator() as emulator:
        root = write_repo(
            tmp_path, emulator.url, {"prod": {"projectKey": PROJECT}}, {"prod/a.yaml": manifest("pay-a")}
        )
        declined = _run_on_a_terminal(root, b"y\n")
        writes_declined = emulator.writes()
        accepted = _run_on_a_terminal(root, b"yes\n")
        writes_accepted = emulator.writes()
    assert declined.returncode == 1, declined.stderr
    assert "Only 'yes' will be accepted" in declined.stderr
    assert "Apply cancelled; nothing was sent." in declined.stderr
    assert writes_declined == {}
    assert accepted.returncode == 0, accepted.stderr
    assert "Apply: 1 applied." in accepted.stdout
    assert writes_accepted == {"POST /{projectKey}/deployments": 1}
    assert_no_canary(declined, accepted)


def test_ctrl_c_while_waiting_reports_what_was_sent_and_exits_130(tmp_path: Path) -> None:
    with live_emulator(deploy_time=60) as emulator:
        manifests = {"prod/a.yaml": manifest("pay-a"), "prod/b.yaml": manifest("pay-b")}
        root = write_repo(tmp_path, emulator.url, {"prod": {"projectKey": PROJECT}}, manifests)
        process = _start_apply(root)
        deadline = time.monotonic() + 30
        while emulator.writes().get("POST /{projectKey}/deployments", 0) < 2:
            assert time.monotonic() < deadline, "apply never sent its creates"
            time.sleep(0.05)
        time.sleep(0.3)  # both are being waited for now
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
        took = time.monotonic() - started
    assert process.returncode == 130, stderr
    assert took < 10.0  # at most the 5 s grace for calls in flight, plus start-up slack on a busy machine
    rows = {line.split()[0]: line.split()[1:3] for line in stdout.splitlines()[1:3]}
    assert rows == {"prod/pay-a": ["create", "interrupted"], "prod/pay-b": ["create", "interrupted"]}
    assert "interrupted after a call was sent, before it settled" in stdout
    assert "Interrupted: run apply again to converge." in stdout
    assert "interrupted: the report above says what was sent and what was not" in stderr
    assert "Traceback" not in stderr


def test_the_canary_secret_appears_in_no_apply_output(tmp_path: Path) -> None:
    seed = {
        "connectors": [{**ADYEN, "key": "broken", "id": "c-broken", "failDeploy": True}, *SEED["connectors"]]
    }
    with live_emulator(seed) as emulator:
        manifests = {
            "prod/ok.yaml": manifest("pay-ok", secured=("ADYEN_API_KEY", "HMAC_KEY")),
            "prod/failing.yaml": manifest("pay-failing", connector={"key": "broken"}),
            # the API refuses an unknown key, and its error body may quote what was sent
            "prod/refused.yaml": manifest("pay-refused", secured=("ADYEN_API_KEY", "NOT_A_KEY")),
        }
        root = write_repo(tmp_path, emulator.url, {"prod": {"projectKey": PROJECT}}, manifests)
        canary_env = {"HMAC_KEY": CANARY, "NOT_A_KEY": CANARY}
        dry = gitsync(root, "apply", "--dry-run", "-v", env=canary_env)
        dry_json = gitsync(root, "apply", "--dry-run", "--format", "json", env=canary_env)
        applied = gitsync(root, "apply", "--yes", "-v", env=canary_env)
        again = gitsync(root, "apply", "--yes", "-v", "--format", "json", env=canary_env)
    assert applied.returncode == 1, applied.stderr
    results = {r["key"]: r for r in json.loads(again.stdout)["results"]}
    assert results["pay-failing"]["outcome"] == "failed"
    assert results["pay-refused"]["outcome"] == "failed" and results["pay-refused"]["error"]["code"]
    assert_no_canary(dry, dry_json, applied, again)
    crash_files = [line for line in applied.stderr.splitlines() if "gitsync-crash-" in line]
    assert crash_files == []


def test_sigterm_while_reading_live_state_says_nothing_was_sent(tmp_path: Path) -> None:
    with live_emulator(latency=1.0) as emulator:
        root = write_repo(
            tmp_path, emulator.url, {"prod": {"projectKey": PROJECT}}, {"prod/a.yaml": manifest("pay-a")}
        )
        process = _start_apply(root)
        deadline = time.monotonic() + 30
        while emulator.stats()["total"] == 0:
            assert time.monotonic() < deadline, "apply never called the API"
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=30)
        writes = emulator.writes()
    assert process.returncode == 130, stderr
    assert "interrupted while reading live state; nothing was sent" in stderr
    assert stdout == "" and writes == {}
    assert "Traceback" not in stderr
