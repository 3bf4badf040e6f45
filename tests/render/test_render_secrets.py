"""Canary: a plan built from manifests holding a planted secret never shows it, in any format or file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gitsync.manifest.model import (
    ApplicationConfiguration,
    ConfigurationSet,
    ConnectorRef,
    DesiredDeployment,
    Lifecycle,
    Target,
)
from gitsync.plan.live import ConnectorInfo, ConnectorLookup, LiveApplication, LiveDeployment
from gitsync.plan.model import Plan
from gitsync.plan.planner import build_plan
from gitsync.plan.saved import load_plan, save_plan
from gitsync.render import RENDERERS_BY_NAME
from gitsync.secret import Secret

CANARY = "canary-7f3a9c-do-not-print"
CONNECTOR = ConnectorInfo(id="c-1", key="adyen", version=7, applications=("processor",))
TARGET = Target(name="staging", project_key="acme", region="europe-west1.gcp")


def desired(key: str, region: str = "europe-west1.gcp") -> DesiredDeployment:
    values = ConfigurationSet(
        standard={"MERCHANT": "Acme"},
        secured={"API_KEY": Secret(reference="${CANARY_REF}", _value=CANARY)},
    )
    return DesiredDeployment(
        key=key,
        connector=ConnectorRef(key="adyen", version=7),
        region=region,
        configurations=(ApplicationConfiguration("processor", values, None),),
        global_configuration=ConfigurationSet(
            secured={"G": Secret(reference="${CANARY_REF}", _value=CANARY)}
        ),
        source=f"deployments/{key}.yaml",
        digest="d" * 64,
        lifecycle=Lifecycle(),
    )


def live(key: str) -> LiveDeployment:
    # secured values come back masked, so live only knows the key names (facts: masked with *)
    app = LiveApplication(standard={"MERCHANT": "Old"}, secured=frozenset(), schedule=None)
    return LiveDeployment(
        id=f"id-{key}", key=key, version=3, status="Deployed", connector_id="c-1", connector_version=7,
        region="europe-west1.gcp", type="sandbox", preview=False, applications={"processor": app},
    )  # fmt: skip


def canary_plan() -> Plan:
    wanted = [desired("new"), desired("changed"), desired("moved", region="us-central1.gcp")]
    catalog = {ConnectorLookup("key=adyen"): CONNECTOR, ConnectorLookup("id=c-1"): CONNECTOR}
    return build_plan(
        [TARGET], {"staging": wanted}, {"staging": [live("changed"), live("moved")]}, {"staging": catalog}
    )


def test_the_canary_plan_exercises_create_redeploy_and_replace_with_references() -> None:
    plan = canary_plan()
    assert sorted(change.action for change in plan.changes) == ["create", "redeploy", "replace"]
    assert "${CANARY_REF}" in str(plan.to_dict())


@pytest.mark.parametrize("fmt", sorted(RENDERERS_BY_NAME))
def test_no_renderer_shows_the_secret_or_calls_reveal(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = canary_plan()

    def refuse(self: Secret) -> str:
        raise AssertionError("a renderer called Secret.reveal")

    monkeypatch.setattr(Secret, "reveal", refuse)
    for color in (False, True):
        stream = io.StringIO()
        RENDERERS_BY_NAME[fmt](plan, stream, color=color)
        assert CANARY not in stream.getvalue()
        assert "(sensitive)" in stream.getvalue() or "${CANARY_REF}" in stream.getvalue()


def test_a_saved_plan_holds_the_reference_not_the_secret(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    save_plan(canary_plan(), path)
    content = path.read_text()
    assert CANARY not in content
    assert "${CANARY_REF}" in content
    assert CANARY not in repr(load_plan(path))
