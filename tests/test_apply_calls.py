"""send_planned: a planned request becomes exactly the typed client call, secrets revealed only where marked.

Manifests go through the real loader and request builder, plans through a save/load round trip, and the
calls over loopback HTTP to an in-process emulator whose store (unmasked) says what arrived.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gitsync.api.client import ConnectClient
from gitsync.apply.calls import send_planned
from gitsync.emulator import EmulatorApp, ManualClock, serve
from gitsync.errors import PlanFileError, VariableError
from gitsync.live.convert import connector_info, live_deployment
from gitsync.manifest.loader import load_deployments
from gitsync.manifest.model import DesiredDeployment
from gitsync.manifest.target import Target
from gitsync.plan.model import Change, Plan, Request, SecretRef, TargetInfo
from gitsync.plan.requests import create_request, delete_request, redeploy_request
from gitsync.plan.saved import load_plan, save_plan
from gitsync.secret import Secret
from tests.e2e.e2e_support import SEED

PROJECT = "acme"
SECRETS = {"ADYEN_API_KEY": "adyen-key-value-7", "SHARED": "shared-value-7"}
MANIFEST = """\
key: pay
connector: {key: adyen}
region: europe-west1.gcp
configurations:
  - applicationName: processor
    standardConfiguration:
      - {key: MERCHANT, value: "$${ADYEN_API_KEY}"}
    securedConfiguration:
      - {key: ADYEN_API_KEY, value: "${ADYEN_API_KEY}"}
globalConfiguration:
  standardConfiguration:
    - {key: LOG_LEVEL, value: "debug"}
  securedConfiguration:
    - {key: SHARED_SECRET, value: "${SHARED}"}
"""


@dataclasses.dataclass
class Running:
    app: EmulatorApp
    client: ConnectClient
    clock: ManualClock

    def stored(self, key: str) -> dict[str, dict[str, str]]:
        """Every value the emulator holds for ``key``, unmasked, by ``application/section``."""
        with self.app.store.locked():
            found = [d for d in self.app.store.deployments.values() if d.key == key]
            assert len(found) == 1
            sections = {f"{a['applicationName']}/": a for a in found[0].applications}
            sections["global/"] = found[0].global_values
            return {
                prefix + name: {entry["key"]: entry["value"] for entry in section.get(name, [])}
                for prefix, section in sections.items()
                for name in ("standardConfiguration", "securedConfiguration")
            }


@pytest.fixture(scope="module")
def _served() -> Iterator[tuple[EmulatorApp, ManualClock, str]]:
    """One emulator for the module (stopping one takes 0.5 s); each test resets it to the seed."""
    clock = ManualClock()
    app = EmulatorApp(SEED, deploy_time=1.0, clock=clock)
    server = serve(app, host="127.0.0.1", port=0)
    try:
        yield app, clock, server.url
    finally:
        server.stop()


@pytest.fixture
def emulator(_served: tuple[EmulatorApp, ManualClock, str]) -> Iterator[Running]:
    app, clock, url = _served
    app.reset()
    client = ConnectClient(
        PROJECT, "ci", Secret("${S}", "x"), connect_url=url, auth_url=url, backoff_base=0.01
    )
    try:
        yield Running(app, client, clock)
    finally:
        client.close()


class Revealer:
    """Records which variables were asked for."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.asked: list[str] = []

    def __call__(self, name: str) -> str | None:
        self.asked.append(name)
        return self.values.get(name)


def load(tmp_path: Path, text: str = MANIFEST) -> DesiredDeployment:
    (tmp_path / "deployments").mkdir(exist_ok=True)
    (tmp_path / "deployments" / "pay.yaml").write_text(text)
    target = Target("staging", PROJECT, "europe-west1.gcp", ("deployments",), tmp_path)
    result = load_deployments(target, env={}, resolve=True)
    assert result.problems == ()
    return result.deployments[0]


def round_trip(tmp_path: Path, request: Request) -> Request:
    """The request as a saved plan gives it back (what apply --plan sends)."""
    change = Change("staging", "pay", "create", "deployments/pay.yaml", request=request)
    plan = Plan((TargetInfo("staging", PROJECT, "europe-west1.gcp"),), (change,))
    save_plan(plan, tmp_path / "plan.json")
    loaded = load_plan(tmp_path / "plan.json").changes[0].request
    assert loaded == request
    return loaded


def create_planned(running: Running, tmp_path: Path) -> Request:
    connector = connector_info(running.client.get_connector_by_key("adyen"))
    return round_trip(tmp_path, create_request(PROJECT, load(tmp_path), connector))


def test_the_plan_marks_secured_values_with_variable_and_manifest_position(
    emulator: Running, tmp_path: Path
) -> None:
    request = create_planned(emulator, tmp_path)
    where = str(Path("deployments") / "pay.yaml")
    assert request.secrets == (
        SecretRef("/configurations/0/securedConfiguration/0/value", "ADYEN_API_KEY", where, 9, 37),
        SecretRef("/globalConfiguration/securedConfiguration/0/value", "SHARED", where, 14, 35),
    )
    assert request.body is not None
    # the literal standard value reads like a reference, and is not marked
    assert request.body["configurations"][0]["standardConfiguration"] == [
        {"key": "MERCHANT", "value": "${ADYEN_API_KEY}"}
    ]


def test_create_sends_planned_standard_values_and_revealed_secrets_only(
    emulator: Running, tmp_path: Path
) -> None:
    reveal = Revealer(SECRETS | {"MERCHANT": "never-asked"})
    created = send_planned(emulator.client, create_planned(emulator, tmp_path), reveal)
    assert (created.key, created.version) == ("pay", 1)
    assert sorted(reveal.asked) == ["ADYEN_API_KEY", "SHARED"]
    assert emulator.stored("pay") == {
        "processor/standardConfiguration": {"MERCHANT": "${ADYEN_API_KEY}"},  # $${…} arrives literally
        "processor/securedConfiguration": {"ADYEN_API_KEY": "adyen-key-value-7"},
        "sync/standardConfiguration": {},
        "sync/securedConfiguration": {},
        "global/standardConfiguration": {"LOG_LEVEL": "debug"},
        "global/securedConfiguration": {"SHARED_SECRET": "shared-value-7"},
    }


def test_redeploy_sends_the_planned_values_to_the_live_deployment(emulator: Running, tmp_path: Path) -> None:
    send_planned(emulator.client, create_planned(emulator, tmp_path), Revealer(SECRETS))
    emulator.clock.advance(5)
    changed = MANIFEST.replace('"debug"', '"info"').replace("$${ADYEN_API_KEY}", "Acme $${HMAC}")
    desired = load(tmp_path, changed)
    live = live_deployment(emulator.client.get_deployment_by_key("pay"))
    connector = connector_info(emulator.client.get_connector_by_key("adyen"))
    planned = redeploy_request(PROJECT, desired, live, connector, update_connector=False)
    assert [ref.pointer for ref in planned.secrets] == [
        "/actions/0/configurationValues/0/securedConfiguration/0/value",
        "/actions/0/globalConfiguration/securedConfiguration/0/value",
    ]
    rotated = {"ADYEN_API_KEY": "rotated-key", "SHARED": "rotated-shared"}
    updated = send_planned(emulator.client, round_trip(tmp_path, planned), Revealer(rotated))
    assert updated.version == 2
    stored = emulator.stored("pay")
    assert stored["processor/standardConfiguration"] == {"MERCHANT": "Acme ${HMAC}"}
    assert stored["processor/securedConfiguration"] == {"ADYEN_API_KEY": "rotated-key"}
    assert stored["global/standardConfiguration"] == {"LOG_LEVEL": "info"}
    assert stored["global/securedConfiguration"] == {"SHARED_SECRET": "rotated-shared"}


def test_delete_by_key(emulator: Running, tmp_path: Path) -> None:
    send_planned(emulator.client, create_planned(emulator, tmp_path), Revealer(SECRETS))
    emulator.clock.advance(5)
    reveal = Revealer({})
    deleted = send_planned(emulator.client, delete_request(PROJECT, "pay"), reveal)
    assert (deleted.key, deleted.status) == ("pay", "Undeploying")
    assert reveal.asked == []


def test_an_unset_secured_variable_is_named_with_its_position_and_nothing_is_sent(
    emulator: Running, tmp_path: Path
) -> None:
    planned = create_planned(emulator, tmp_path)
    sent = emulator.client.request_count
    with pytest.raises(VariableError) as caught:
        send_planned(emulator.client, planned, Revealer({"ADYEN_API_KEY": "adyen-key-value-7"}))
    where = Path("deployments") / "pay.yaml"
    assert str(caught.value).startswith(f"unset or empty secured variable 'SHARED' at {where}:14:35")
    assert "adyen-key-value-7" not in str(caught.value)
    assert emulator.client.request_count == sent
    assert emulator.app.store.deployments == {}


def test_an_empty_secured_variable_is_refused_like_an_unset_one(emulator: Running, tmp_path: Path) -> None:
    planned = create_planned(emulator, tmp_path)
    sent = emulator.client.request_count
    with pytest.raises(VariableError) as caught:
        send_planned(emulator.client, planned, Revealer({"ADYEN_API_KEY": "adyen-key-value-7", "SHARED": ""}))
    assert "unset or empty secured variable 'SHARED'" in str(caught.value)
    assert emulator.client.request_count == sent
    assert emulator.app.store.deployments == {}


def planned_by_hand(
    body: dict[str, Any], *secrets: SecretRef, path: str = f"/{PROJECT}/deployments"
) -> Request:
    return Request("POST", path, body, secrets)


DRAFT: dict[str, Any] = {
    "key": "pay",
    "connector": {"key": "adyen", "version": 6},
    "region": "europe-west1.gcp",
    "configurations": [
        {
            "applicationName": "processor",
            "standardConfiguration": [{"key": "MERCHANT", "value": "${ADYEN_API_KEY}"}],
            "securedConfiguration": [{"key": "ADYEN_API_KEY", "value": "${ADYEN_API_KEY}"}],
        }
    ],
}
MARK = SecretRef("/configurations/0/securedConfiguration/0/value", "ADYEN_API_KEY", "pay.yaml", 3, 5)

REFUSED: dict[str, tuple[Request, type[Exception], str]] = {
    "another project's path": (
        planned_by_hand(DRAFT, MARK, path="/other/deployments"),
        PlanFileError,
        "POST /other/deployments is not a call the client makes for project acme",
    ),
    "a key that needs encoding (the client would call another path)": (
        Request("DELETE", f"/{PROJECT}/deployments/key=a b"),
        PlanFileError,
        "is not a call the client makes",
    ),
    "a PUT": (Request("PUT", f"/{PROJECT}/deployments/key=pay", {}), PlanFileError, "PUT"),
    "a delete with a body": (
        Request("DELETE", f"/{PROJECT}/deployments/key=pay", {"version": 1}),
        PlanFileError,
        "DELETE",
    ),
    "a secured value left unmarked": (
        planned_by_hand(DRAFT),
        PlanFileError,
        "secured value at /configurations/0/securedConfiguration/0/value is not marked",
    ),
    "a standard value marked as secret": (
        planned_by_hand(
            DRAFT,
            MARK,
            dataclasses.replace(MARK, pointer="/configurations/0/standardConfiguration/0/value"),
        ),
        PlanFileError,
        "not a securedConfiguration value",
    ),
    "a field the API does not take": (
        planned_by_hand(DRAFT | {"colour": "red"}, MARK),
        PlanFileError,
        "does not fit the API's DeploymentDraft \\(colour: Extra inputs are not permitted\\)",
    ),
    "an unset variable": (planned_by_hand(DRAFT, MARK), VariableError, "'ADYEN_API_KEY' at pay.yaml:3:5"),
}


@pytest.mark.parametrize("request_", REFUSED.values(), ids=REFUSED.keys())
def test_a_request_that_does_not_fit_sends_nothing(
    emulator: Running, request_: tuple[Request, type[Exception], str]
) -> None:
    planned, error, message = request_
    sent = emulator.client.request_count
    reveal = Revealer({})
    with pytest.raises(error, match=message):
        send_planned(emulator.client, planned, reveal)
    assert emulator.client.request_count == sent
    assert reveal.asked == ([] if error is PlanFileError else ["ADYEN_API_KEY"])


def test_no_secret_value_in_the_saved_plan_or_its_errors(emulator: Running, tmp_path: Path) -> None:
    create_planned(emulator, tmp_path)
    text = (tmp_path / "plan.json").read_text()
    assert '"secrets": [' in text
    assert not any(value in text for value in SECRETS.values())
    bad = dict(DRAFT, colour="red")
    with pytest.raises(PlanFileError) as caught:
        send_planned(emulator.client, planned_by_hand(bad, MARK), Revealer(SECRETS))
    assert SECRETS["ADYEN_API_KEY"] not in str(caught.value)
