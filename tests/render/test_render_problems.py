"""Validation reports: the registry of formats and the summary line for stderr."""

from __future__ import annotations

import io

import pytest

from gitsync.manifest.problems import Problem
from gitsync.render.problems import PROBLEM_FORMATS, render_problems, summary_line


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
