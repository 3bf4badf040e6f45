"""A canary secret never leaves `gitsync apply` (issue 10, SPEC §5): not as a secured value, not as the client
secret, nor any access token the API handed out; in no stdout (report, JSON, dry run), stderr (plan shown,
progress, `-v` call log, errors) or file the command leaves (a saved plan, any crash file: TMPDIR points into
the test's tmp_path and every file there is searched), including failures: a connector whose deploy fails,
an API error that quotes the request body, lost create answers, a real 409 and an interrupt.
"""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from apply_faults_support import (
    BROKEN,
    CANARY_ENV,
    CLIENT_CANARY,
    CREATE_PATH,
    PROJECT,
    SECURED_CANARY,
    Live,
    gitsync_cli,
    live_emulator,
    redeploy_behind_apply,
    report_of,
    start_cli,
    write_deployments,
)
from e2e_support import SEED, deployment, processor

LIVE_SEED: dict[str, Any] = {
    "connectors": [*SEED["connectors"], BROKEN],
    "deployments": [
        deployment(PROJECT, key, configurations=[processor("Old")]) for key in ("moved", "changed")
    ],
}


def _env(tmp_path: Path) -> dict[str, str]:
    crash_dir = tmp_path / "tmp"
    crash_dir.mkdir(exist_ok=True)
    return {**CANARY_ENV, "TMPDIR": str(crash_dir)}


def _assert_no_secret(tmp_path: Path, live: Live, *runs: subprocess.CompletedProcess[str]) -> None:
    """No canary and no issued token in any output of ``runs`` nor in any file under ``tmp_path``."""
    secrets = {SECURED_CANARY, CLIENT_CANARY, *live.recorder.tokens}
    assert len(secrets) > 2  # the CLI did get a token, so the token check is a real one
    for run in runs:
        assert run.returncode != 4, run.stderr  # a crash is a bug, whatever the crash file holds
        for secret in secrets:
            assert secret not in run.stdout and secret not in run.stderr, (secret[:6], run.args)
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert files
    for path in files:
        text = path.read_bytes().decode(errors="replace")
        for secret in secrets:
            assert secret not in text, (secret[:6], path)


def test_no_secret_in_any_output_of_a_successful_apply(tmp_path: Path) -> None:
    env = _env(tmp_path)
    with live_emulator(LIVE_SEED, deploy_time=0.2) as live:
        root = write_deployments(tmp_path, live.url, ["fresh-a", "fresh-b", "changed"])
        dry = gitsync_cli(root, "-v", "apply", "--dry-run", env=env)
        text = gitsync_cli(root, "-v", "apply", "--yes", env=env)
        write_deployments(root, live.url, ["fresh-a", "fresh-b", "changed"], merchant="Other")
        saved = gitsync_cli(root, "plan", "--out", "reviewed.json", env=env)
        by_plan = gitsync_cli(
            root, "-v", "apply", "--yes", "--plan", "reviewed.json", "--format", "json", env=env
        )
        assert [run.returncode for run in (dry, text, saved, by_plan)] == [0, 0, 0, 0], by_plan.stderr
        assert (root / "reviewed.json").is_file()
        assert {r["outcome"] for r in report_of(by_plan)["results"]} >= {"applied"}
        assert "(sensitive)" in dry.stdout or "***" in dry.stdout  # the dry run shows masked values
        _assert_no_secret(tmp_path, live, dry, text, saved, by_plan)


def test_no_secret_in_any_output_of_a_failing_apply(tmp_path: Path) -> None:
    env = _env(tmp_path)
    with live_emulator(LIVE_SEED, deploy_time=0.2) as live:
        keys = ["fails-to-deploy", "echoed", "moved", "answer-lost", "fine"]
        root = write_deployments(tmp_path, live.url, keys, broken=["fails-to-deploy"])
        live.recorder.echo_keys.add("echoed")  # a 400 whose message quotes the body, secured value and all
        moved = f"/{PROJECT}/deployments/key=moved"  # redeployed by someone else just before apply's call
        live.recorder.before[("POST", moved)] = lambda: redeploy_behind_apply(live.url, "moved")
        lost = {"method": "POST", "path": CREATE_PATH, "status": 503, "after": True, "times": 1}
        live.admin("POST", "faults", {"faults": [lost]})
        text = gitsync_cli(root, "-v", "apply", "--yes", env=env)
        live.recorder.echo_keys.add("fine")
        as_json = gitsync_cli(root, "-v", "apply", "--yes", "--format", "json", env=env)
        assert text.returncode == 1 and as_json.returncode == 1, text.stderr
        assert "fails-to-deploy" in text.stdout and "Failed" in text.stdout
        assert "InvalidInput" in text.stdout
        assert any(c.status == 409 and c.code == "ConcurrentModification" for c in live.recorder.snapshot())
        outcomes = {r["key"]: r["outcome"] for r in report_of(as_json)["results"]}
        assert outcomes["fails-to-deploy"] == "failed" and outcomes["echoed"] == "failed"
        _assert_no_secret(tmp_path, live, text, as_json)


def test_no_secret_in_any_output_of_an_interrupted_apply(tmp_path: Path) -> None:
    env = _env(tmp_path)
    with live_emulator(LIVE_SEED, deploy_time=3.0) as live:
        root = write_deployments(tmp_path, live.url, [f"slow-{n}" for n in range(6)])
        process = start_cli(root, "-v", "apply", "--yes", "--format", "json", env=env)
        try:
            while live.recorder.writes() == 0 and process.poll() is None:
                time.sleep(0.01)
            process.send_signal(signal.SIGTERM)
            stdout, stderr = process.communicate(timeout=30)
        finally:
            process.kill()
        run = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
        assert run.returncode == 130, stderr
        outcomes = {r["outcome"] for r in report_of(run)["results"]}
        assert outcomes & {"interrupted", "not-submitted"}
        _assert_no_secret(tmp_path, live, run)
