"""The configuration diff hides nothing: every deepdiff default that could hide a difference is pinned.

deepdiff skips dict keys that start with ``__`` by default (``ignore_private_variables``) and reports a
whole dict as one change when few keys overlap (``threshold_to_diff_deeper``); both are valid
configuration keys and application names here (issue 7, item 1).
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from deepdiff import DeepDiff
from plan_builders import CONNECTOR, TARGET, desired, live

from gitsync.live.state import LiveApplication, LiveConfiguration
from gitsync.manifest.model import ApplicationConfiguration, ConfigurationSet
from gitsync.plan import compare
from gitsync.plan.model import Change, Reason
from gitsync.plan.planner import plan_deployment
from gitsync.secret import SENSITIVE

STANDARD = "configurations.processor.standardConfiguration"
SECURED = "configurations.processor.securedConfiguration"


def plan(want: Any, have: Any) -> Change:
    return plan_deployment(TARGET, want, have, CONNECTOR)


PRIVATE_CASES: dict[str, tuple[Any, Any, list[Reason]]] = {
    "standard __ key changed": (
        desired(standard={"MERCHANT": "Acme", "__LOG_LEVEL": "debug"}),
        live(standard={"MERCHANT": "Acme", "__LOG_LEVEL": "info"}),
        [Reason(f"{STANDARD}.__LOG_LEVEL", "info", "debug")],
    ),
    "standard __ key added": (
        desired(standard={"MERCHANT": "Acme", "__LOG_LEVEL": "debug"}),
        live(),
        [Reason(f"{STANDARD}.__LOG_LEVEL", None, "debug")],
    ),
    "secured __ key added": (
        desired(secured=("API_KEY", "__TOKEN")),
        live(),
        [Reason(f"{SECURED}.__TOKEN", None, SENSITIVE)],
    ),
    "global __ key added": (
        desired(glob=ConfigurationSet(standard={"__MODE": "x"})),
        live(),
        [Reason("globalConfiguration.standardConfiguration.__MODE", None, "x")],
    ),
}


@pytest.mark.parametrize("case", PRIVATE_CASES)
def test_keys_with_a_leading_double_underscore_are_compared(case: str) -> None:
    want, have, reasons = PRIVATE_CASES[case]
    change = plan(want, have)
    assert change.action == "redeploy"
    assert list(change.reasons) == reasons


def test_a_removed_double_underscore_key_is_named() -> None:
    """A removed key a merging redeploy cannot drop is an error that names it (it was invisible before)."""
    change = plan(desired(), live(standard={"MERCHANT": "Acme", "__LOG_LEVEL": "info"}))
    assert change.action == "error"
    assert change.error is not None and "__LOG_LEVEL" in change.error
    assert [reason.path for reason in change.reasons] == [f"{STANDARD}.__LOG_LEVEL"]


def test_an_application_with_a_leading_double_underscore_is_compared() -> None:
    values = ConfigurationSet(standard={"MODE": "new"})
    want = desired(configurations=(ApplicationConfiguration("__worker", values),))
    have = live(applications={"__worker": LiveApplication(standard={"MODE": "old"})})
    change = plan(want, have)
    assert change.action == "redeploy"
    assert Reason("configurations.__worker.standardConfiguration.MODE", "old", "new") in change.reasons
    assert change.request is not None and change.request.body is not None
    sent = change.request.body["actions"][0]["configurationValues"]
    assert {"key": "MODE", "value": "new"} in next(
        app["standardConfiguration"] for app in sent if app["applicationName"] == "__worker"
    )


def test_disjoint_key_sets_are_reported_key_by_key() -> None:
    """Few shared keys: deepdiff's default would report the whole section as one dict-valued reason."""
    change = plan(desired(standard={"B": "2"}, secured=("NEW",)), live(standard={"A": "1"}, secured=("OLD",)))
    stays = "stays live: a redeploy cannot remove a key; gitsync plan --replace pay removes it"
    assert list(change.reasons) == [
        Reason(f"{SECURED}.NEW", None, SENSITIVE),
        Reason(f"{SECURED}.OLD", SENSITIVE, None, stays),
        Reason(f"{STANDARD}.A", "1", None, stays),
        Reason(f"{STANDARD}.B", None, "2"),
    ]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("debug", "DEBUG"),  # ignore_string_case
        ("1.0", "1"),  # numbers stay strings: no numeric comparison
        ("a", "a "),  # whitespace matters
    ],
)
def test_values_compare_exactly(before: str, after: str) -> None:
    change = plan(desired(standard={"MERCHANT": after}), live(standard={"MERCHANT": before}))
    assert change.reasons == (Reason(f"{STANDARD}.MERCHANT", before, after),)


def test_a_schedule_appearing_is_a_reason() -> None:
    change = plan(desired(schedule="0 * * * *"), live(schedule=None))
    assert change.reasons == (Reason("configurations.processor.schedule", None, "0 * * * *"),)


def test_every_option_that_could_hide_a_difference_is_set_explicitly() -> None:
    """A deepdiff upgrade that adds or renames an option fails here, so its default gets audited."""
    parameters = set(inspect.signature(DeepDiff.__init__).parameters) - {"self", "t1", "t2", "kwargs"}
    audited = set(compare.DIFF_OPTIONS) | compare.HARMLESS_DEEPDIFF_OPTIONS
    assert parameters - audited == set()
    assert compare.DIFF_OPTIONS["ignore_private_variables"] is False
    assert compare.DIFF_OPTIONS["threshold_to_diff_deeper"] == 0


def test_a_difference_deepdiff_does_not_explain_still_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    """The decision is plain equality; deepdiff only explains it. If it explains nothing, say so."""
    monkeypatch.setattr(compare, "DeepDiff", lambda *args, **kwargs: {})
    change = plan(desired(standard={"MERCHANT": "New"}), live())
    assert change.action == "redeploy"
    assert change.reasons == (
        Reason("configurations", note="differs (the diff found no key); please report"),
    )


def test_secret_values_never_reach_a_reason() -> None:
    want = desired(secured=("__TOKEN",), secret_value="hunter2")
    change = plan(want, live(secured=(), glob=LiveConfiguration()))
    assert change.reasons == (Reason(f"{SECURED}.__TOKEN", None, SENSITIVE),)
    assert "hunter2" not in repr(change.reasons)
