"""`gitsync apply` run in this process (gitsync.cli.run) against the emulator on loopback: the same paths as
the subprocess tests, so branch coverage sees the command's wiring (plan, refusals, dry-run, report)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from apply_e2e_support import CANARY, LiveEmulator, apply_env, live_emulator
from e2e_support import deployment, manifest, processor, write_repo

from gitsync.cli import run

PROJECT = "acme"


@pytest.fixture
def emulator() -> Any:
    with live_emulator() as running:
        yield running


def _in(root: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    monkeypatch.chdir(root)
    for name, value in apply_env(env).items():
        monkeypatch.setenv(name, value)


def _repo(tmp_path: Path, emulator: LiveEmulator, manifests: dict[str, Any], **target: Any) -> Path:
    return write_repo(tmp_path, emulator.url, {"prod": {"projectKey": PROJECT, **target}}, manifests)


def _seed(emulator: LiveEmulator, *keys: str) -> None:
    emulator.seed({"deployments": [deployment(PROJECT, key, configurations=[processor()]) for key in keys]})


def test_apply_dry_run_then_apply_then_nothing(
    tmp_path: Path,
    emulator: LiveEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _seed(emulator, "pay-a", "gone")
    manifests = {"prod/a.yaml": manifest("pay-a", merchant="New"), "prod/b.yaml": manifest("pay-b")}
    _in(_repo(tmp_path, emulator, manifests, prune=True), monkeypatch)
    assert run(["apply", "--dry-run"]) == 0
    dry = capsys.readouterr()
    assert emulator.writes() == {}
    assert dry.out.index("DELETE /acme/deployments/key=gone") < dry.out.index("POST /acme/deployments\n")
    assert run(["apply", "--yes", "--concurrency", "2", "--timeout", "1m"]) == 0
    applied = capsys.readouterr()
    assert "Apply: 3 applied." in applied.out
    assert run(["apply", "--yes", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {result["outcome"] for result in report["results"]} == {"skipped"}
    assert run(["apply", "--yes"]) == 0
    assert capsys.readouterr().out.startswith("No changes.")
    assert CANARY not in dry.out + dry.err + applied.out + applied.err


def test_apply_refusals_in_process(
    tmp_path: Path,
    emulator: LiveEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _seed(emulator, "pay-a", "old-1", "old-2")
    manifests = {"prod/a.yaml": manifest("pay-a", merchant="New", secured=("ADYEN_API_KEY", "HMAC_KEY"))}
    root = _repo(tmp_path, emulator, manifests, prune=True, maxDeletes=1)
    _in(root, monkeypatch)
    assert run(["apply", "--yes"]) == 3
    assert "maxDeletes" in capsys.readouterr().err
    monkeypatch.delenv("HMAC_KEY")
    assert run(["apply", "--yes", "--force"]) == 1
    assert "secured variable 'HMAC_KEY' of prod/pay-a is not set" in capsys.readouterr().err
    assert run(["apply"]) == 64
    assert emulator.writes() == {}


def test_saved_plans_in_process(
    tmp_path: Path,
    emulator: LiveEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _seed(emulator, "pay-a")
    root = _repo(tmp_path, emulator, {"prod/a.yaml": manifest("pay-a", merchant="New")})
    _in(root, monkeypatch)
    assert run(["plan", "--out", "plan.json", "--redeploy", "pay-a"]) == 0
    assert run(["apply", "--plan", "plan.json", "--yes", "--no-wait"]) == 0
    assert "Apply: 1 applied." in capsys.readouterr().out
    assert run(["apply", "--plan", "plan.json", "--yes"]) == 3  # live moved: version 2 now
    assert "the saved plan is stale" in capsys.readouterr().err
    config = yaml.safe_load((root / "gitsync.yaml").read_text())
    config["targets"]["prod"]["region"] = "us-central1.gcp"
    (root / "gitsync.yaml").write_text(yaml.safe_dump(config))
    assert run(["apply", "--plan", "plan.json", "--yes"]) == 3
    assert "the saved plan does not fit the configuration" in capsys.readouterr().err


def test_plan_errors_in_process(
    tmp_path: Path,
    emulator: LiveEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _seed(emulator, "pay-keep", "pay-old")
    manifests = {
        "prod/a.yaml": manifest("pay-keep"),
        "prod/b.yaml": manifest("pay-b", connector={"key": "nope"}),
    }
    _in(_repo(tmp_path, emulator, manifests, prune=True, protect=["pay-o*"]), monkeypatch)
    assert run(["apply", "--yes"]) == 3  # a guard and another error: the guard wins, both are listed
    err = capsys.readouterr().err
    assert "prod/pay-old: deployment 'pay-old' matches protect glob" in err
    assert "prod/pay-b:" in err
    (tmp_path / "deployments/prod/c.yaml").write_text("key: [")
    assert run(["apply", "--yes"]) == 1
    assert "deployments/prod/c.yaml:2:1: error[yaml-syntax]" in capsys.readouterr().err
    assert emulator.writes() == {}


class _Terminal(io.StringIO):
    """Typed answers on a stdin that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_confirmation_on_a_terminal_in_process(
    tmp_path: Path,
    emulator: LiveEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _in(_repo(tmp_path, emulator, {"prod/a.yaml": manifest("pay-a")}), monkeypatch)
    monkeypatch.setattr(sys, "stdin", _Terminal("no\n"))
    assert run(["apply"]) == 1
    assert "Apply cancelled; nothing was sent." in capsys.readouterr().err
    assert emulator.writes() == {}
    monkeypatch.setattr(sys, "stdin", _Terminal("yes\n"))
    assert run(["apply"]) == 0
    assert "Apply: 1 applied." in capsys.readouterr().out


def test_other_plan_errors_usage_and_verbose_in_process(
    tmp_path: Path,
    emulator: LiveEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _in(_repo(tmp_path, emulator, {"prod/b.yaml": manifest("pay-b", connector={"key": "nope"})}), monkeypatch)
    assert run(["apply", "--yes", "-v"]) == 1
    err = capsys.readouterr().err
    assert "the plan has changes that cannot be applied; nothing was sent" in err
    assert "GET " in err  # -v: one line per HTTP call
    assert run(["apply", "--plan", "plan.json", "--redeploy", "pay-b", "--yes"]) == 64
    assert "does not take --redeploy" in capsys.readouterr().err
    assert emulator.writes() == {}
