"""Canary: a plan built from manifests holding a planted secret never shows it, in any format or file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gitsync.manifest.model import ConfigurationSet, DesiredDeployment
from gitsync.plan.model import Plan
from gitsync.plan.saved import load_plan, save_plan
from gitsync.render import PLAN_RENDERERS
from gitsync.secret import Secret
from tests.plan.plan_builders import CATALOG, TARGET, desired, live, plan_from_maps, secret

CANARY = "canary-7f3a9c-do-not-print"


def canary(key: str, region: str = "europe-west1.gcp") -> DesiredDeployment:
    """A Deployment whose processor and global secured values are both the canary."""
    glob = ConfigurationSet(secured={"G": secret("G", CANARY)})
    return desired(key, region=region, secret_value=CANARY, glob=glob)


def canary_plan() -> Plan:
    wanted = [canary("new"), canary("changed"), canary("moved", region="us-central1.gcp")]
    # secured values come back masked, so live only knows the key names (facts: masked with *)
    current = [live(key, standard={"MERCHANT": "Old"}, secured=(), version=3) for key in ("changed", "moved")]
    return plan_from_maps([TARGET], {"staging": wanted}, {"staging": current}, {"staging": CATALOG})


def test_the_canary_plan_exercises_create_redeploy_and_replace_with_references() -> None:
    plan = canary_plan()
    assert sorted(change.action for change in plan.changes) == ["create", "redeploy", "replace"]
    assert "${API_KEY}" in str(plan.to_dict())


@pytest.mark.parametrize("fmt", sorted(PLAN_RENDERERS))
def test_no_renderer_shows_the_secret_or_calls_reveal(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = canary_plan()

    def refuse(self: Secret) -> str:
        raise AssertionError("a renderer called Secret.reveal")

    monkeypatch.setattr(Secret, "reveal", refuse)
    for color in (False, True):
        stream = io.StringIO()
        PLAN_RENDERERS[fmt](plan, stream, color=color)
        assert CANARY not in stream.getvalue()
        assert "(sensitive)" in stream.getvalue() or "${API_KEY}" in stream.getvalue()


def test_a_saved_plan_holds_the_reference_not_the_secret(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    save_plan(canary_plan(), path)
    content = path.read_text()
    assert CANARY not in content
    assert "${API_KEY}" in content
    assert CANARY not in repr(load_plan(path))
