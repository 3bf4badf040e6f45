"""Plans that must not read "No changes" (issue 7, items 1 and 4): the CLI against the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import (
    ADYEN,
    Emulator,
    by_key,
    deployment,
    gitsync,
    manifest,
    plan_json,
    processor,
    running_emulator,
    write_repo,
)

# a connector whose application and keys start with `__`, as the key pattern allows
PRIVATE: dict[str, Any] = {
    "key": "private",
    "id": "c-private",
    "version": 1,
    "name": "Private",
    "configurations": [
        {
            "applicationName": "__worker",
            "applicationType": "service",
            "standardConfiguration": [{"key": "__LOG_LEVEL", "description": "log"}],
            "securedConfiguration": [{"key": "__TOKEN", "description": "token"}],
        }
    ],
    "globalConfiguration": {"standardConfiguration": [], "securedConfiguration": []},
}


def _worker(level: str, secured: tuple[str, ...] = (), *, reference: bool = False) -> dict[str, Any]:
    values = [{"key": name, "value": "${" + name + "}" if reference else "live"} for name in secured]
    return {
        "applicationName": "__worker",
        "standardConfiguration": [{"key": "__LOG_LEVEL", "value": level}],
        "securedConfiguration": values,
    }


def _private_manifest(key: str, level: str, secured: tuple[str, ...] = ()) -> dict[str, Any]:
    configurations = [_worker(level, secured, reference=True)]
    return {
        "key": key,
        "connector": {"key": "private"},
        "region": "europe-west1.gcp",
        "configurations": configurations,
    }


LIVE = [
    deployment("acme", "level", connector="private", configurations=[_worker("info")]),
    deployment("acme", "token", connector="private", configurations=[_worker("info")]),
    deployment("acme", "private-same", connector="private", configurations=[_worker("info", ("__TOKEN",))]),
    deployment("acme", "busy-differs", status="Deploying", configurations=[processor()]),
    deployment("acme", "busy-matches", status="Queued", configurations=[processor()]),
    deployment("acme", "same", configurations=[processor()]),
]
MANIFESTS = {
    "staging/level.yaml": _private_manifest("level", "debug"),
    "staging/token.yaml": _private_manifest("token", "info", ("__TOKEN",)),
    "staging/private-same.yaml": _private_manifest("private-same", "info", ("__TOKEN",)),
    "staging/busy-differs.yaml": manifest("busy-differs", merchant="Changed"),
    "staging/busy-matches.yaml": manifest("busy-matches"),
    "staging/same.yaml": manifest("same"),
}
ENV = {"__TOKEN": "token-value"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Emulator, Path]]:
    with running_emulator({"connectors": [ADYEN, PRIVATE]}) as emulator:
        emulator.seed({"deployments": LIVE})
        root = write_repo(
            tmp_path_factory.mktemp("repo"), emulator.url, {"staging": {"projectKey": "acme"}}, MANIFESTS
        )
        yield emulator, root


def _plan(root: Path, *args: str) -> dict[str, Any]:
    result = gitsync(root, "plan", "--format", "json", *args, env=ENV)
    assert result.returncode == 0, result.stderr
    return by_key(plan_json(result))


def test_double_underscore_keys_and_applications_are_compared(world: tuple[Emulator, Path]) -> None:
    _, root = world
    changes = _plan(root, "--only", "level", "--only", "token", "--only", "private-same")
    reasons = {
        key: [(r["path"], r["before"], r["after"]) for r in c["reasons"]] for key, c in changes.items()
    }
    assert changes["staging/level"]["action"] == "redeploy"
    assert reasons["staging/level"] == [
        ("configurations.__worker.standardConfiguration.__LOG_LEVEL", "info", "debug")
    ]
    assert changes["staging/token"]["action"] == "redeploy"
    assert reasons["staging/token"] == [
        ("configurations.__worker.securedConfiguration.__TOKEN", None, "(sensitive)")
    ]
    assert changes["staging/private-same"]["action"] == "noop"
    assert "token-value" not in repr(changes)


def test_a_double_underscore_change_exits_2(world: tuple[Emulator, Path]) -> None:
    _, root = world
    result = gitsync(root, "plan", "--only", "level", "--detailed-exitcode", env=ENV)
    assert result.returncode == 2, result.stderr
    assert '__LOG_LEVEL: "info" → "debug"' in result.stdout


def test_a_busy_deployment_whose_manifest_differs_lists_the_difference(world: tuple[Emulator, Path]) -> None:
    _, root = world
    changes = _plan(root, "--only", "busy-*")
    differs = changes["staging/busy-differs"]
    assert differs["action"] == "wait"
    assert [(r["path"], r["before"], r["after"]) for r in differs["reasons"]] == [
        ("status", "Deploying", None),
        ("configurations.processor.standardConfiguration.MERCHANT", "Acme", "Changed"),
    ]
    matches = changes["staging/busy-matches"]
    assert matches["action"] == "wait"
    assert [r["path"] for r in matches["reasons"]] == ["status"]


@pytest.mark.parametrize(
    ("only", "code"),
    [("busy-differs", 2), ("busy-matches", 2), ("same", 0)],
)
def test_every_wait_is_work_for_detailed_exitcode(world: tuple[Emulator, Path], only: str, code: int) -> None:
    _, root = world
    result = gitsync(root, "plan", "--only", only, "--detailed-exitcode", env=ENV)
    assert result.returncode == code, result.stdout + result.stderr


def test_a_wait_shows_its_difference_in_text_and_markdown(world: tuple[Emulator, Path]) -> None:
    _, root = world
    result = gitsync(root, "plan", "--only", "busy-differs", env=ENV)
    assert 'status: "Deploying" (busy:' in result.stdout
    assert 'MERCHANT: "Acme" → "Changed"' in result.stdout
    markdown = gitsync(root, "plan", "--only", "busy-differs", "--format", "markdown", env=ENV).stdout
    lines = markdown.splitlines()
    assert '  status = "Deploying"  # busy: apply waits for it to settle, then plans it' in lines
    assert '- processor.MERCHANT = "Acme"' in lines and '+ processor.MERCHANT = "Changed"' in lines
