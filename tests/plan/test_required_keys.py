"""A create that leaves a key the live connector requires unset is an ``error`` in the plan, not a failed
apply (the API refuses it: DeploymentEmptyRequired…ConfigurationKey)."""

from __future__ import annotations

import dataclasses

from plan_builders import CONNECTOR, TARGET, desired, live

from gitsync.manifest.model import ConfigurationSet
from gitsync.plan.planner import plan_deployment

REQUIRING = dataclasses.replace(
    CONNECTOR,
    required={"processor": frozenset({"MERCHANT", "API_KEY"}), "job": frozenset()},
    global_required=frozenset({"PROJECT"}),
)
GLOBAL = ConfigurationSet(standard={"PROJECT": "acme"})


def test_a_create_that_sets_every_required_key_is_a_create() -> None:
    assert plan_deployment(TARGET, desired(glob=GLOBAL), None, REQUIRING).action == "create"


def test_a_create_missing_a_required_key_is_an_error_naming_it_and_its_place() -> None:
    change = plan_deployment(TARGET, desired(standard={}, secured=()), None, REQUIRING)
    assert change.action == "error" and change.request is None
    assert change.error is not None
    assert "processor: API_KEY, MERCHANT" in change.error
    assert "globalConfiguration: PROJECT" in change.error
    assert "deployments/pay.yaml" in change.error


def test_an_empty_required_standard_value_counts_as_unset() -> None:
    change = plan_deployment(TARGET, desired(standard={"MERCHANT": ""}, glob=GLOBAL), None, REQUIRING)
    assert change.action == "error" and change.error is not None and "processor: MERCHANT" in change.error


def test_the_create_half_of_a_replace_is_checked_too() -> None:
    change = plan_deployment(TARGET, desired(standard={}, region="us-central1.gcp"), live(), REQUIRING)
    assert change.action == "error" and change.error is not None and "MERCHANT" in change.error


def test_a_redeploy_is_not_checked_it_keeps_live_values_it_does_not_send() -> None:
    change = plan_deployment(TARGET, desired(standard={"MERCHANT": "Other"}, glob=GLOBAL), live(), REQUIRING)
    assert change.action == "redeploy"
