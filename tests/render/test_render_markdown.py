"""The pull-request comment, asserted on the HTML GitHub's own renderer (cmark-gfm) makes of it."""

from __future__ import annotations

import io
import re

from github_html import links, render, visible
from render_builders import CREATED_AT, PRODUCTION, STAGING, every_action_plan, live, post

from gitsync.plan.model import Change, Plan, Reason, Request
from gitsync.plan.removes import Removed
from gitsync.render import render_plan
from gitsync.render.context import CommentContext
from gitsync.render.plan_markdown import BUDGET, MARKER, plan_markdown

GITHUB_LIMIT = 65_536
RUN = "https://github.com/acme/deploy/actions/runs/812"
ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z]+);")
REMOVED = Removed(
    connector_id="c-1",
    connector_version=7,
    connector_key="adyen-connector",
    type="production",
    region="europe-west1.gcp",
    standard=(("configurations.processor.standardConfiguration.ADYEN_ENV", "LIVE"),),
    secured=("configurations.processor.securedConfiguration.ADYEN_API_KEY",),
)


def markdown(plan: Plan, context: CommentContext | None = None) -> str:
    stream = io.StringIO()
    render_plan(plan, "markdown", stream, color=True, context=context or CommentContext())
    return stream.getvalue()


def delete(key: str, target: str = "staging", removes: Removed | None = REMOVED) -> Change:
    return Change(
        target,
        key,
        "delete",
        live=live(1),
        reasons=(Reason("manifest", key, None, "no manifest; the target prunes"),),
        request=Request("DELETE", f"/acme-{target}/deployments/key={key}"),
        removes=removes,
    )


def redeploy(key: str, before: str, after: str, target: str = "staging") -> Change:
    reason = Reason("configurations.processor.standardConfiguration.URL", before, after)
    return Change(target, key, "redeploy", f"deployments/{key}.yaml", live(), (reason,), post("p", key))


def test_the_marker_comes_first_and_the_heading_counts_only_what_happens_most_severe_first() -> None:
    lines = markdown(every_action_plan()).splitlines()
    assert lines[0] == MARKER == "<!-- gitsync-plan -->"
    assert lines[1] == (
        "## gitsync plan: ⛔ 1 error · 🔴 1 to delete · 🟠 1 to replace · 🟡 2 to redeploy · 🟢 1 to create"
        " · ⏳ 1 waiting · ❔ 1 unmanaged"
    )


def test_the_caution_block_lists_every_delete_and_replace_before_the_first_change() -> None:
    html = render(markdown(every_action_plan()))
    caution = html.index("[!CAUTION]")
    assert caution < html.index("<details>")
    block = html[caution : html.index("</blockquote>", caution)]
    assert "Destructive changes: 1 to delete, 1 to replace." in block
    assert "replace <code>moved</code> in <strong>staging</strong>" in block
    assert "<code>region</code> <code>&quot;europe-west1.gcp&quot;</code> → " in block
    assert "delete <code>old</code> in <strong>staging</strong>: no manifest; the target prunes" in block


def test_a_plan_with_errors_says_it_cannot_be_applied_at_the_top() -> None:
    html = render(markdown(every_action_plan()))
    warning = html.index("[!WARNING]")
    assert warning < html.index("<details>")
    assert "This plan cannot be applied: 1 error." in html[warning:]
    assert "payments-main is protected (protect: payments-*); it cannot be replaced" in visible(
        markdown(every_action_plan())
    )


def test_no_caution_and_no_warning_for_a_harmless_plan() -> None:
    plan = Plan((STAGING,), (redeploy("pay", "a", "b"),), CREATED_AT)
    output = markdown(plan)
    assert "[!CAUTION]" not in output and "[!WARNING]" not in output


def test_counts_show_only_non_zero_columns_unchanged_not_noop_and_no_http_path_or_version() -> None:
    plan = Plan(
        (STAGING, PRODUCTION), (redeploy("pay", "a", "b"), Change("production", "s", "noop")), CREATED_AT
    )
    output = markdown(plan)
    assert "| target | 🟡 redeploy | ⚪ unchanged |" in output
    assert "noop" not in output and "create" not in output
    assert "POST" not in output and "/deployments" not in output and "version 4" not in output


def test_details_follow_severity_order_per_target_with_a_heading_per_target() -> None:
    html = render(markdown(every_action_plan()))
    pairs = [("error", "payments-main"), ("delete", "old"), ("replace", "moved"), ("redeploy", "pay")]
    pairs += [("create", "new-one"), ("wait", "busy"), ("unmanaged", "stray")]
    order = [html.index(f"<b>{action}</b> <code>{key}</code>") for action, key in pairs]
    order.append(html.index("<h3>production"))
    assert order == sorted(order)
    assert "<h3>staging · <code>acme-staging</code> · europe-west1.gcp</h3>" in render(
        markdown(every_action_plan())
    )


def test_values_are_code_and_diff_never_links_and_never_visible_entities() -> None:
    url = "https://shop.example/x?utm_source=a&b=c_d"
    plan = Plan(
        (STAGING,),
        (
            redeploy("www.evil.com", url, "mail@evil.example"),
            redeploy("pay", "www.shop.example", "<b>bold</b> & *x* `y` | z"),
        ),
        CREATED_AT,
    )
    output = markdown(plan)
    assert links(output) == []
    text = visible(output)
    assert ENTITY.search(text) is None
    assert f'- processor.URL = "{url}"' in text
    assert '+ processor.URL = "<b>bold</b> & *x* `y` | z"' in text
    assert "www.evil.com" in text


def test_the_difference_after_character_300_is_visible() -> None:
    base = "https://shop.example/" + "a" * 400
    text = visible(markdown(Plan((STAGING,), (redeploy("pay", base + "1", base + "2"),), CREATED_AT)))
    before = next(line for line in text.splitlines() if line.startswith("- processor.URL"))
    after = next(line for line in text.splitlines() if line.startswith("+ processor.URL"))
    assert before.endswith('a1"') and after.endswith('a2"')
    assert "= …" in before and len(before) < 400


def test_a_delete_shows_what_goes_away_secured_values_by_key_only() -> None:
    text = visible(markdown(Plan((STAGING,), (delete("pay"),), CREATED_AT)))
    for line in (
        '- connector.key = "adyen-connector"',
        "- connector.version = 7",
        '- type = "production"',
        '- region = "europe-west1.gcp"',
        '- processor.ADYEN_ENV = "LIVE"',
        "- processor.ADYEN_API_KEY = (sensitive)",
    ):
        assert line in text.splitlines()


def test_a_replace_merges_old_and_new_and_marks_what_forces_it() -> None:
    change = every_action_plan().changes[2]
    assert change.action == "replace"
    replaced = Change(**{**change.__dict__, "removes": REMOVED})
    text = visible(markdown(Plan((STAGING,), (replaced,), CREATED_AT)))
    lines = text.splitlines()
    assert '- region = "europe-west1.gcp"' in lines
    assert '+ region = "us-central1.gcp"  # forces replacement' in lines
    assert "  processor.ADYEN_API_KEY = (sensitive)" in lines  # on both sides, unchanged
    assert '- processor.ADYEN_ENV = "LIVE"' in lines  # goes away with the old Deployment


def test_provenance_commit_time_and_run_link_in_the_header() -> None:
    context = CommentContext(commit="4f2a9c1deadbeef0", run_url=RUN, guards=())
    output = markdown(every_action_plan(), context)
    html = render(output)
    assert f'Planned at commit <code>4f2a9c1deadb</code> by <a href="{RUN}">the CI run</a>' in html
    assert CREATED_AT in html
    assert html.index("Planned at commit") < html.index("<details>")
    assert links(output) == [RUN, RUN]  # the header and "re-run the job" in the footer


def test_an_unusable_run_url_is_never_a_link() -> None:
    output = markdown(every_action_plan(), CommentContext(run_url="javascript:alert(1)"))
    assert links(output) == []


def test_the_footer_says_what_merging_does_and_the_guard_outcome() -> None:
    plan = Plan((STAGING,), (delete("a"), delete("b")), CREATED_AT)
    refused = "target 'staging' plans 2 delete(s) and replace(s), more than its maxDeletes of 1"
    text = visible(markdown(plan, CommentContext(guards=(refused,))))
    footer = text[text.index("On merge") :]
    assert "gitsync apply" in footer
    assert "Apply will refuse this plan (exit 3):" in footer and refused in footer
    assert "Guards: maxDeletes accepts this plan." in visible(markdown(plan, CommentContext(guards=())))
    assert "Guards: not checked" in visible(markdown(plan))


def test_a_1000_change_plan_with_deletes_at_its_end_names_every_key_within_githubs_limit() -> None:
    long_value = "v" * 2_000
    creates = [redeploy(f"deployment-{i:04d}", long_value, "x") for i in range(990)]
    deletes = [delete(f"zz-old-{i}", "production") for i in range(10)]
    plan = Plan((STAGING, PRODUCTION), (*creates, *deletes), CREATED_AT)
    output = markdown(plan, CommentContext(run_url=RUN, guards=()))
    assert len(output) <= BUDGET < GITHUB_LIMIT
    html = render(output)
    text = visible(output)
    for change in plan.changes:
        assert change.key in text
    caution = html[html.index("[!CAUTION]") : html.index("</blockquote>")]
    assert all(f"<code>zz-old-{i}</code>" in caution for i in range(10))
    assert html.count("🔴 <b>delete</b>") == 10  # deletes keep their details, in production's section
    assert "more than" not in text
    note = next(line for line in text.splitlines() if line.startswith("Details of "))
    assert "in staging" in note and "in production" not in note and "the CI run" in note


def test_a_small_plan_is_never_cut() -> None:
    assert "left out" not in markdown(every_action_plan())
    assert plan_markdown(every_action_plan()).count("<details>") == 8


def test_a_plan_without_changes_says_so() -> None:
    plan = Plan((STAGING,), (Change("staging", "same", "noop"),), CREATED_AT)
    output = markdown(plan, CommentContext(guards=()))
    assert output.splitlines()[1] == "## gitsync plan: no changes: live Deployments match the manifests"
    assert "apply has nothing to do" in output and "[!CAUTION]" not in output


def test_a_delete_without_a_key_names_the_connector_id_and_staged() -> None:
    removed = Removed(connector_id="c-9", connector_version=2, staged=True)
    text = visible(markdown(Plan((STAGING,), (delete("pay", removes=removed),), CREATED_AT)))
    assert '- connector.id = "c-9"' in text and "- connector.staged = true" in text
    assert "this plan does not record" in visible(
        markdown(Plan((STAGING,), (delete("x", removes=None),), CREATED_AT))
    )


def test_a_plan_too_large_even_for_names_stays_within_the_budget_and_says_where_the_rest_is() -> None:
    deletes = tuple(delete("k" * 200 + f"{index:05d}") for index in range(600))
    output = markdown(Plan((STAGING,), deletes, CREATED_AT), CommentContext(run_url=RUN))
    assert len(output) <= BUDGET
    assert output.startswith(MARKER) and "and " in output and "more: see the CI run" in output
    assert output.rstrip().endswith("the rest is in the CI run (`plan.json`)._")
