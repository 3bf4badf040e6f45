"""`gitsync show FILE` refuses the selecting global options instead of ignoring them: it prints a saved plan
whole, as `apply --plan` would apply it, so a filter it silently dropped would mislead."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gitsync.plan.model import Change, Plan, Request, TargetInfo
from gitsync.plan.saved import save_plan

PLAN = Plan(
    targets=(TargetInfo(name="staging", project_key="acme-staging", region="europe-west1.gcp"),),
    changes=(Change("staging", "new", "create", "deployments/new.yaml", request=Request("POST", "/x")),),
    created_at="2026-11-26T12:00:00Z",
)


def _gitsync(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    command = [sys.executable, "-m", "gitsync", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env, check=False)


@pytest.mark.parametrize(
    ("before", "after", "named"),
    [
        ((), ("--target", "staging"), "--target"),
        (("--target", "staging"), (), "--target"),
        ((), ("--only", "new"), "--only"),
        ((), ("--exclude", "old-*"), "--exclude"),
        ((), ("--config", "gitsync.yaml"), "--config"),
        (("--only", "a"), ("--exclude", "b"), "--only, --exclude"),
    ],
)
def test_selecting_options_are_usage_errors(
    tmp_path: Path, before: tuple[str, ...], after: tuple[str, ...], named: str
) -> None:
    save_plan(PLAN, tmp_path / "plan.json")
    result = _gitsync(*before, "show", str(tmp_path / "plan.json"), *after)
    assert result.returncode == 64, result.stderr
    assert result.stdout == ""
    assert f"show prints a saved plan whole and does not take {named}; select when planning" in result.stderr
    assert "Traceback" not in result.stderr


def test_other_global_options_still_work(tmp_path: Path) -> None:
    save_plan(PLAN, tmp_path / "plan.json")
    result = _gitsync("show", str(tmp_path / "plan.json"), "--no-color", "-v")
    assert result.returncode == 0, result.stderr
    assert "+ create new" in result.stdout
