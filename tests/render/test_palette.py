"""The one palette: every colour comes from render.palette through click.style, and none without colour."""

from __future__ import annotations

import io
import re

import pytest

from gitsync.manifest.problems import Problem
from gitsync.plan.model import ACTIONS
from gitsync.render.palette import STYLES, paint
from gitsync.render.problems import render_problems

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.parametrize("role", sorted(STYLES))
def test_every_role_colours_only_when_asked(role: str) -> None:
    coloured = paint("text", role, True)  # type: ignore[arg-type]
    assert coloured != "text" and ANSI.sub("", coloured) == "text" and coloured.endswith("\x1b[0m")
    assert paint("text", role, False) == "text"  # type: ignore[arg-type]


def test_every_action_has_a_style_and_adds_and_removes_differ() -> None:
    assert set(ACTIONS) <= set(STYLES)
    assert paint("x", "create", True) == "\x1b[32mx\x1b[0m"
    assert paint("x", "delete", True) == "\x1b[31mx\x1b[0m"


def test_a_coloured_problem_reads_as_the_plain_one() -> None:
    problems = [Problem("a.yaml", 3, 5, "schema", "bad value")]
    plain, coloured = io.StringIO(), io.StringIO()
    render_problems(problems, "text", plain)
    render_problems(problems, "text", coloured, color=True)
    assert plain.getvalue() == "a.yaml:3:5: error[schema]: bad value\n"
    assert "\x1b[31merror[schema]\x1b[0m" in coloured.getvalue()
    assert ANSI.sub("", coloured.getvalue()) == plain.getvalue()
