"""The examples/ folder is a working user repository: it validates, its seed drives the emulator, and its
two configs, modelines and .env.example stay in step with the manifests."""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from gitsync.emulator import EmulatorApp, load_seed, serve

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
MANIFESTS = sorted((EXAMPLES / "deployments").rglob("*.yaml"))
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)$")
VARIABLE = re.compile(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _gitsync(*args: str, cwd: Path = EXAMPLES) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gitsync", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


@pytest.mark.parametrize("config", ["gitsync.yaml", "gitsync.emulator.yaml"])
def test_examples_validate_clean(config: str) -> None:
    done = _gitsync("validate", "--config", str(EXAMPLES / config), cwd=EXAMPLES.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_there_are_manifests_of_every_shape() -> None:
    connectors = {_yaml(path)["connector"]["key"] for path in MANIFESTS}
    assert {"adyen-connector", "order-export-job", "store-locator-app"} <= connectors
    schedules = [app.get("schedule") for path in MANIFESTS for app in _yaml(path).get("configurations", [])]
    assert any(schedules)


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda path: str(path.relative_to(EXAMPLES)))
def test_manifest_starts_with_its_connectors_schema_as_modeline(manifest: Path) -> None:
    first = manifest.read_text().splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{manifest}: first line is not the yaml-language-server modeline: {first!r}"
    target = (manifest.parent / match["path"]).resolve()
    # the pulled schema of the manifest's own connector: it completes that connector's applications and keys
    connector = _yaml(manifest)["connector"]["key"]
    assert target == EXAMPLES / "schemas" / "connectors" / f"{connector}.schema.json"
    Draft202012Validator(json.loads(target.read_text(encoding="utf-8"))).validate(_yaml(manifest))


def test_every_modeline_in_examples_resolves_inside_examples(tmp_path: Path) -> None:
    """Copied alone (the way docs/examples.md suggests), the folder's modelines still name files in it."""
    copy = tmp_path / "acme"
    shutil.copytree(EXAMPLES, copy)
    found = []
    for path in sorted(copy.rglob("*.y*ml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = MODELINE.match(line)
            if match:
                target = (path.parent / match["path"]).resolve()
                assert target.is_relative_to(copy) and target.is_file(), f"{path}: {line}"
                found.append(path)
    assert {p.relative_to(copy) for p in found} >= {m.relative_to(EXAMPLES) for m in MANIFESTS}
    done = _gitsync("validate", "--config", str(copy / "gitsync.yaml"), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_emulator_config_differs_only_in_urls() -> None:
    real = _yaml(EXAMPLES / "gitsync.yaml")["targets"]
    demo = _yaml(EXAMPLES / "gitsync.emulator.yaml")["targets"]
    assert all("connectUrl" not in target and "authUrl" not in target for target in real.values())
    for target in demo.values():
        assert target.pop("connectUrl").startswith("http://127.0.0.1:")
        assert target.pop("authUrl").startswith("http://127.0.0.1:")
    assert demo == real


def test_env_example_lists_every_variable_the_targets_do_not_set() -> None:
    config = _yaml(EXAMPLES / "gitsync.yaml")
    provided = {name for target in config["targets"].values() for name in target.get("vars", {})}
    texts = [path.read_text() for path in [EXAMPLES / "gitsync.yaml", *MANIFESTS]]
    referenced = {name for text in texts for name in VARIABLE.findall(text)}
    listed = set(re.findall(r"^([A-Z_][A-Z0-9_]*)=", (EXAMPLES / ".env.example").read_text(), re.M))
    assert listed == referenced - provided


def test_demo_credentials_match_the_seed_clients() -> None:
    env = dict(re.findall(r"^([A-Z_]+)=(.+)$", (EXAMPLES / ".env.example").read_text(), re.M))
    clients = {
        client["clientId"]: client["clientSecret"]
        for client in load_seed(EXAMPLES / "emulator-seed.yaml")["clients"]
    }
    for target in ("STAGING", "PRODUCTION"):
        assert clients[env[f"CTP_{target}_CLIENT_ID"]] == env[f"CTP_{target}_CLIENT_SECRET"]


def _get(url: str, token: str | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _token(base: str, client_id: str, secret: str) -> str:
    request = urllib.request.Request(
        f"{base}/oauth/token", data=b"grant_type=client_credentials", method="POST"
    )
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    request.add_header("Authorization", f"Basic {basic}")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.loads(response.read())["access_token"])


def test_seed_serves_every_connector_the_manifests_use() -> None:
    seed = load_seed(EXAMPLES / "emulator-seed.yaml")
    with serve(EmulatorApp(seed, deploy_time=0.2), port=0) as server:
        token = _token(server.url, "acme-staging-ci", "emulator-only-staging-secret")
        for manifest in MANIFESTS:
            connector = _yaml(manifest)["connector"]
            drafts = "drafts/" if connector.get("staged") else ""
            status, body = _get(f"{server.url}/connectors/{drafts}key={connector['key']}", token)
            assert status == 200, (manifest, body)
            assert body["key"] == connector["key"]
        status, body = _get(f"{server.url}/acme-staging/deployments/key=store-locator", token)
        assert status == 200 and body["status"] == "Deployed"
