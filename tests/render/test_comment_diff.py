"""The diff lines of the plan comment: short paths, cuts around the difference, notes and long values."""

from __future__ import annotations

from render_builders import CREATED_AT, live

from gitsync.plan.model import Change, Plan, Reason, Request
from gitsync.render.comment_diff import MAX_VALUE, cut_pair, diff_block, short_path
from gitsync.render.plan_markdown import plan_markdown


def test_short_paths() -> None:
    assert short_path("configurations.processor.standardConfiguration.K") == "processor.K"
    assert short_path("configurations.processor.securedConfiguration.K") == "processor.K"
    assert short_path("configurations.sync.schedule") == "sync.schedule"
    assert short_path("globalConfiguration.securedConfiguration.X") == "global.X"
    assert short_path("globalConfiguration.other") == "globalConfiguration.other"
    assert short_path("connector.version") == "connector.version"


def test_a_value_that_only_grows_is_cut_where_it_starts_to_differ() -> None:
    before, after = cut_pair("a" * 400, "a" * 400 + "TAIL")
    assert after.endswith("aTAIL") and after.startswith("…") and len(after) <= MAX_VALUE + 2
    assert before.startswith("…")


def test_a_reason_without_values_is_a_comment_and_a_long_created_value_is_cut() -> None:
    forced = Change(
        "s", "pay", "redeploy", "x.yaml", live(), (Reason("redeploy", note="requested with --redeploy"),)
    )
    assert diff_block(forced) == "```diff\n# redeploy: requested with --redeploy\n```"
    body = {"key": "pay", "connector": {"key": "c", "version": 1}, "region": "r" * 1_000}
    create = Change("s", "pay", "create", "x.yaml", None, (), Request("POST", "/p/deployments", body))
    line = next(line for line in diff_block(create).splitlines() if line.startswith("+ region"))
    assert line.endswith("…") and len(line) < MAX_VALUE + 20


def test_an_empty_plan_has_no_table() -> None:
    output = plan_markdown(Plan((), (), CREATED_AT))
    assert "| target |" not in output and "no changes" in output
