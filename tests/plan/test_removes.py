"""A delete or replace records the live Deployment it removes (issue 12 item 4): in the plan, the saved
plan and its JSON; secured values by key only; older saved plans without it still load."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from plan_builders import CATALOG, CONNECTOR, TARGET, desired, live

from gitsync.errors import PlanFileError
from gitsync.live.state import LiveConfiguration
from gitsync.plan.model import Plan, TargetInfo
from gitsync.plan.planner import plan_deployment, plan_orphan
from gitsync.plan.removes import Removed
from gitsync.plan.saved import load_plan, save_plan

PRUNING = dataclasses.replace(TARGET, prune=True)
GONE = live(
    "old",
    standard={"MERCHANT": "Acme"},
    secured=("API_KEY",),
    schedule="0 * * * *",
    glob=LiveConfiguration(standard={"LOG_LEVEL": "debug"}, secured=frozenset({"SHARED"})),
    connector_key="adyen",
    type="production",
)


def test_a_delete_records_connector_version_type_region_and_configuration_secured_by_key() -> None:
    change = plan_orphan(PRUNING, GONE)
    assert change.action == "delete"
    assert change.removes == Removed(
        connector_id="c-1",
        connector_version=7,
        connector_key="adyen",
        staged=False,
        type="production",
        region="europe-west1.gcp",
        standard=(
            ("configurations.processor.standardConfiguration.MERCHANT", "Acme"),
            ("configurations.processor.schedule", "0 * * * *"),
            ("globalConfiguration.standardConfiguration.LOG_LEVEL", "debug"),
        ),
        secured=(
            "configurations.processor.securedConfiguration.API_KEY",
            "globalConfiguration.securedConfiguration.SHARED",
        ),
    )


def test_a_replace_records_the_deployment_it_deletes_and_other_actions_record_nothing() -> None:
    moved = plan_deployment(TARGET, desired("pay"), live("pay", region="us-central1.gcp"), CONNECTOR)
    assert moved.action == "replace"
    assert moved.removes is not None and moved.removes.region == "us-central1.gcp"
    same = plan_deployment(TARGET, desired("pay"), live("pay"), CATALOG[next(iter(CATALOG))])
    assert same.removes is None
    unmanaged = plan_orphan(TARGET, GONE)
    assert unmanaged.action == "unmanaged" and unmanaged.removes is None


def _saved(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    plan = Plan((TargetInfo("staging", "acme", "europe-west1.gcp"),), (plan_orphan(PRUNING, GONE),), "t")
    path = tmp_path / "plan.json"
    save_plan(plan, path)
    assert load_plan(path) == plan
    return path, json.loads(path.read_text())


def test_the_saved_plan_carries_it_and_holds_no_secured_value(tmp_path: Path) -> None:
    _, data = _saved(tmp_path)
    removes = data["changes"][0]["removes"]
    assert removes["connector"] == {"id": "c-1", "key": "adyen", "version": 7, "staged": False}
    assert removes["securedKeys"] == [
        "configurations.processor.securedConfiguration.API_KEY",
        "globalConfiguration.securedConfiguration.SHARED",
    ]
    assert "s3cr3t" not in json.dumps(data)


def test_a_plan_saved_before_the_field_still_loads(tmp_path: Path) -> None:
    path, data = _saved(tmp_path)
    del data["changes"][0]["removes"]
    path.write_text(json.dumps(data))
    assert load_plan(path).changes[0].removes is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("removes", "text"),
        ("connector", None),
        ("connector", {"id": 3, "version": 7}),
        ("connector", {"id": "c", "version": "7"}),
        ("standardConfiguration", {"K": 1}),
        ("securedKeys", "K"),
        ("region", 12),
    ],
)
def test_a_damaged_field_is_a_plan_file_error(tmp_path: Path, field: str, value: Any) -> None:
    path, data = _saved(tmp_path)
    change = data["changes"][0]
    if field == "removes":
        change["removes"] = value
    else:
        change["removes"][field] = value
    path.write_text(json.dumps(data))
    with pytest.raises(PlanFileError, match=r"plan\.json: removes"):
        load_plan(path)
