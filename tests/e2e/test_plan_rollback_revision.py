"""plan shows the API's rollbackRevision of a live Deployment (docs 2026-10-23) in JSON and text."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.e2e.e2e_support import (
    CLIENT_SECRET,
    deployment,
    gitsync,
    manifest,
    plan_json,
    processor,
    running_emulator,
    write_repo,
)


def test_plan_shows_the_revision_a_rollback_restored(tmp_path: Path) -> None:
    with running_emulator() as emulator:
        emulator.seed({"deployments": [deployment("acme", "pay", configurations=[processor("Old")])]})
        token = httpx.post(f"{emulator.url}/oauth/token", auth=("ci", CLIENT_SECRET),
                           data={"grant_type": "client_credentials"}).json()["access_token"]  # fmt: skip
        headers = {"Authorization": f"Bearer {token}"}
        path = f"{emulator.url}/acme/deployments/key=pay"
        rolled = httpx.post(f"{path}/revisions/1", json={"version": 1}, headers=headers)
        assert rolled.status_code == 201, rolled.text
        emulator.clock.advance(1.0)
        write_repo(tmp_path, emulator.url, {"s": {"projectKey": "acme"}}, {"s/pay.yaml": manifest("pay")})
        change = plan_json(gitsync(tmp_path, "plan", "--format", "json"))["changes"][0]
        assert change["action"] == "redeploy" and change["live"]["rollbackRevision"] == "1"
        text = gitsync(tmp_path, "plan").stdout
        assert "live: rolled back to revision 1" in text
