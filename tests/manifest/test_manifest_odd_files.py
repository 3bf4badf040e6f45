"""Odd files where a manifest, gitsync.yaml or a connector schema is expected: a clear problem, never a hang.

Each runs the CLI in-process (`run`) with a time bound: a FIFO read would block forever, /dev/zero never ends.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from manifest_helpers import DATA, write_connector_schema

from gitsync.cli import run

FULL_DEMO = (DATA / "valid" / "full-demo.yaml").read_text()


def _validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    started = time.monotonic()
    code = run(["validate", *args])
    out, err = capsys.readouterr()
    assert time.monotonic() - started < 5
    assert "Traceback" not in err and "internal error" not in err
    return code, out, err


def _odd(kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "symlink loop":
        path.symlink_to(path.name)
    elif kind == "dangling symlink":
        path.symlink_to("nowhere.yaml")
    elif kind == "device":
        path.symlink_to("/dev/zero")


ODD_MANIFESTS = {
    "fifo": "it is a FIFO (named pipe), not a regular file",
    "symlink loop": "Too many levels of symbolic links",
    "dangling symlink": "No such file or directory",
    "device": "it is a character device, not a regular file",
}


@pytest.mark.parametrize("kind", sorted(ODD_MANIFESTS))
def test_an_odd_file_named_as_a_manifest_is_unreadable(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    _odd(kind, tmp_path / "x.yaml")
    code, out, _ = _validate(capsys, "x.yaml")
    assert code == 1
    assert out == f"x.yaml:1:1: error[unreadable]: cannot read the file: {ODD_MANIFESTS[kind]}\n"


@pytest.mark.parametrize("kind", sorted(ODD_MANIFESTS))
def test_an_odd_file_in_a_manifest_folder_is_reported_not_skipped(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deployments").mkdir()
    _odd(kind, tmp_path / "deployments" / "x.yaml")
    code, out, _ = _validate(capsys, "deployments")
    assert code == 1
    assert out.startswith("deployments/x.yaml:1:1: error[unreadable]: cannot read the file: ")


def test_a_directory_named_like_a_manifest_is_a_folder_of_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yaml").mkdir()
    code, out, _ = _validate(capsys, "x.yaml")
    assert code == 1
    assert "error[no-manifests]: the path 'x.yaml' matches no file" in out


def test_an_unreadable_file_is_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yaml").write_text(FULL_DEMO)
    real_open = os.open

    def refuse(path: object, flags: int, *args: int) -> int:  # chmod 000 means nothing to root (CI images)
        if str(path).endswith("x.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    code, out, _ = _validate(capsys, "x.yaml")
    assert code == 1
    assert out == "x.yaml:1:1: error[unreadable]: cannot read the file: Permission denied\n"


@pytest.mark.parametrize("kind", ["fifo", "device", "dangling symlink"])
def test_an_odd_gitsync_yaml_is_an_error_not_a_silent_pass(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    _odd(kind, tmp_path / "gitsync.yaml")
    code, _, err = _validate(capsys)
    assert code == 1
    assert "gitsync.yaml:1:1: error[unreadable]" in err


@pytest.mark.parametrize("kind", ["fifo", "device", "dangling symlink", "symlink loop"])
def test_an_odd_connector_schema_is_a_connector_schema_problem(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.yaml").write_text(FULL_DEMO)
    schema = write_connector_schema(tmp_path)
    schema.unlink()
    _odd(kind, schema)
    code, out, _ = _validate(capsys, "m.yaml")
    assert code == 1
    assert "error[connector-schema]: connector schema cannot be used" in out
    assert "run gitsync schema pull demo-connector" in out


DAMAGED_SCHEMAS = {
    "not json": ("{", "not valid JSON at line 1:2"),
    "not utf-8": (b"\xff\xfe", "not UTF-8 text"),
    "deep nesting": ("[" * 100_000, "nested too deep"),
    "a 5000-digit number": ('{"x-gitsync": ' + "9" * 5000 + "}", "a number too long to read"),
    "a list": ("[]", "it has no x-gitsync block"),
    "applications a list": ({"applications": []}, "x-gitsync.applications is damaged"),
    "no global": ({"global": None}, "x-gitsync.global is damaged"),
    "app a string": ({"applications": {"processor": "x"}}, "x-gitsync.applications.processor is damaged"),
    "keys a list": ({"global": {"standard": [], "secured": {}}}, "x-gitsync.global.standard is damaged"),
    "key fact a number": (
        {"global": {"standard": {"LOG_LEVEL": 1}, "secured": {}}},
        "x-gitsync.global.standard.LOG_LEVEL is damaged",
    ),
    "regions a string": ({"supportedRegions": "eu"}, "x-gitsync.supportedRegions is damaged"),
    "a region a number": ({"supportedRegions": [1]}, "x-gitsync.supportedRegions[0] is damaged"),
    "connector a list": ({"connector": []}, "x-gitsync.connector is damaged"),
    "connector key a number": ({"connector": {"key": 1}}, "x-gitsync.connector.key is damaged"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGED_SCHEMAS))
def test_a_hand_damaged_connector_schema_is_one_problem(
    damage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.yaml").write_text(FULL_DEMO)
    schema = write_connector_schema(tmp_path)
    content, expected = DAMAGED_SCHEMAS[damage]
    if isinstance(content, dict):
        data = json.loads(schema.read_text())
        data["x-gitsync"].update(content)
        content = json.dumps(data)
    schema.write_bytes(content if isinstance(content, bytes) else content.encode())
    code, out, _ = _validate(capsys, "m.yaml")
    assert code == 1
    assert [line.split(": error[")[1].split("]")[0] for line in out.splitlines()] == ["connector-schema"]
    assert expected in out


def test_a_manifest_connector_key_never_names_a_file_outside_the_schema_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "evil.schema.json").write_text("{")  # would be a connector-schema problem if it were read
    (tmp_path / "m.yaml").write_text(FULL_DEMO.replace("key: demo-connector", "key: ../../evil", 1))
    write_connector_schema(tmp_path)
    code, out, _ = _validate(capsys, "m.yaml")
    assert code == 1
    assert "connector-schema" not in out


def test_a_file_in_a_folder_without_search_permission_is_a_problem_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``Path.exists`` and ``is_dir`` raise PermissionError there (they return False only for "missing")."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gitsync.yaml").write_text(
        "targets:\n  t:\n    projectKey: acme\n    region: europe-west1.gcp\n    manifests: [svc]\n"
    )
    (tmp_path / "svc" / "private").mkdir(parents=True)
    (tmp_path / "svc" / "private" / "x.yaml").write_text(FULL_DEMO)
    refused = os.path.join("svc", "private")

    def refusing(real: object) -> object:  # chmod 000 on svc/private means nothing to root (CI images)
        def call(path: object, *args: object, **kwargs: object) -> object:
            if refused in os.fspath(path):  # type: ignore[call-overload]
                raise PermissionError(13, "Permission denied")
            return real(path, *args, **kwargs)  # type: ignore[operator]

        return call

    for name in ("stat", "lstat", "scandir", "open"):
        monkeypatch.setattr(os, name, refusing(getattr(os, name)))
    code, out, _ = _validate(capsys, "svc/private/x.yaml")
    assert code == 1
    (line,) = out.splitlines()  # the folder, once; the file in it is not "missing"
    assert line.startswith("svc/private:1:1: error[unreadable]: cannot list the folder (Permission denied)")
