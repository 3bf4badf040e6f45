"""The Markdown plan (PR comment): marker, summary table first, escaped details, and a size budget."""

from __future__ import annotations

import io

from render_builders import CREATED_AT, STAGING, every_action_plan, live, post

from gitsync.plan.model import Change, Plan, Reason
from gitsync.render import render_plan
from gitsync.render.plan_markdown import BUDGET, escape

GITHUB_LIMIT = 65_536


def markdown(plan: Plan) -> str:
    stream = io.StringIO()
    render_plan(plan, "markdown", stream, color=True)
    return stream.getvalue()


def big_plan(count: int = 400) -> Plan:
    long_value = "v" * 2_000
    changes = tuple(
        Change(
            "staging",
            f"deployment-{index:04d}",
            "redeploy",
            f"deployments/staging/deployment-{index:04d}.yaml",
            live(),
            tuple(
                Reason(f"configurations.app.standardConfiguration.K{n}", long_value, "x") for n in range(5)
            ),
            post("acme-staging", f"deployment-{index:04d}"),
        )
        for index in range(count)
    )
    return Plan(targets=(STAGING,), changes=changes, created_at=CREATED_AT)


def test_starts_with_the_marker_then_heading_and_summary_table() -> None:
    lines = markdown(every_action_plan()).splitlines()
    assert lines[0] == "<!-- gitsync-plan -->"
    assert lines[1].startswith("## ")
    table = lines.index(
        "| target | + create | ~ redeploy | -/+ replace | - delete | = noop | … wait "
        "| ? unmanaged | ! error |"
    )
    assert lines[table + 2] == "| staging (acme-staging, europe-west1.gcp) | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 |"
    assert lines[table + 3] == "| production (acme-prod, us-central1.gcp) | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 |"
    assert table < lines.index("<details><summary>+ create <code>new-one</code> (staging)</summary>")


def test_one_details_block_per_non_noop_deployment() -> None:
    output = markdown(every_action_plan())
    assert output.count("<details>") == output.count("</details>") == 8
    assert "<details><summary>~ redeploy <code>pay</code> (production)</summary>" in output
    assert "<code>same</code>" not in output


def test_details_show_path_before_after_and_the_requests() -> None:
    output = markdown(every_action_plan())
    assert (
        '| <code>region</code> | <code>"europe-west1.gcp"</code> | <code>"us-central1.gcp"</code> '
        "| forces replacement |"
    ) in output
    assert "<code>(absent)</code> | <code>(sensitive)</code>" in output
    assert (
        "Request: <code>DELETE /acme-staging/deployments/key=moved</code>, "
        "then <code>POST /acme-staging/deployments</code>"
    ) in output
    assert "**error:** payments-main is protected" in output


def test_values_are_escaped_for_markdown_tables_and_html() -> None:
    nasty = "a|b <script>alert(1)</script> `tick` *bold* _it_\nnext"
    change = Change("staging", "pay", "redeploy", "x.yaml", live(), (Reason("k", nasty, "ok"),))
    output = markdown(Plan(targets=(STAGING,), changes=(change,), created_at=CREATED_AT))
    row = next(line for line in output.splitlines() if line.startswith("| <code>k</code>"))
    assert "<script>" not in output and "&lt;script&gt;" in row
    assert row.count("|") == 5  # the cell's own pipe cannot split the row
    assert "`" not in row and "*bold*" not in row
    assert escape("a|b") == "a&#124;b"


def test_a_plan_of_400_long_changes_stays_under_githubs_limit_with_summary_and_cut_note() -> None:
    output = markdown(big_plan())
    assert len(output) < GITHUB_LIMIT
    assert len(output) <= BUDGET
    assert output.startswith("<!-- gitsync-plan -->\n")
    assert "| staging (acme-staging, europe-west1.gcp) | 0 | 400 | 0 |" in output
    shown = output.count("<details>")
    assert 0 < shown < 400
    assert output.rstrip().endswith(
        f"_{400 - shown} more changes not shown: the full plan is in the job log / `gitsync show plan.json`._"
    )
    assert output.count("<details>") == output.count("</details>")


def test_long_values_are_cut_in_cells() -> None:
    output = markdown(big_plan(1))
    assert "v" * 2_000 not in output
    assert "v" * 200 in output
    assert "more changes not shown" not in output


def test_a_small_plan_is_never_cut() -> None:
    assert "more changes not shown" not in markdown(every_action_plan())


def test_a_wait_shows_only_the_live_status() -> None:
    output = markdown(every_action_plan())
    row = (
        '| <code>status</code> | <code>"Deploying"</code> |  '
        "| busy: apply waits for it to settle, then plans it |"
    )
    assert row in output
    assert output.count("<code>(absent)</code>") == 2  # the NEW_KEY before and the delete's after only
