"""`gitsync schema pull` end to end: the CLI as a subprocess against the emulator on loopback, seeded with
examples/emulator-seed.yaml; then `gitsync validate` uses what it pulled."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gitsync.api.errors import NotFoundError
from gitsync.api.models import Connector
from gitsync.emulator import EmulatorApp, EmulatorServer, load_seed, serve
from gitsync.errors import ConfigError
from gitsync.manifest.target import Target
from gitsync.schemapull import Wanted, pull_schemas, select_connectors, write_schema

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
COMMITTED = EXAMPLES / "schemas" / "connectors"
DEMO_URL = "http://127.0.0.1:${GITSYNC_DEMO_PORT}"  # as examples/gitsync.emulator.yaml writes it
STAGING_SECRET = "emulator-only-staging-secret"
CREDENTIALS = {
    "CTP_STAGING_CLIENT_ID": "acme-staging-ci",
    "CTP_STAGING_CLIENT_SECRET": STAGING_SECRET,
    "CTP_PRODUCTION_CLIENT_ID": "acme-production-ci",
    "CTP_PRODUCTION_CLIENT_SECRET": "emulator-only-production-secret",
}


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with serve(EmulatorApp(load_seed(EXAMPLES / "emulator-seed.yaml"), deploy_time=0.2), port=0) as running:
        yield running


@pytest.fixture
def repo(tmp_path: Path, server: EmulatorServer) -> Path:
    """A copy of examples/ without its pulled schemas, its demo config pointed at this test's emulator."""
    copy = tmp_path / "repo"
    shutil.copytree(EXAMPLES, copy, ignore=shutil.ignore_patterns("connectors"))
    config = copy / "gitsync.emulator.yaml"
    config.write_text(config.read_text().replace(DEMO_URL, server.url))
    _admin(server, "reset")
    return copy


def _admin(server: EmulatorServer, name: str) -> Any:
    method = "GET" if name == "stats" else "POST"
    request = urllib.request.Request(
        f"{server.url}/_emulator/{name}", data=b"{}" if method == "POST" else None
    )
    request.method = method
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def _gitsync(repo: Path, *args: str, unset: str = "") -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in {**os.environ, **CREDENTIALS}.items() if name != unset}
    return subprocess.run(
        [sys.executable, "-m", "gitsync", *args, "--config", str(repo / "gitsync.emulator.yaml")],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _files(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text() for path in sorted(folder.glob("*.schema.json"))}


def test_committed_schemas_are_what_pull_writes(repo: Path) -> None:
    done = _gitsync(repo, "schema", "pull")
    assert done.returncode == 0, done.stderr
    pulled = _files(repo / "schemas" / "connectors")
    assert set(pulled) == {
        "adyen-connector.schema.json",
        "order-export-job.schema.json",
        "store-locator-app.schema.json",
        "loyalty-connector.schema.json",
    }
    assert pulled == _files(COMMITTED), "examples/schemas/connectors is stale: re-run `gitsync schema pull`"


def test_pull_reads_each_connector_once_with_one_token(repo: Path, server: EmulatorServer) -> None:
    assert _gitsync(repo, "schema", "pull").returncode == 0
    requests = _admin(server, "stats")["requests"]
    connector_reads = {route: n for route, n in requests.items() if "/connectors" in route}
    assert sum(connector_reads.values()) == 4, requests
    assert any("drafts" in route for route in connector_reads), "the staged connector is read from drafts"
    assert requests.get("POST /oauth/token") == 1
    assert sum(requests.values()) == 5


def test_output_is_stable_json(repo: Path) -> None:
    assert _gitsync(repo, "schema", "pull").returncode == 0
    for text in _files(repo / "schemas" / "connectors").values():
        assert text.endswith("}\n")
        assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_named_connector_to_out_dir(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _gitsync(repo, "schema", "pull", "store-locator-app", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert list(_files(out)) == ["store-locator-app.schema.json"]
    assert not (repo / "schemas" / "connectors").exists()


def test_unknown_connector_names_the_manifest_and_still_writes_the_others(repo: Path) -> None:
    ghost = repo / "deployments" / "staging" / "ghost.yaml"
    ghost.write_text("key: ghost\nconnector:\n  key: ghost-connector\nregion: europe-west1.gcp\n")
    done = _gitsync(repo, "schema", "pull")
    assert done.returncode == 1
    assert "ghost-connector" in done.stderr
    assert "deployments/staging/ghost.yaml" in done.stderr
    assert "404" in done.stderr and "ResourceNotFound" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(_files(repo / "schemas" / "connectors")) == 4


def test_no_secret_in_output(repo: Path) -> None:
    done = _gitsync(repo, "-v", "schema", "pull")
    assert done.returncode == 0, done.stderr
    assert STAGING_SECRET not in done.stdout + done.stderr


def test_validate_uses_pulled_schemas(repo: Path) -> None:
    manifest = repo / "deployments" / "staging" / "store-locator.yaml"
    manifest.write_text(manifest.read_text().replace("CLOUD_IDENTIFIER", "CLOUD_IDENTIFER"))
    assert _gitsync(repo, "validate").returncode == 0, "without connector schemas the typo is not seen"
    assert _gitsync(repo, "schema", "pull").returncode == 0
    done = _gitsync(repo, "validate")
    assert done.returncode == 1
    output = done.stdout + done.stderr
    assert "unknown-config-key" in output
    assert "CLOUD_IDENTIFER" in output
    assert "store-locator.yaml:" in output


def test_missing_credentials_name_the_variable(repo: Path) -> None:
    done = _gitsync(repo, "schema", "pull", unset="CTP_STAGING_CLIENT_ID")
    assert done.returncode == 1
    assert "CTP_STAGING_CLIENT_ID" in done.stderr and "staging" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (repo / "schemas" / "connectors").exists()


def test_a_connector_named_by_a_variable_is_skipped_with_a_hint(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text('key: a-1\nconnector: {key: "${CONNECTOR}"}\nregion: europe-west1.gcp\n')
    target = Target("staging", "acme", "europe-west1.gcp", ("a.yaml",), tmp_path)
    reported: list[str] = []
    with pytest.raises(ConfigError, match="no manifest references a connector"):
        select_connectors([target], (), staged=False, env={}, report=reported.append)
    assert reported == [
        "warning: a.yaml:1:1: connector key=${CONNECTOR} is known only at plan time; "
        "name it: gitsync schema pull <connector-key>"
    ]


# --- where pull writes: only safe names, only regular files, a folder that cannot be made is one error ---


def _demo_connector(key: str) -> dict[str, Any]:
    return {"id": "0f7a3c52-1c1e-4c1b-9f38-7e7d2a1b9c11", "key": key, "version": 1, "configurations": []}


@pytest.mark.parametrize("key", ["../evil", "a/b", "..", "x\x00y", "/etc/passwd", "k" * 244])
def test_an_unsafe_connector_key_from_the_api_writes_nothing(tmp_path: Path, key: str) -> None:
    folder = tmp_path / "schemas" / "connectors"
    folder.mkdir(parents=True)
    with pytest.raises(ValueError, match="not a safe file name"):
        write_schema(folder, _demo_connector(key))
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_a_refused_key_is_an_error_naming_the_connector_and_the_others_are_written(tmp_path: Path) -> None:
    answers = {"good-one": _demo_connector("good-one"), "bad-one": _demo_connector("../../escaped")}

    class FakeClient:
        def __enter__(self) -> FakeClient:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def read_connector(self, *, key: str, id: str | None, staged: bool) -> Connector:
            return Connector.model_validate(answers[key])

    target = Target("staging", "acme", "europe-west1.gcp", (), tmp_path)
    wanted = [Wanted(key=name, id=None, staged=False, target=target) for name in answers]
    folder = tmp_path / "deep" / "schemas"
    reported: list[str] = []
    failures = pull_schemas(wanted, folder, open_client=lambda target: FakeClient(), report=reported.append)
    assert failures == [
        "connector key=bad-one: the API answered with the connector key '../../escaped', which is not a safe "
        "file name (letters, digits, _ and - only); nothing written"
    ]
    assert sorted(path.name for path in tmp_path.rglob("*") if path.is_file()) == ["good-one.schema.json"]
    assert len(reported) == 1 and reported[0].startswith("wrote ")
    assert "good-one.schema.json (connector key=good-one, version 1)" in reported[0]


def test_pull_never_replaces_a_symlink_or_a_fifo(tmp_path: Path) -> None:
    folder = tmp_path / "connectors"
    folder.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    (folder / "linked.schema.json").symlink_to(outside)
    os.mkfifo(folder / "piped.schema.json")
    for key in ("linked", "piped"):
        with pytest.raises(
            OSError, match=f"cannot write .*{key}.schema.json: it is a .*gitsync never replaces"
        ):
            write_schema(folder, _demo_connector(key))
    assert (folder / "linked.schema.json").is_symlink() and outside.read_text() == "keep me"
    assert stat.S_ISFIFO((folder / "piped.schema.json").stat().st_mode)
    assert sorted(path.name for path in folder.iterdir()) == ["linked.schema.json", "piped.schema.json"]


def test_pull_into_a_folder_blocked_by_a_file_is_one_error_before_any_api_call(
    repo: Path, server: EmulatorServer
) -> None:
    blocker = repo / "blocker"
    blocker.write_text("a file, not a folder")
    for out in (blocker, blocker / "sub"):
        done = _gitsync(repo, "schema", "pull", "--out", str(out))
        assert done.returncode in (1, 64), done.stderr
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr
        assert str(blocker) in done.stderr
    done = _gitsync(repo, "schema", "pull", "--out", str(blocker / "sub"))
    assert done.returncode == 1
    assert "cannot create the folder" in done.stderr and "is in the way and is not a folder" in done.stderr
    assert not any("/connectors" in route for route in _admin(server, "stats")["requests"])


def test_a_folder_without_permission_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # the suite may run as root
    target = Target("staging", "acme", "europe-west1.gcp", (), tmp_path)
    failures = pull_schemas(
        [Wanted("a-b", None, False, target)], tmp_path / "nope", open_client=_no_client, report=_unexpected
    )
    assert failures == [
        f"cannot create the folder {tmp_path / 'nope'}: no permission to create folders in {tmp_path}; "
        "choose another --out or fix the path"
    ]


def _no_client(target: Target) -> Any:
    raise AssertionError("no API call may be made")


def _unexpected(line: str) -> None:
    raise AssertionError(f"nothing to report, got {line!r}")


# --- the feature on its own (gitsync.schemapull): selection by name, and a missing connector's hint ---


def test_named_connectors_keep_what_references_them_and_the_others_use_the_flag(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "key: a-1\nconnector: {key: known, staged: true}\nregion: europe-west1.gcp\n"
    )
    target = Target("staging", "acme", "europe-west1.gcp", ("a.yaml",), tmp_path)
    reported: list[str] = []
    chosen = select_connectors(
        [target], ("known", "other", "known"), staged=False, env={}, report=reported.append
    )
    assert [(item.key, item.staged, item.referenced_by) for item in chosen] == [
        ("known", True, ("a.yaml:1:1",)),
        ("other", False, ()),
    ]
    assert [item.label for item in chosen] == ["staged connector key=known", "connector key=other"]
    assert reported == []


def test_a_missing_connector_is_an_error_naming_its_referrers_and_the_other_kind(tmp_path: Path) -> None:
    class MissingClient:
        def __enter__(self) -> MissingClient:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def read_connector(self, *, key: str, id: str | None, staged: bool) -> Connector:
            raise NotFoundError(
                status=404, code="ResourceNotFound", message="not found", method="GET", path="/connectors"
            )

    target = Target("staging", "acme", "europe-west1.gcp", (), tmp_path)
    wanted = [Wanted("gone", None, True, target, ("a.yaml:1:1",)), Wanted(None, "c-1", False, target)]
    failures = pull_schemas(wanted, tmp_path, open_client=lambda t: MissingClient(), report=_unexpected)
    assert failures == [
        "staged connector key=gone (referenced by a.yaml:1:1): GET /connectors → 404 ResourceNotFound: "
        "not found; "
        "check the connector key or id, or whether it is published (drop `staged: true`)",
        "connector id=c-1: GET /connectors → 404 ResourceNotFound: not found; "
        "check the connector key or id, or whether it is staged (`staged: true`, or --staged)",
    ]
