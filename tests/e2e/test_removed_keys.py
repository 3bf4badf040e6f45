"""A key removed from a manifest, against an emulator that merges redeploys per key (SPEC §6).

No redeploy can remove such a key, so the plan never proposes one that cannot converge: it names the key
and says to run ``--replace KEY``; the plan is the same every time (no redeploy loop), and ``--replace``
converges.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import (
    SEED,
    Emulator,
    apply_plan,
    by_key,
    deployment,
    gitsync,
    manifest,
    plan_json,
    processor,
    running_emulator,
    write_repo,
)

TARGETS = {"t": {"projectKey": "acme", "prune": True}}


def _worker(key: str, values: list[dict[str, str]]) -> dict[str, Any]:
    """A Deployment (manifest or seed draft) of the ``other`` connector, whose MODE has no default."""
    worker = {"applicationName": "worker", "standardConfiguration": values, "securedConfiguration": []}
    return {
        "key": key,
        "connector": {"key": "other"},
        "region": "europe-west1.gcp",
        "configurations": [worker],
    }


def _manifests(merchant: str = "Acme") -> dict[str, dict[str, Any]]:
    return {
        "t/pay.yaml": manifest("pay", merchant=merchant, secured=("ADYEN_API_KEY",)),  # HMAC_KEY removed
        "t/wk.yaml": _worker("wk", []),  # MODE removed
    }


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Emulator, Path]]:
    live = [
        deployment("acme", "pay", configurations=[processor(secured=("ADYEN_API_KEY", "HMAC_KEY"))]),
        {"projectKey": "acme", "status": "Deployed", "draft": _worker("wk", [{"key": "MODE", "value": "x"}])},
    ]
    # merge named explicitly: the emulator's default is another branch's choice
    with running_emulator({**SEED, "deployments": live}, redeploy_mode="merge") as emulator:
        yield emulator, write_repo(tmp_path, emulator.url, TARGETS, _manifests())


def _plan(root: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = gitsync(root, "plan", "--format", "json", *args)
    data = plan_json(result)
    del data["createdAt"]
    return result.returncode, data


def test_a_removed_key_is_an_error_naming_it_and_replace_and_the_plan_is_stable(
    world: tuple[Emulator, Path],
) -> None:
    _, root = world
    code, first = _plan(root)
    assert code == 1
    changes = by_key(first)
    pay, wk = changes["t/pay"], changes["t/wk"]
    assert (pay["action"], pay["request"], wk["action"], wk["request"]) == ("error", None, "error", None)
    assert "target 't', deployment 'pay': application 'processor' secured key 'HMAC_KEY'" in pay["error"]
    assert "target 't', deployment 'wk': application 'worker' standard key 'MODE'" in wk["error"]
    assert "gitsync plan --replace pay" in pay["error"] and "put the key back" in pay["error"]
    assert [r["path"] for r in wk["reasons"]] == ["configurations.worker.standardConfiguration.MODE"]
    # stable: nothing was sent, and the same plan comes again
    assert _plan(root) == (1, first)
    text = gitsync(root, "plan")
    assert "! error pay" in text.stdout
    assert "application 'processor' secured key 'HMAC_KEY' set live but not in the manifest" in text.stdout


def test_beside_a_real_change_it_redeploys_notes_the_key_stays_and_then_errors(
    world: tuple[Emulator, Path],
) -> None:
    emulator, root = world
    write_repo(root, emulator.url, TARGETS, _manifests(merchant="Changed"))
    code, plan = _plan(root)
    pay = by_key(plan)["t/pay"]
    assert (code, pay["action"]) == (1, "redeploy")  # 1: wk is still an error
    notes = {r["path"]: r.get("note") for r in pay["reasons"]}
    assert notes["configurations.processor.securedConfiguration.HMAC_KEY"] == (
        "stays live: a redeploy cannot remove a key; gitsync plan --replace pay removes it"
    )
    assert notes["configurations.processor.standardConfiguration.MERCHANT"] is None
    text = gitsync(root, "plan")
    assert "HMAC_KEY: (sensitive) → " in text.stdout and "(stays live: a redeploy cannot remove a key" in (
        text.stdout
    )
    assert apply_plan(emulator, plan) == ["redeploy pay"]
    # under merge the key stayed: the next plan is the error, not another redeploy, and stays so
    code, after = _plan(root)
    assert (code, by_key(after)["t/pay"]["action"]) == (1, "error")
    assert _plan(root) == (code, after)


def test_replace_key_converges(world: tuple[Emulator, Path]) -> None:
    emulator, root = world
    code, plan = _plan(root, "--replace", "pay", "--replace", "wk")
    assert code == 0
    changes = by_key(plan)
    for key in ("t/pay", "t/wk"):
        assert changes[key]["action"] == "replace"
        assert changes[key]["reasons"][-1] == {
            "path": "replace",
            "before": None,
            "after": None,
            "note": "requested with --replace",
        }
    assert apply_plan(emulator, plan) == ["replace pay", "replace wk"]
    code, after = _plan(root)
    assert code == 0
    assert [c["action"] for c in after["changes"]] == ["noop", "noop"]


def test_replace_of_an_undeclared_key_is_an_error_before_any_request(world: tuple[Emulator, Path]) -> None:
    emulator, root = world
    before = emulator.stats()["total"]
    result = gitsync(root, "plan", "--replace", "nope")
    assert result.returncode == 1
    assert "--replace nope: no selected manifest declares this deployment" in result.stderr
    assert "Traceback" not in result.stderr
    assert emulator.stats()["total"] == before


def test_replace_of_a_protected_deployment_is_an_error(world: tuple[Emulator, Path]) -> None:
    emulator, root = world
    write_repo(root, emulator.url, {"t": {**TARGETS["t"], "protect": ["pay"]}}, _manifests())
    code, plan = _plan(root, "--replace", "pay")
    pay = by_key(plan)["t/pay"]
    assert (code, pay["action"], pay["request"]) == (1, "error", None)
    assert "protect glob 'pay'" in pay["error"]
