"""The text plan: grouped by target, one symbol line per non-noop Deployment, before → after, summary last."""

from __future__ import annotations

import io
import re

import pytest
from render_builders import CREATED_AT, STAGING, every_action_plan, noop_plan

from gitsync.plan.model import Change, LiveState, Plan, Reason
from gitsync.render import PLAN_RENDERERS, render_plan
from gitsync.render.plan_text import reason_line

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def text(plan: Plan, *, color: bool = False) -> str:
    stream = io.StringIO()
    render_plan(plan, "text", stream, color=color)
    return stream.getvalue()


def test_groups_changes_under_their_target_header_in_plan_order() -> None:
    lines = text(every_action_plan()).splitlines()
    staging = lines.index("target staging (acme-staging, europe-west1.gcp)")
    production = lines.index("target production (acme-prod, us-central1.gcp)")
    assert staging < lines.index("  + create new-one  (deployments/staging/new.yaml)") < production
    assert lines.index("  ~ redeploy pay  (deployments/production/pay.yaml)") > production


@pytest.mark.parametrize(
    "line",
    [
        "  + create new-one  (deployments/staging/new.yaml)",
        "  ~ redeploy pay  (deployments/staging/pay.yaml)",
        "  -/+ replace moved  (deployments/staging/moved.yaml)",
        "  - delete old",
        "  … wait busy  (deployments/staging/busy.yaml)",
        "  ? unmanaged stray",
        "  ! error payments-main  (deployments/staging/payments.yaml)",
    ],
)
def test_every_non_noop_action_has_its_symbol_line(line: str) -> None:
    assert line in text(every_action_plan()).splitlines()


def test_noop_lines_are_hidden_but_counted() -> None:
    output = text(every_action_plan())
    assert "same" not in output
    assert "1 unchanged" in output


def test_field_lines_show_before_arrow_after_with_notes() -> None:
    lines = text(every_action_plan()).splitlines()
    assert '    configurations.processor.standardConfiguration.ADYEN_ENV: "TEST" → "LIVE"' in lines
    assert "    configurations.processor.securedConfiguration.NEW_KEY: (absent) → (sensitive)" in lines
    assert "    connector.version: 6 → 7 (updateConnector)" in lines
    assert '    region: "europe-west1.gcp" → "us-central1.gcp" (forces replacement)' in lines


def test_a_wait_shows_the_live_status_only() -> None:
    lines = text(every_action_plan()).splitlines()
    wait = lines.index("  … wait busy  (deployments/staging/busy.yaml)")
    assert lines[wait + 1] == '    status: "Deploying" (busy: apply waits for it to settle, then plans it)'


def test_error_lines_carry_the_reason() -> None:
    lines = text(every_action_plan()).splitlines()
    error = lines.index("  ! error payments-main  (deployments/staging/payments.yaml)")
    assert lines[error + 2] == (
        "    error: payments-main is protected (protect: payments-*); it cannot be replaced"
    )


def test_summary_line_is_last_and_counts_every_action() -> None:
    assert text(every_action_plan()).splitlines()[-1] == (
        "Plan: 1 to create, 2 to redeploy, 1 to replace, 1 to delete, 1 unchanged, "
        "1 waiting, 1 unmanaged, 1 error."
    )


def test_a_plan_without_changes_says_so_and_lists_nothing() -> None:
    assert text(noop_plan()) == "No changes. Live deployments match the manifests.\n"


def test_unmanaged_only_is_not_no_changes() -> None:
    plan = Plan(targets=(STAGING,), changes=(Change("staging", "stray", "unmanaged"),), created_at=CREATED_AT)
    assert text(plan).splitlines()[-1].startswith("Plan: 0 to create")


def test_no_colour_codes_unless_asked() -> None:
    assert "\x1b[" not in text(every_action_plan())
    coloured = text(every_action_plan(), color=True)
    assert "\x1b[32m  + create new-one" in coloured
    assert "\x1b[31m  - delete old" in coloured
    assert "\x1b[35m  ? unmanaged stray" in coloured
    assert ANSI.sub("", coloured) == text(every_action_plan())


def test_a_reason_without_values_is_its_path_and_note() -> None:
    assert reason_line(Reason("redeploy", note="requested with --redeploy")) == (
        "redeploy (requested with --redeploy)"
    )


def test_non_string_values_are_json_and_control_characters_are_escaped() -> None:
    assert reason_line(Reason("configurations.job", None, {"schedule": "0 * * * *"})) == (
        'configurations.job: (absent) → {"schedule": "0 * * * *"}'
    )
    assert reason_line(Reason("x\x1b[31m", "a\nb", True)) == 'x\\x1b[31m: "a\\nb" → true'


def test_unknown_format_is_refused_and_the_registry_names_the_three() -> None:
    assert sorted(PLAN_RENDERERS) == ["json", "markdown", "text"]
    with pytest.raises(ValueError, match="unknown plan format 'yaml'"):
        render_plan(noop_plan(), "yaml", io.StringIO())


def test_a_rolled_back_deployment_says_which_revision_it_runs() -> None:
    live = LiveState("id-1", 4, "Deployed", rollback_revision="rev-3")
    change = Change(target="staging", key="pay", action="redeploy", live=live)
    lines = text(Plan(targets=(STAGING,), changes=(change,), created_at=CREATED_AT)).splitlines()
    assert lines[1:3] == ["  ~ redeploy pay", "    live: rolled back to revision rev-3"]
    round_tripped = Plan.from_dict(Plan(targets=(STAGING,), changes=(change,)).to_dict())
    assert round_tripped.changes[0].live is not None
    assert round_tripped.changes[0].live.rollback_revision == "rev-3"


def test_a_change_of_an_unlisted_target_gets_a_bare_header() -> None:
    change = Change(target="ghost", key="pay", action="delete")
    lines = text(Plan(targets=(STAGING,), changes=(change,), created_at=CREATED_AT)).splitlines()
    assert lines[0] == "target ghost (?, ?)"
    assert lines[1] == "  - delete pay"
