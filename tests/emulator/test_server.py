"""Real HTTP: the threaded server under 200 concurrent requests, and ``gitsync emulator`` as a process."""

from __future__ import annotations

import socket
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from gitsync.emulator import EmulatorApp, load_seed, serve
from tests.emulator.conftest import draft, make_app

SEED_FILE = Path(__file__).with_name("seed-example.yaml")


def test_200_concurrent_requests_are_all_answered_consistently() -> None:
    app, _ = make_app()
    with serve(app) as server, httpx.Client(base_url=server.url) as client:
        token = client.post("/oauth/token", auth=("a", "b"), data={"grant_type": "client_credentials"})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}

        limits = httpx.Limits(max_connections=200)
        with httpx.Client(base_url=server.url, timeout=30, limits=limits) as shared:

            def create(index: int) -> int:
                body = draft(f"c-{index % 100}")
                return shared.post("/acme/deployments", headers=headers, json=body).status_code

            with ThreadPoolExecutor(max_workers=200) as pool:
                statuses = list(pool.map(create, range(200)))
        page = client.get("/acme/deployments", headers=headers, params={"limit": 500}).json()
        stats = client.get("/_emulator/stats").json()
    assert sorted(statuses) == [201] * 100 + [400] * 100  # each key created exactly once
    assert page["total"] == 100 and len({d["id"] for d in page["results"]}) == 100
    assert stats["requests"]["POST /{projectKey}/deployments"] == 200


def test_server_url_and_stop() -> None:
    server = serve(EmulatorApp(), port=0)
    assert server.url.startswith("http://127.0.0.1:")
    assert httpx.get(server.url + "/_emulator/stats").json()["total"] == 0
    server.stop()
    try:
        httpx.get(server.url + "/_emulator/stats", timeout=1)
    except httpx.TransportError:
        return
    raise AssertionError("the server still answers after stop()")


def test_example_seed_loads() -> None:
    seed = load_seed(SEED_FILE)
    assert [c["key"] for c in seed["connectors"]] == ["adyen-connector"]
    assert seed["clients"][0]["clientId"] == "ci"


def test_cli_prints_the_url_first_and_serves_until_terminated() -> None:
    command = [
        sys.executable,
        "-m",
        "gitsync",
        "emulator",
        "--seed",
        str(SEED_FILE),
        "--port",
        "0",
        "--deploy-time",
        "200ms",
        "--duplicate-key",
        "conflict",
        "--rollback-route",
        "rollback",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        token = subprocess.run(
            [
                "curl",
                "-sS",
                "-u",
                "ci:not-a-real-secret",
                "-d",
                "grant_type=client_credentials",
                f"{url}/oauth/token",
            ],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
        assert '"token_type": "Bearer"' in token
        access = token.split('"access_token": "')[1].split('"')[0]
        found = subprocess.run(
            [
                "curl",
                "-sS",
                "-H",
                f"Authorization: Bearer {access}",
                f"{url}/acme-staging/deployments/key=adyen-payments",
            ],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
        assert '"status": "Deployed"' in found and '"key": "adyen-payments"' in found
        anonymous = subprocess.run(
            ["curl", "-sS", f"{url}/acme-staging/deployments"], capture_output=True, timeout=10, check=True
        )
        assert b'"code": "invalid_token"' in anonymous.stdout
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert process.returncode in (0, 130)
    assert "GET /acme-staging/deployments/key=adyen-payments -> 200" in stderr
    assert "GET /acme-staging/deployments -> 401 invalid_token" in stderr
    banner = stderr.splitlines()[:2]
    assert (
        banner[0] == f"gitsync emulator: serving the Connect API and /oauth/token at {url} (Ctrl-C stops it)"
    )
    assert f"seed {SEED_FILE} (1 connector, 1 deployment)" in banner[1]
    assert "--deploy-time 0.2s" in banner[1] and "--duplicate-key conflict" in banner[1]
    assert "--redeploy-mode merge" in banner[1] and "--rollback-route rollback" in banner[1]  # merge: default
    assert "not-a-real-secret" not in stderr and access not in stderr


BAD_SEEDS = {
    "yaml": ("connectors:\n  - key: x\n    version: [\n", "the seed is not valid YAML"),
    "type": ("connectors:\n  - key: x\n    version: '7'\n", "'version' is required and must be an integer"),
    "reference": (
        "deployments:\n  - projectKey: p\n"
        "    draft: {key: pay, connector: {key: nope}, region: eu-central-1.aws}\n",
        "deployments[0] (pay): ConnectorReferenceNotFound: Connector 'nope' with version latest not found",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_SEEDS))
def test_cli_reports_a_bad_seed_without_a_traceback(tmp_path: Path, case: str) -> None:
    text, expected = BAD_SEEDS[case]
    seed = tmp_path / "seed.yaml"
    seed.write_text(text)
    result = subprocess.run(
        [sys.executable, "-m", "gitsync", "emulator", "--seed", str(seed), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"error: {seed}:") and expected in result.stderr
    assert "fix the seed file" in result.stderr and "Traceback" not in result.stderr


def test_cli_reports_a_taken_port_and_bad_flags(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "gitsync", "emulator", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"error: cannot listen on 127.0.0.1:{port}:" in result.stderr and "--port" in result.stderr
    flags = subprocess.run(
        [sys.executable, "-m", "gitsync", "emulator", "--deploy-time", "2x", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert flags.returncode == 64 and "'2x' is not a duration; use e.g. 2s, 500ms" in flags.stderr
