"""Bidi and control characters from files are shown escaped in every human output: plan text, Markdown, and
validate's text and GitHub reports (a U+202E RIGHT-TO-LEFT OVERRIDE would make a PR comment read reversed)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from render_builders import CREATED_AT, STAGING, live

from gitsync.cli import run
from gitsync.manifest.problems import Problem
from gitsync.plan.model import Change, Plan, Reason
from gitsync.render import markdown_text, plan_text, render_plan
from gitsync.render.escape import clean
from gitsync.render.problems import render_problems

HOSTILE = "evil\u202etxt.exe\x1b[31m\u200b\u2028\x07"
RAW = ("\u202e", "\x1b", "\u200b", "\u2028", "\x07")


def _plan() -> Plan:
    reason = Reason("configurations.app.standardConfiguration.NOTE", "a", HOSTILE, note=HOSTILE)
    change = Change("staging", "pay", "redeploy", f"deployments/{HOSTILE}.yaml", live(), (reason,))
    error = Change("staging", "broken", "error", "deployments/broken.yaml", error=HOSTILE)
    return Plan((STAGING,), (change, error), CREATED_AT)


def test_the_escape_is_one_function_shared_by_every_renderer() -> None:
    assert plan_text.clean is markdown_text.clean is clean
    assert clean(HOSTILE) == "evil\\u202etxt.exe\\x1b[31m\\u200b\\u2028\\x07"
    assert clean("plain text, ünïcödé and 日本語") == "plain text, ünïcödé and 日本語"


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_plans_show_bidi_and_control_characters_escaped(fmt: str) -> None:
    stream = io.StringIO()
    render_plan(_plan(), fmt, stream)
    output = stream.getvalue()
    assert not any(char in output for char in RAW), repr(output)
    assert "\\u202e" in output


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_validate_reports_show_bidi_and_control_characters_escaped(fmt: str) -> None:
    stream = io.StringIO()
    render_problems([Problem(f"{HOSTILE}.yaml", 1, 1, "schema", f"value {HOSTILE}")], fmt, stream)
    output = stream.getvalue()
    assert not any(char in output for char in RAW), repr(output)
    assert output.count("\\u202e") == 2


def test_validate_on_a_file_named_with_a_bidi_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    name = "pay\u202elmay.yaml"
    (tmp_path / name).write_text("key: [\n")
    for fmt in ("text", "github"):
        assert run(["validate", "--format", fmt, name]) == 1
        out, _ = capsys.readouterr()
        assert "\u202e" not in out and "pay\\u202elmay.yaml" in out
