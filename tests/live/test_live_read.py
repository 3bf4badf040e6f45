"""The reader against the emulator in-process: one read per connector, drafts for staged, none for missing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gitsync.api.client import ConnectClient
from gitsync.emulator import EmulatorApp
from gitsync.live.read import (
    read_connector_by_id,
    read_connector_by_key,
    read_deployment,
    read_deployments,
    read_targets,
    select_live,
)
from gitsync.live.state import ConnectorLookup
from gitsync.manifest.model import ConnectorRef, DesiredDeployment
from gitsync.secret import Secret


def _connector(key: str, version: int, *, staged: bool = False) -> dict[str, Any]:
    app = {
        "applicationName": "worker",
        "applicationType": "service",
        "standardConfiguration": [{"key": "MODE", "description": "mode", "default": "slow"}],
        "securedConfiguration": [],
    }
    return {"key": key, "id": f"id-{key}", "version": version, "staged": staged, "configurations": [app]}


SEED = {
    "connectors": [_connector("pub", 4), _connector("draft", 9, staged=True)],
    "deployments": [
        {
            "projectKey": f"p{index % 2}",
            "status": "Deployed",
            "draft": {"key": f"d-{index}", "connector": {"key": "pub"}, "region": "europe-west1.gcp"},
        }
        for index in range(7)
    ],
}


@pytest.fixture
def app() -> EmulatorApp:
    return EmulatorApp(SEED, deploy_time=0.2)


@pytest.fixture
def clients(app: EmulatorApp) -> Iterator[dict[str, ConnectClient]]:
    made = {
        name: ConnectClient(
            name,
            "ci",
            Secret("${S}", "secret-value"),
            connect_url="http://127.0.0.1",
            auth_url="http://127.0.0.1",
            transport=httpx.WSGITransport(app=app),
        )
        for name in ("p0", "p1")
    }
    yield made
    for client in made.values():
        client.close()


def _desired(key: str, ref: ConnectorRef) -> DesiredDeployment:
    return DesiredDeployment(key=key, connector=ref, region="europe-west1.gcp")


def test_reads_each_connector_once_per_target(clients: dict[str, ConnectClient]) -> None:
    desired = [
        _desired("a", ConnectorRef(key="pub")),
        _desired("b", ConnectorRef(key="pub", version=4)),
        _desired("c", ConnectorRef(key="draft", staged=True)),
        _desired("d", ConnectorRef(id="id-pub")),
        _desired("e", ConnectorRef(key="missing")),
    ]
    live = read_targets(clients, {"p0": desired, "p1": desired[:1]})
    p0 = live["p0"]
    assert sorted(d.key for d in p0.deployments) == ["d-0", "d-2", "d-4", "d-6"]
    assert p0.connectors[ConnectorLookup("key=draft", True)].version == 9
    assert p0.connectors[ConnectorLookup("key=draft", True)].staged is True
    assert p0.connectors[ConnectorLookup("id=id-pub")].defaults == {"worker": {"MODE": "slow"}}
    assert ConnectorLookup("key=missing") not in p0.connectors
    # token + one page + 4 distinct connectors (pub by key, pub by id, draft, missing)
    assert clients["p0"].request_count == 1 + 1 + 4
    assert sorted(d.key for d in live["p1"].deployments) == ["d-1", "d-3", "d-5"]
    assert clients["p1"].request_count == 1 + 1 + 1


def test_select_live_by_only_and_exclude(clients: dict[str, ConnectClient]) -> None:
    deployments = read_targets({"p0": clients["p0"]}, {})["p0"].deployments
    assert [d.key for d in select_live(deployments, only=["d-[02]"])] == ["d-0", "d-2"]
    assert sorted(d.key for d in select_live(deployments, exclude=["d-0", "d-6"])) == ["d-2", "d-4"]
    assert len(select_live(deployments)) == 4


def _client(app: EmulatorApp, project: str) -> ConnectClient:
    return ConnectClient(
        project,
        "ci",
        Secret("${S}", "secret-value"),
        connect_url="http://127.0.0.1",
        auth_url="http://127.0.0.1",
        transport=httpx.WSGITransport(app=app),
    )


def test_targets_of_one_project_read_its_pages_once(app: EmulatorApp) -> None:
    team_a, team_b = _client(app, "p0"), _client(app, "p0")
    try:
        desired = {
            "team-a": [_desired("a", ConnectorRef(key="pub"))],
            "team-b": [_desired("b", ConnectorRef(key="pub"))],
        }
        projects = {"team-a": ("p0", "europe-west1.gcp", None), "team-b": ("p0", "europe-west1.gcp", None)}
        live = read_targets({"team-a": team_a, "team-b": team_b}, desired, projects)
        assert sorted(d.key for d in live["team-a"].deployments) == ["d-0", "d-2", "d-4", "d-6"]
        assert live["team-b"].deployments == live["team-a"].deployments
        assert ConnectorLookup("key=pub") in live["team-b"].connectors
        assert team_a.request_count == 1 + 1 + 1  # token, the one page, its connector
        assert team_b.request_count == 1 + 1  # token, its connector: no page
    finally:
        team_a.close()
        team_b.close()


def test_read_one_deployment_by_key(clients: dict[str, ConnectClient]) -> None:
    found = read_deployment(clients["p0"], "d-2")
    assert found is not None and (found.key, found.status) == ("d-2", "Deployed")
    assert read_deployment(clients["p0"], "d-1") is None  # in the other project
    assert read_deployment(clients["p0"], "nope") is None


def test_read_all_deployments_of_a_project(clients: dict[str, ConnectClient]) -> None:
    assert sorted(d.key for d in read_deployments(clients["p1"])) == ["d-1", "d-3", "d-5"]


def test_read_connectors_by_key_and_by_id(clients: dict[str, ConnectClient]) -> None:
    by_id = read_connector_by_id(clients["p0"], "id-pub")
    by_key = read_connector_by_key(clients["p0"], "pub")
    assert by_id is not None and by_key is not None
    assert (by_id.key, by_id.version) == (by_key.key, by_key.version) == ("pub", 4)
    draft = read_connector_by_key(clients["p0"], "draft", staged=True)
    assert draft is not None and (draft.version, draft.staged) == (9, True)
    assert read_connector_by_id(clients["p0"], "id-missing") is None
