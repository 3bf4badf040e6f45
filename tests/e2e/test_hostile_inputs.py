"""Hostile inputs to `gitsync plan`: each is one clear error or a correct plan, never exit 4 or a leak."""

from __future__ import annotations

from pathlib import Path

from e2e_support import gitsync, manifest, running_emulator, write_repo

LITERAL = "literal-canary-5ecret"


def test_plan_refuses_a_literal_secret_without_offering_a_flag_it_lacks(tmp_path: Path) -> None:
    document = manifest("pay")
    document["configurations"][0]["securedConfiguration"] = [{"key": "ADYEN_API_KEY", "value": LITERAL}]
    with running_emulator() as emulator:
        write_repo(
            tmp_path, emulator.url, {"staging": {"projectKey": "acme"}}, {"staging/pay.yaml": document}
        )
        result = gitsync(tmp_path, "plan", "--out", "plan.json")
        requests = emulator.stats()
    assert result.returncode == 1, result.stderr
    assert "error[plaintext-secret]" in result.stderr
    assert "--allow-plaintext-secrets" not in result.stderr  # plan has no such flag (exit 64 if tried)
    assert "plan has no opt-out" in result.stderr
    assert LITERAL not in result.stdout + result.stderr
    assert not (tmp_path / "plan.json").exists()
    assert requests["total"] == 0  # refused before any API call
