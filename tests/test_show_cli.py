"""`gitsync show FILE` as a user runs it: a subprocess on a saved plan, in each format, and on bad files."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gitsync.cli import run
from gitsync.errors import PlanFileError
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
    assert "<details><summary>🟡 <b>redeploy</b> <code>pay</code>" in result.stdout
    assert "Guards: not checked" in result.stdout  # a saved plan comes without its configuration


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


# --- damaged and odd plan files (found by hand and by tests/fuzz_files): one error line, exit 1, no hang ---


def _show_in_process(path: Path, capsys: pytest.CaptureFixture[str], fmt: str = "text") -> tuple[int, str]:
    started = time.monotonic()
    code = run(["show", "--format", fmt, str(path)])
    out, err = capsys.readouterr()
    assert time.monotonic() - started < 5
    assert "Traceback" not in err and "internal error" not in err
    assert out == ""
    return code, err


SAVED = PLAN.to_dict()
LIVE_INDEX = 1  # the redeploy: it has a live state
DAMAGED_PLANS = {
    "changes a string": ({**SAVED, "changes": "abc"}, "damaged"),
    "targets a string": ({**SAVED, "targets": "abc"}, "damaged"),
    "a target a list": ({**SAVED, "targets": [[]]}, "damaged"),
    "live version Infinity": (
        {
            **SAVED,
            "changes": [
                {**SAVED["changes"][LIVE_INDEX], "live": {"id": "i", "version": float("inf"), "status": "x"}}
            ],
        },
        "damaged",
    ),
    "a reason a number": (
        {**SAVED, "changes": [{**SAVED["changes"][LIVE_INDEX], "reasons": [5]}]},
        "damaged",
    ),
    "request a list": ({**SAVED, "changes": [{**SAVED["changes"][0], "request": [1]}]}, "damaged"),
    "a 5000-digit number": ('{"formatVersion": ' + "9" * 5000 + "}", "a number is too long"),
    "nested past the recursion limit": ("[" * 100_000 + "]" * 100_000, "nested too deep"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGED_PLANS))
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_show_a_hand_damaged_plan_is_one_error(
    damage: str, fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, expected = DAMAGED_PLANS[damage]
    path = tmp_path / "plan.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    code, err = _show_in_process(path, capsys, fmt)
    assert code == 1
    assert err.startswith(f"error: {path}") and expected in err and err.count("\n") == 1


def test_show_refuses_a_plan_nested_deeper_than_gitsync_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep: object = "x"
    for _ in range(200):
        deep = [deep]
    path = tmp_path / "plan.json"
    path.write_text(
        json.dumps(
            {
                **SAVED,
                "changes": [{**SAVED["changes"][LIVE_INDEX], "reasons": [{"path": "p", "before": deep}]}],
            }
        )
    )
    code, err = _show_in_process(path, capsys)
    assert code == 1
    assert "nested over 64 levels" in err


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("fifo", "a FIFO (named pipe)"), ("device", "a character device"), ("directory", "a directory")],
)
def test_show_an_odd_file_is_refused_without_reading(
    kind: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    code, err = _show_in_process(path, capsys)
    assert code == 1
    assert f"cannot read the plan file: it is {expected}" in err


# --- plan --out: where a saved plan may be written (gitsync.files rules) ---


def test_save_writes_through_a_symlink_to_a_regular_file(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "plan.json"
    link.symlink_to(real.name)
    save_plan(PLAN, link)
    assert link.is_symlink()
    assert json.loads(real.read_text()) == PLAN.to_dict()


@pytest.mark.parametrize("kind", ["fifo", "device", "directory", "dangling symlink"])
def test_save_refuses_to_replace_what_is_not_a_regular_file(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/null")
    elif kind == "directory":
        path.mkdir()
    else:
        path.symlink_to("nowhere.json")
    with pytest.raises(PlanFileError, match=f"cannot write the plan to {path}: it is"):
        save_plan(PLAN, path)
    assert os.path.lexists(path)
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["plan.json"]
    if kind == "fifo":
        assert stat.S_ISFIFO(path.stat().st_mode)
    if kind in ("device", "dangling symlink"):
        assert path.is_symlink()
