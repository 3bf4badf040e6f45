"""Admin routes and faults: stats, reset, seed, clock, targeted faults and seeded random faults."""

from __future__ import annotations

import time

import pytest

from gitsync.emulator import EmulatorApp
from tests.emulator.conftest import PROJECT, Api, draft, wsgi_client

LIST = f"/{PROJECT}/deployments"


def test_stats_count_by_method_and_route_template(api: Api) -> None:
    api.create()
    api.get(f"{LIST}/key=pay")
    api.get(f"{LIST}/key=other")
    api.get("/_emulator/stats")
    stats = api.client.get("/_emulator/stats").json()
    assert stats["requests"] == {
        "POST /oauth/token": 1,
        "POST /{projectKey}/deployments": 1,
        "GET /{projectKey}/deployments/key={key}": 2,
    }
    assert stats["total"] == 4


def test_reset_goes_back_to_the_seed(api: Api) -> None:
    api.create()
    api.client.post("/_emulator/faults", json={"faults": [{"path": LIST, "status": 503}]})
    assert api.client.post("/_emulator/reset").status_code == 200
    assert api.client.get("/_emulator/stats").json() == {"total": 0, "requests": {}}
    assert api.get(LIST).status_code == 401  # tokens are forgotten too
    api.headers = {"Authorization": f"Bearer {api.token()}"}
    assert api.get(LIST).json()["total"] == 0
    assert api.get("/connectors/key=adyen-connector").status_code == 200


def test_seed_endpoint_rejects_bad_seeds_with_the_reason(api: Api) -> None:
    bad = api.client.post(
        "/_emulator/seed",
        json={"deployments": [{"projectKey": PROJECT, "draft": draft("a-b")}], "unknown": []},
    )
    assert bad.status_code == 400 and "unknown" in bad.json()["message"]
    lower = api.client.post(
        "/_emulator/seed", json={"connectors": [{"key": "adyen-connector", "version": 1}]}
    )
    assert lower.status_code == 400 and "below the current version 7" in lower.json()["message"]
    dup = api.client.post(
        "/_emulator/seed",
        json={
            "deployments": [
                {"projectKey": PROJECT, "draft": draft("twin")},
                {"projectKey": PROJECT, "draft": draft("twin")},
            ]
        },
    )
    assert dup.status_code == 400 and "DuplicateField" in dup.json()["message"]


def test_seed_clients_then_credentials_are_checked(api: Api) -> None:
    api.client.post(
        "/_emulator/seed", json={"clients": [{"clientId": "ci", "clientSecret": "s", "scopes": []}]}
    )
    assert (
        api.client.post(
            "/oauth/token", auth=("x", "y"), data={"grant_type": "client_credentials"}
        ).status_code
        == 401
    )


def test_clock_endpoint(api: Api) -> None:
    api.create()
    assert api.client.post("/_emulator/clock", json={"advance": 5}).json()["now"] == 5.0
    assert api.get(f"{LIST}/key=pay").json()["status"] == "Deployed"
    assert api.client.post("/_emulator/clock", json={"advance": -1}).status_code == 400
    real = EmulatorApp()
    with wsgi_client(real) as client:
        assert client.post("/_emulator/clock", json={"advance": 1}).status_code == 400


def test_targeted_fault_before_the_action(api: Api) -> None:
    fault = {"method": "POST", "path": LIST, "status": 503, "times": 1}
    assert api.client.post("/_emulator/faults", json={"faults": [fault]}).status_code == 200
    first = api.post(LIST, json=draft())
    assert first.status_code == 503 and first.json()["errors"][0]["code"] == "ServiceUnavailable"
    assert api.get(LIST).json()["total"] == 0  # nothing was created
    assert api.post(LIST, json=draft()).status_code == 201  # used up


def test_targeted_fault_after_the_action_is_outcome_unknown(api: Api) -> None:
    fault = {"method": "POST", "path": "/acme/deployments*", "status": 502, "after": True}
    api.client.post("/_emulator/faults", json={"faults": [fault]})
    assert api.post(LIST, json=draft()).status_code == 502
    assert api.get(f"{LIST}/key=pay").status_code == 200  # the create happened


def test_429_fault_carries_retry_after_and_glob_paths(api: Api) -> None:
    faults = [{"path": "/acme/deployments/key=*", "status": 429, "times": 2, "retryAfter": 3}]
    api.client.post("/_emulator/faults", json={"faults": faults})
    for _ in range(2):
        response = api.get(f"{LIST}/key=x")
        assert response.status_code == 429 and response.headers["Retry-After"] == "3"
    assert api.get(f"{LIST}/key=x").status_code == 404
    assert api.client.get("/_emulator/faults").json() == {"faults": []}


def test_bad_fault_definitions(api: Api) -> None:
    assert api.client.post("/_emulator/faults", json={"faults": [{"path": 1}]}).status_code == 400
    assert (
        api.client.post(
            "/_emulator/faults", json={"faults": [{"path": "/", "status": 1, "x": 1}]}
        ).status_code
        == 400
    )
    assert api.client.post("/_emulator/nothing").status_code == 404


def _outcomes(seed: int) -> list[int]:
    app = EmulatorApp(error_rate=0.5, random_seed=seed)
    with wsgi_client(app) as client:
        token = client.post("/oauth/token", auth=("a", "b"), data={"grant_type": "client_credentials"})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        return [client.get(LIST, headers=headers).status_code for _ in range(40)]


def test_random_faults_are_deterministic_with_a_seed() -> None:
    first, again, other = _outcomes(7), _outcomes(7), _outcomes(8)
    assert first == again and first != other
    assert set(first) == {200, 429, 502, 503}
    assert 8 <= first.count(200) <= 32


def test_latency_is_added_to_api_requests_not_admin_routes(monkeypatch: pytest.MonkeyPatch) -> None:
    # The delays are recorded, not timed: an upper bound on an admin request's wall time flakes under load.
    delays: list[float] = []
    real_sleep = time.sleep

    def sleep(seconds: float) -> None:
        delays.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(time, "sleep", sleep)
    with wsgi_client(EmulatorApp(latency=0.05)) as client:
        client.get("/_emulator/stats")
        assert delays == []
        start = time.perf_counter()
        client.get(LIST)
        api = time.perf_counter() - start
    assert delays == [0.05] and api >= 0.05
