"""The one palette: every colour comes from render.palette through click.style, and none without colour."""

from __future__ import annotations

import io
import re

import pytest

from gitsync.manifest.problems import Problem
from gitsync.plan.model import ACTIONS
from gitsync.render.palette import STYLES, paint
from gitsync.render.problems import PROBLEM_FORMATS, render_problems, summary_line

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


def test_an_unknown_problem_format_is_refused_naming_the_known_ones() -> None:
    assert PROBLEM_FORMATS == ("text", "json", "github")
    with pytest.raises(
        ValueError, match=r"unknown problem report format 'yaml'; use one of text, json, github"
    ):
        render_problems([], "yaml", io.StringIO())


def test_the_validate_summary_counts_problems_in_and_outside_the_manifests() -> None:
    inside, outside = Problem("a.yaml", 1, 1, "schema", "x"), Problem("gitsync.yaml", 1, 1, "config", "y")
    assert summary_line([], {"a.yaml"}) == "1 file checked, no problems"
    assert summary_line([inside], set()) == "1 problem, no file checked"
    assert summary_line([outside], {"a.yaml"}) == "1 problem (not in a manifest); 1 file checked"
    assert summary_line([inside], {"a.yaml", "b.yaml"}) == "1 problem in 1 of 2 files checked"
    assert summary_line([inside, outside], {"a.yaml"}) == (
        "2 problems: 1 in 1 of 1 file checked, 1 not in a manifest"
    )
