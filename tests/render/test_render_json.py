"""The JSON plan is Plan.to_dict(): stable, versioned, and round-trips to the same plan and checksum."""

from __future__ import annotations

import io
import json

from render_builders import every_action_plan

from gitsync.plan.model import Plan
from gitsync.render import render_plan


def rendered(plan: Plan, *, color: bool = False) -> str:
    stream = io.StringIO()
    render_plan(plan, "json", stream, color=color)
    return stream.getvalue()


def test_json_round_trips_to_an_equal_plan_with_the_same_checksum() -> None:
    plan = every_action_plan()
    again = Plan.from_dict(json.loads(rendered(plan)))
    assert again == plan
    assert again.checksum() == plan.checksum()


def test_json_is_the_indented_document_in_model_order_with_a_newline() -> None:
    output = rendered(every_action_plan(), color=True)
    assert output.endswith("}\n")
    assert "\x1b[" not in output
    document = json.loads(output)
    assert list(document) == ["formatVersion", "createdAt", "targets", "summary", "changes"]
    assert list(document["summary"]) == [
        "create", "redeploy", "replace", "delete", "noop", "wait", "unmanaged", "error",
    ]  # fmt: skip
    assert output == json.dumps(every_action_plan().to_dict(), indent=2, ensure_ascii=False) + "\n"


def test_json_is_stable_across_renders() -> None:
    assert rendered(every_action_plan()) == rendered(every_action_plan())


def test_noop_changes_are_in_the_json() -> None:
    actions = [change["action"] for change in json.loads(rendered(every_action_plan()))["changes"]]
    assert "noop" in actions
    assert len(actions) == 9
