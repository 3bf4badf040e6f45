"""`gitsync show FILE` as a user runs it: a subprocess on a saved plan, in each format, and on bad files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gitsync.plan.model import Change, LiveState, Plan, Reason, Request, TargetInfo
from gitsync.plan.saved import save_plan

TARGET = TargetInfo(name="staging", project_key="acme-staging", region="europe-west1.gcp")
PLAN = Plan(
    targets=(TARGET,),
    changes=(
        Change(
            "staging", "new", "create", "deployments/new.yaml", request=Request("POST", "/acme-staging/x")
        ),
        Change(
            "staging",
            "pay",
            "redeploy",
            "deployments/pay.yaml",
            LiveState("id-1", 4, "Deployed"),
            (Reason("configurations.processor.standardConfiguration.ADYEN_ENV", "TEST", "LIVE"),),
            Request("POST", "/acme-staging/deployments/key=pay", {"version": 4, "actions": []}),
        ),
        Change("staging", "same", "noop", "deployments/same.yaml", LiveState("id-2", 1, "Deployed")),
    ),
    created_at="2026-11-26T12:00:00Z",
)


def gitsync(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    command = [sys.executable, "-m", "gitsync", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env, check=False)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("show") / "plan.json"
    save_plan(PLAN, path)
    return path


def test_show_prints_the_text_plan_by_default(saved: Path) -> None:
    result = gitsync("show", str(saved))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "target staging (acme-staging, europe-west1.gcp)",
        "  + create new  (deployments/new.yaml)",
        "  ~ redeploy pay  (deployments/pay.yaml)",
        '    configurations.processor.standardConfiguration.ADYEN_ENV: "TEST" → "LIVE"',
        "",
        "Plan: 1 to create, 1 to redeploy, 0 to replace, 0 to delete, 1 unchanged, "
        "0 waiting, 0 unmanaged, 0 errors.",
    ]
    assert "\x1b[" not in result.stdout


def test_show_json_is_the_saved_document(saved: Path) -> None:
    result = gitsync("show", str(saved), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(saved.read_text())
    assert Plan.from_dict(json.loads(result.stdout)).checksum() == PLAN.checksum()


def test_show_markdown_is_a_pr_comment(saved: Path) -> None:
    result = gitsync("--no-color", "show", "--format", "markdown", str(saved))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<!-- gitsync-plan -->\n")
    assert "<details><summary>~ redeploy <code>pay</code> (staging)</summary>" in result.stdout


def test_show_a_damaged_file_is_one_error_line_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{"formatVersion": 1, "targets": [')
    result = gitsync("show", str(path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {path}:1:")
    assert "not valid JSON" in result.stderr and "gitsync plan --out" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_a_missing_file_says_how_to_make_one(tmp_path: Path) -> None:
    result = gitsync("show", str(tmp_path / "nope.json"))
    assert result.returncode == 1
    assert "no such plan file" in result.stderr and "Traceback" not in result.stderr


def test_show_an_unknown_format_is_a_usage_error(saved: Path) -> None:
    result = gitsync("show", str(saved), "--format", "yaml")
    assert result.returncode == 64
    assert "yaml" in result.stderr
