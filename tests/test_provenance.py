"""Provenance of the plan comment: flags win over GitHub Actions' variables; nothing unusable is shown."""

from __future__ import annotations

from gitsync.cli.provenance import comment_context, github_run_url
from gitsync.render.context import CommentContext

GITHUB = {
    "GITHUB_SHA": "4f2a9c1e8b7d6c5a4f3e2d1c0b9a8f7e6d5c4b3a",
    "GITHUB_SERVER_URL": "https://github.example/",
    "GITHUB_REPOSITORY": "acme/deploy",
    "GITHUB_RUN_ID": "812",
}


def test_github_actions_variables_give_commit_and_run_link() -> None:
    context = comment_context(None, None, GITHUB, ("refused",))
    assert context == CommentContext(
        commit=GITHUB["GITHUB_SHA"],
        run_url="https://github.example/acme/deploy/actions/runs/812",
        guards=("refused",),
    )


def test_flags_win_and_unusable_variables_are_left_out() -> None:
    assert comment_context("abcdef1", "https://ci.example/9", GITHUB, None).run_url == "https://ci.example/9"
    broken = {**GITHUB, "GITHUB_SHA": "main; rm -rf", "GITHUB_REPOSITORY": "acme/deploy (x)"}
    assert comment_context(None, None, broken, None) == CommentContext()
    assert github_run_url({"GITHUB_RUN_ID": "1"}) is None
