"""``import_target`` in-process against the emulator: reads through gitsync.live, and every Deployment it
cannot express is reported (a note, a warning or an error), never dropped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gitsync.adopt.adoption import Selection, import_target
from gitsync.adopt.names import NameBook
from gitsync.api.client import ConnectClient
from gitsync.emulator import EmulatorApp
from gitsync.secret import Secret

APP = {
    "applicationName": "worker",
    "applicationType": "job",
    "schedule": "0 2 * * *",
    "standardConfiguration": [{"key": "MODE", "description": "mode"}],
    "securedConfiguration": [{"key": "TOKEN", "description": "token"}],
}
SEED: dict[str, Any] = {
    "connectors": [
        {"key": "pub", "id": "c-pub", "version": 4, "configurations": [APP]},
        {"key": "gone", "id": "c-gone", "version": 1, "configurations": [APP]},
        {"key": "locked", "id": "c-locked", "version": 1, "configurations": [APP]},
    ]
}


def _live(key: str | None, status: str = "Deployed", connector: str = "pub", **draft: Any) -> dict[str, Any]:
    body = {"connector": {"key": connector}, "region": "europe-west1.gcp", **draft}
    if key is not None:
        body["key"] = key
    return {"projectKey": "p", "status": status, "draft": body}


DEPLOYMENTS = [
    _live(
        "k-a",
        configurations=[
            {
                "applicationName": "worker",
                "standardConfiguration": [{"key": "MODE", "value": "${x}"}],
                "securedConfiguration": [{"key": "TOKEN", "value": "s3cr3t"}],
            }
        ],
    ),
    _live("k-b", "Queued"),
    _live("k-c", "Undeploying"),
    _live(None),
    _live("k-d", "Failed"),
    _live("k-e", connector="gone"),
    _live("k-f", connector="locked"),
]


@pytest.fixture
def client() -> Iterator[ConnectClient]:
    app = EmulatorApp({**SEED, "deployments": DEPLOYMENTS}, deploy_time=0.2)
    transport = httpx.WSGITransport(app=app)
    faults = [
        {"method": "GET", "path": "/connectors/c-gone", "status": 404, "times": 0},
        {"method": "GET", "path": "/connectors/c-locked", "status": 403, "times": 0},
    ]
    with httpx.Client(transport=transport, base_url="http://127.0.0.1") as admin:
        admin.post("/_emulator/faults", json={"faults": faults}).raise_for_status()
    made = ConnectClient(
        "p",
        "ci",
        Secret("${S}", "secret-value"),
        connect_url="http://127.0.0.1",
        auth_url="http://127.0.0.1",
        transport=transport,
    )
    yield made
    made.close()


def test_every_deployment_is_imported_or_reported(client: ConnectClient) -> None:
    result = import_target("t", client, Selection(), NameBook())
    assert [adopted.key for adopted in result.adopted] == ["k-a", "k-b", "k-d"]
    first = result.adopted[0]
    assert first.connector_key == "pub"
    assert first.document["connector"] == {"key": "pub", "version": 4}
    # the job shows the connector's schedule, and the connector's answer does not carry it (as the real
    # API's): written as the job shows it; ${ escaped; the secured value a reference
    assert first.document["configurations"] == [
        {
            "applicationName": "worker",
            "schedule": "0 2 * * *",
            "standardConfiguration": [{"key": "MODE", "value": "$${x}"}],
            "securedConfiguration": [{"key": "TOKEN", "value": "${K_A_WORKER_TOKEN}"}],
        }
    ]
    lines = [str(message) for message in result.messages]
    assert lines[:2] == [
        "note: t/k-b: is Queued: imported as it will be; plan shows `wait` until it settles",
        "warning: t/k-c: is Undeploying (being deleted): not imported; import it again if the delete fails",
    ]
    assert lines[2] == "note: t/k-d: is Failed: imported; plan proposes a redeploy to recover it"
    assert lines[3] == (
        "error: t/k-e: not imported: connector id=c-gone does not exist any more (or the API client may not "
        "read it)"
    )
    assert lines[4].startswith("error: t/k-f: not imported: connector id=c-locked cannot be read: ")
    assert lines[5].startswith("warning: t/id=") and "has no key" in lines[5]
    assert len(lines) == 6 and "s3cr3t" not in repr(result)


def test_exact_keys_are_read_one_by_one_and_globs_select(client: ConnectClient) -> None:
    exact = import_target("t", client, Selection(keys=("k-a", "nope", "k-a")), NameBook())
    assert [adopted.key for adopted in exact.adopted] == ["k-a"] and exact.matched == {"k-a"}
    globbed = import_target("t", client, Selection(keys=("k-[a-c]", "z*"), exclude=("k-b",)), NameBook())
    assert [adopted.key for adopted in globbed.adopted] == ["k-a"]
    assert globbed.matched == {"k-[a-c]"}  # matched a, b and c; b excluded, c reported
    assert [m.key for m in globbed.messages] == ["k-c"]
