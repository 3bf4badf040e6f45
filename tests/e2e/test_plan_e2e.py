"""`gitsync plan` end to end: the CLI as a subprocess against the emulator over loopback HTTP."""

from __future__ import annotations

import re
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

SENSITIVE = "(sensitive)"
SYNC_SCHEDULE = {"applicationName": "sync", "standardConfiguration": [], "securedConfiguration": []}


def _live_seed() -> list[dict[str, Any]]:
    """Live Deployments of every shape: created while adyen is at version 6."""
    staging = "acme"
    sync = {**SYNC_SCHEDULE, "schedule": "0 * * * *"}
    glob = {"standardConfiguration": [{"key": "LOG_LEVEL", "value": "info"}], "securedConfiguration": []}
    return [
        deployment(staging, "same", configurations=[processor()]),
        deployment(staging, "value", configurations=[processor("Old")]),
        deployment(staging, "default", configurations=[processor(ADYEN_ENV="LIVE")]),
        deployment(staging, "seckey", configurations=[processor()]),
        deployment(staging, "sched", configurations=[processor(), sync]),
        deployment(staging, "glob", configurations=[processor()], globalConfiguration=glob),
        deployment(staging, "failed", status="Failed", configurations=[processor()]),
        deployment(staging, "upgrade", configurations=[processor()]),
        deployment(staging, "stuck", configurations=[processor()]),
        deployment(staging, "region", region="us-central1.gcp", configurations=[processor()]),
        deployment(staging, "conn", connector="other", configurations=[]),
        deployment(staging, "kind", configurations=[processor()]),
        deployment(staging, "busy", status="Deploying", configurations=[processor()]),
        deployment(staging, "gone", configurations=[processor()]),
        deployment(staging, "keep-me", configurations=[processor()]),
        deployment(staging, "guarded", configurations=[processor()]),
        deployment(staging, "undeploy", status="UndeployFailed", configurations=[processor()]),
        deployment(staging, "pinned", configurations=[processor()]),
        deployment(staging, "byid", configurations=[processor()]),
        deployment(staging, "defwritten", configurations=[processor()]),
        {**deployment(staging, "staged", configurations=[]), "draft": _staged_draft("staged")},
        deployment("acme-prod", "p-same", configurations=[processor()]),
        deployment("acme-prod", "stray", configurations=[processor()]),
    ]


def _staged_draft(key: str) -> dict[str, Any]:
    """A preview Deployment of the staged connector ``drafty``."""
    worker = {"applicationName": "worker", "standardConfiguration": [{"key": "MODE", "value": "x"}]}
    connector = {"key": "drafty", "staged": True}
    return {"key": key, "connector": connector, "region": "europe-west1.gcp", "configurations": [worker]}


def _manifests() -> dict[str, dict[str, Any]]:
    sync = {**SYNC_SCHEDULE, "schedule": "*/5 * * * *"}
    adyen_7 = {"key": "adyen", "version": 7}
    documents = {
        "same": manifest("same"),
        "value": manifest("value"),
        "default": manifest("default"),
        "seckey": manifest("seckey", secured=("ADYEN_API_KEY", "HMAC_KEY")),
        "sched": manifest("sched"),
        "glob": manifest(
            "glob", globalConfiguration={"standardConfiguration": [{"key": "LOG_LEVEL", "value": "debug"}]}
        ),
        "failed": manifest("failed"),
        "upgrade": manifest("upgrade", connector={"key": "adyen", "version": "latest"}),
        "stuck": manifest("stuck", connector={"key": "adyen", "version": 5}),
        "region": manifest("region"),
        "conn": manifest("conn"),
        "kind": manifest("kind", type="production"),
        "busy": manifest("busy", merchant="Changed"),
        "guarded": manifest("guarded", region="us-central1.gcp", lifecycle={"preventDestroy": True}),
        "new": manifest("new", connector=adyen_7),
        "undeploy": manifest("undeploy"),
        "pinned": manifest("pinned", connector=adyen_7),
        "byid": manifest("byid", connector={"id": "c-adyen"}),
        "defwritten": manifest("defwritten"),
        "staged": {**_staged_draft("staged"), "connector": {"key": "other"}, "type": "sandbox"},
    }
    documents["defwritten"]["configurations"][0]["standardConfiguration"].append(
        {"key": "ADYEN_ENV", "value": "TEST"}  # the connector's default: not a change
    )
    documents["sched"]["configurations"].append(sync)
    files = {f"staging/{key}.yaml": document for key, document in documents.items()}
    files["prod/p-same.yaml"] = manifest("p-same")
    return files


TARGETS = {
    "staging": {"projectKey": "acme", "prune": True, "protect": ["keep-*"]},
    "prod": {"projectKey": "acme-prod"},
}

# key → (action, reason paths)
EXPECTED: dict[str, tuple[str, list[str]]] = {
    "staging/same": ("noop", []),
    "staging/value": ("redeploy", ["configurations.processor.standardConfiguration.MERCHANT"]),
    "staging/default": ("redeploy", ["configurations.processor.standardConfiguration.ADYEN_ENV"]),
    "staging/seckey": ("redeploy", ["configurations.processor.securedConfiguration.HMAC_KEY"]),
    "staging/sched": ("redeploy", ["configurations.sync.schedule"]),
    "staging/glob": ("redeploy", ["globalConfiguration.standardConfiguration.LOG_LEVEL"]),
    "staging/failed": ("redeploy", ["status"]),
    "staging/upgrade": ("redeploy", ["connector.version"]),
    "staging/stuck": ("error", []),
    "staging/region": ("replace", ["region"]),
    "staging/conn": ("replace", ["connector"]),
    "staging/kind": ("replace", ["type"]),
    "staging/busy": ("wait", ["status", "configurations.processor.standardConfiguration.MERCHANT"]),
    "staging/gone": ("delete", ["manifest"]),
    "staging/keep-me": ("error", ["manifest"]),
    "staging/guarded": ("error", ["region"]),
    "staging/new": ("create", []),
    "staging/undeploy": ("redeploy", ["status"]),
    "staging/pinned": ("redeploy", ["connector.version"]),
    "staging/byid": ("noop", []),
    "staging/defwritten": ("noop", []),
    "staging/staged": ("replace", ["connector", "connector.staged", "type"]),
    "prod/p-same": ("noop", []),
    "prod/stray": ("unmanaged", []),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Emulator, Path]]:
    """One emulator seeded with every live shape, adyen then moved to version 7, and the user's repo."""
    with running_emulator() as emulator:
        emulator.seed({"deployments": _live_seed()})
        emulator.seed({"connectors": [{**ADYEN, "version": 7}]})
        root = write_repo(tmp_path_factory.mktemp("repo"), emulator.url, TARGETS, _manifests())
        yield emulator, root


@pytest.fixture(scope="module")
def full_plan(world: tuple[Emulator, Path]) -> dict[str, Any]:
    _, root = world
    result = gitsync(root, "plan", "--format", "json")
    assert result.returncode == 1, result.stderr  # the plan holds `error` actions
    return plan_json(result)


@pytest.mark.parametrize("key", EXPECTED)
def test_every_action_and_reason(full_plan: dict[str, Any], key: str) -> None:
    action, paths = EXPECTED[key]
    change = by_key(full_plan)[key]
    assert change["action"] == action, change
    assert [reason["path"] for reason in change["reasons"]] == paths


def test_plan_covers_exactly_the_expected_deployments(full_plan: dict[str, Any]) -> None:
    assert sorted(by_key(full_plan)) == sorted(EXPECTED)
    assert [target["name"] for target in full_plan["targets"]] == ["staging", "prod"]
    assert full_plan["summary"] == {
        "create": 1,
        "redeploy": 9,
        "replace": 4,
        "delete": 1,
        "noop": 4,
        "wait": 1,
        "unmanaged": 1,
        "error": 3,
    }


def test_reason_values(full_plan: dict[str, Any]) -> None:
    changes = by_key(full_plan)
    assert changes["staging/value"]["reasons"][0] | {"path": ""} == {
        "path": "",
        "before": "Old",
        "after": "Acme",
    }
    assert changes["staging/default"]["reasons"][0]["before"] == "LIVE"
    assert changes["staging/default"]["reasons"][0]["after"] == "TEST"
    assert changes["staging/seckey"]["reasons"][0]["after"] == SENSITIVE
    assert changes["staging/upgrade"]["reasons"][0]["before"] == 6
    assert changes["staging/upgrade"]["reasons"][0]["after"] == 7
    assert changes["staging/conn"]["reasons"][0]["before"] == "id=c-other"
    assert changes["staging/kind"]["reasons"][0]["note"] == "forces replacement"
    assert changes["staging/seckey"]["reasons"][0]["before"] is None
    assert changes["staging/undeploy"]["reasons"][0] | {"note": ""} == {
        "path": "status",
        "before": "UndeployFailed",
        "after": "Deployed",
        "note": "",
    }
    pinned = changes["staging/pinned"]
    assert pinned["reasons"] == [
        {"path": "connector.version", "before": 6, "after": 7, "note": "updateConnector"}
    ]
    assert pinned["request"]["body"]["actions"][0]["updateConnector"] is True
    staged = [(r["before"], r["after"], r["note"]) for r in changes["staging/staged"]["reasons"]]
    assert staged[1:] == [(True, False, "forces replacement"), ("preview", "sandbox", "forces replacement")]


def test_json_document_has_the_spec_shape(full_plan: dict[str, Any]) -> None:
    """SPEC §3.1: versioned, stable order, every Deployment (noop included), the fields reviewers rely on."""
    assert list(full_plan) == ["formatVersion", "createdAt", "targets", "summary", "changes"]
    assert full_plan["formatVersion"] == 2
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", full_plan["createdAt"])
    assert full_plan["targets"][0] == {"name": "staging", "projectKey": "acme", "region": "europe-west1.gcp"}
    assert sum(full_plan["summary"].values()) == len(full_plan["changes"])
    first = ["target", "key", "action", "source", "live", "reasons", "request"]
    extra = {"deleteRequest", "error", "manifestDigest", "removes"}
    for change in full_plan["changes"]:
        assert list(change)[:7] == first and set(change) - set(first) <= extra, change
        if change["live"] is not None:
            assert list(change["live"]) == ["id", "version", "status"]
        for reason in change["reasons"]:
            assert list(reason)[:3] == ["path", "before", "after"]
    changes = by_key(full_plan)
    assert changes["staging/same"]["request"] is None and changes["staging/same"]["reasons"] == []
    assert list(changes["staging/value"]["request"]) == ["method", "path", "body", "secrets"]
    assert list(changes["staging/value"]["request"]["body"]) == ["version", "actions"]
    assert changes["staging/value"]["source"] == "deployments/staging/value.yaml"
    assert re.fullmatch(r"[0-9a-f]{64}", changes["staging/value"]["manifestDigest"])
    assert changes["staging/gone"]["source"] is None and changes["staging/new"]["live"] is None


def test_requests(full_plan: dict[str, Any]) -> None:
    changes = by_key(full_plan)
    upgrade = changes["staging/upgrade"]
    assert upgrade["request"]["path"] == "/acme/deployments/key=upgrade"
    action = upgrade["request"]["body"]["actions"][0]
    assert action["updateConnector"] is True
    assert upgrade["request"]["body"]["version"] == upgrade["live"]["version"]
    assert [app["applicationName"] for app in action["configurationValues"]] == ["processor", "sync"]
    new = changes["staging/new"]["request"]
    assert (new["method"], new["path"]) == ("POST", "/acme/deployments")
    assert new["body"]["connector"] == {"key": "adyen", "version": 7}
    assert new["body"]["configurations"][0]["securedConfiguration"] == [
        {"key": "ADYEN_API_KEY", "value": "${ADYEN_API_KEY}"}
    ]
    replace = changes["staging/region"]
    assert replace["deleteRequest"] == {"method": "DELETE", "path": "/acme/deployments/key=region"}
    assert "preventDestroy" in changes["staging/guarded"]["error"]
    assert "keep-*" in changes["staging/keep-me"]["error"]
    assert "below the live version 6" in changes["staging/stuck"]["error"]


def test_only_exclude_and_target(world: tuple[Emulator, Path]) -> None:
    _, root = world
    result = gitsync(
        root, "plan", "--format", "json", "--only", "s*", "--exclude", "st*", "--target", "staging"
    )
    plan = plan_json(result)
    assert sorted(by_key(plan)) == ["staging/same", "staging/sched", "staging/seckey"]
    assert [target["name"] for target in plan["targets"]] == ["staging"]
    assert result.returncode == 0


def test_a_glob_that_matches_nothing_says_so(world: tuple[Emulator, Path]) -> None:
    _, root = world
    result = gitsync(root, "plan", "--only", "[typo")
    assert result.returncode == 0
    assert "note: no deployment key matched --only/--exclude; check the globs" in result.stderr
    assert "note:" not in gitsync(root, "plan", "--only", "same").stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--only", "same"], 0),
        (["--only", "same", "--detailed-exitcode"], 0),
        (["--only", "value", "--detailed-exitcode"], 2),
        (["--only", "value"], 0),
        (["--only", "stuck", "--detailed-exitcode"], 1),
    ],
)
def test_detailed_exitcode(world: tuple[Emulator, Path], args: list[str], code: int) -> None:
    _, root = world
    result = gitsync(root, "plan", "--target", "staging", *args)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr


def test_redeploy_flag_forces_a_noop(world: tuple[Emulator, Path]) -> None:
    _, root = world
    result = gitsync(root, "plan", "--format", "json", "--only", "same", "--redeploy", "same")
    change = by_key(plan_json(result))["staging/same"]
    assert change["action"] == "redeploy"
    assert change["reasons"][0]["note"] == "requested with --redeploy"


def test_redeploy_flag_of_an_unknown_key(world: tuple[Emulator, Path]) -> None:
    _, root = world
    result = gitsync(root, "plan", "--redeploy", "nope")
    assert result.returncode == 1
    assert "--redeploy nope" in result.stderr and "Traceback" not in result.stderr


def test_out_then_show(world: tuple[Emulator, Path], tmp_path: Path) -> None:
    _, root = world
    saved = tmp_path / "plan.json"
    planned = gitsync(
        root, "plan", "--format", "json", "--target", "staging", "--only", "value", "--out", str(saved)
    )
    assert planned.returncode == 0, planned.stderr
    shown = gitsync(root, "show", str(saved), "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert plan_json(shown)["changes"] == plan_json(planned)["changes"]


def test_a_create_lists_its_fields(world: tuple[Emulator, Path]) -> None:
    _, root = world
    text = gitsync(root, "plan", "--target", "staging", "--only", "new").stdout.splitlines()
    start = text.index("  + create new  (deployments/staging/new.yaml)")
    assert text[start + 1 : start + 7] == [
        '    connector.key: "adyen"',
        "    connector.version: 7",
        '    type: "sandbox" (API default)',
        '    region: "europe-west1.gcp"',
        '    configurations.processor.standardConfiguration.MERCHANT: "Acme"',
        "    configurations.processor.securedConfiguration.ADYEN_API_KEY: (sensitive)",
    ]
    markdown = gitsync(root, "plan", "--format", "markdown", "--target", "staging", "--only", "new").stdout
    assert "+ connector.version = 7" in markdown
    assert "adyen-key-value" not in markdown and "ADYEN_API_KEY}" not in markdown


def test_text_and_markdown_render(world: tuple[Emulator, Path]) -> None:
    _, root = world
    text = gitsync(root, "plan", "--target", "staging", "--only", "value")
    assert text.returncode == 0 and "value" in text.stdout and "Old" in text.stdout
    markdown = gitsync(root, "plan", "--format", "markdown", "--target", "staging", "--only", "value")
    assert markdown.stdout.startswith("<!-- gitsync-plan -->")


def test_paths_narrow_manifests_and_never_prune(world: tuple[Emulator, Path]) -> None:
    _, root = world
    result = gitsync(
        root, "plan", "--format", "json", "--target", "staging", "deployments/staging/value.yaml"
    )
    changes = by_key(plan_json(result))
    assert changes["staging/value"]["action"] == "redeploy"
    assert changes["staging/gone"]["action"] == "unmanaged"


def test_missing_variable_fails_before_any_request(tmp_path: Path) -> None:
    with running_emulator() as emulator:
        root = write_repo(
            tmp_path,
            emulator.url,
            {"staging": {"projectKey": "acme"}},
            {"staging/a.yaml": manifest("aa", merchant="${MERCHANT}")},
        )
        result = gitsync(root, "plan", unset=("MERCHANT",))  # a secured one plan would only note
        assert result.returncode == 1
        # the validate text reporter: `file:line:col: error[code]: message`, then one summary line
        lines = result.stderr.splitlines()
        assert re.fullmatch(
            r"deployments/staging/a\.yaml:\d+:\d+: error\[missing-variable\]: variable 'MERCHANT' .*",
            lines[0],
        ), lines
        assert lines[1:] == ["error: 1 problem(s) in the manifests; nothing was planned"]
        assert result.stdout == ""
        assert "Traceback" not in result.stderr
        assert emulator.stats()["total"] == 0


def test_a_problem_in_a_file_two_targets_share_is_reported_once(tmp_path: Path) -> None:
    shared = {"projectKey": "acme", "manifests": ["deployments/shared"]}
    root = write_repo(
        tmp_path,
        "http://127.0.0.1:9",
        {"staging": shared, "prod": {**shared, "projectKey": "acme-prod"}},
        {"shared/a.yaml": manifest("aa", bogus="x")},
    )
    result = gitsync(root, "plan")
    assert result.returncode == 1
    assert result.stderr.count("error[schema]: unknown field 'bogus'") == 1, result.stderr
    assert "error: 1 problem(s) in the manifests" in result.stderr


def test_api_error_is_one_clear_line(tmp_path: Path) -> None:
    seed = {"connectors": [ADYEN], "clients": [{"clientId": "ci", "clientSecret": "other", "scopes": []}]}
    with running_emulator(seed) as emulator:
        root = write_repo(
            tmp_path, emulator.url, {"staging": {"projectKey": "acme"}}, {"staging/a.yaml": manifest("aa")}
        )
        result = gitsync(root, "plan")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "clientId" in result.stderr or "401" in result.stderr


def test_a_create_missing_a_key_the_connector_requires_is_a_plan_error(tmp_path: Path) -> None:
    """No pulled schema, so validate cannot know; plan reads the connector and says so before apply fails."""
    with running_emulator() as emulator:
        root = write_repo(
            tmp_path,
            emulator.url,
            {"staging": {"projectKey": "acme"}},
            {"staging/a.yaml": manifest("aa", merchant="", secured=())},
        )
        result = gitsync(root, "plan", "--format", "json")
        assert result.returncode == 1, result.stderr
        (change,) = plan_json(result)["changes"]
        assert change["action"] == "error" and change["request"] is None
        assert "processor: ADYEN_API_KEY, MERCHANT" in change["error"]
        assert "deployments/staging/a.yaml" in change["error"]
        applied = gitsync(root, "apply", "--yes")  # refused before any write, never a failed create
        assert applied.returncode == 1, applied.stderr
        assert "MERCHANT" in applied.stderr
        assert emulator.stats()["requests"].get("POST /{projectKey}/deployments", 0) == 0
