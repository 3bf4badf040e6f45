"""`gitsync schema path`: the lookup (package data first, then the checkout) and the command in-process.
The wheel side (the schemas really are package data, and the command finds them there) is in
tests/test_release.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitsync.cli import run
from gitsync.cli import schema as schema_cli
from gitsync.manifest import schemafile
from gitsync.manifest.schemafile import REPO_SCHEMAS, SCHEMA_FILES, find_schema_file, schema_dirs

ROOT = Path(__file__).resolve().parents[1]


def _write(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("{}", encoding="utf-8")
    return folder / name


def test_the_first_folder_holding_the_file_wins(tmp_path: Path) -> None:
    packaged = _write(tmp_path / "site" / "gitsync" / "schemas", "deployment.schema.json")
    _write(tmp_path / "checkout" / "schemas", "deployment.schema.json")
    dirs = (packaged.parent, tmp_path / "checkout" / "schemas")
    assert find_schema_file("deployment.schema.json", dirs) == packaged.resolve()


def test_the_checkout_is_the_fallback_and_a_folder_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "site" / "config.schema.json").mkdir(parents=True)
    checkout = _write(tmp_path / "checkout", "config.schema.json")
    found = find_schema_file("config.schema.json", (tmp_path / "site", tmp_path / "checkout"))
    assert found == checkout.resolve()
    assert found.is_absolute()


def test_no_file_anywhere_is_none(tmp_path: Path) -> None:
    assert find_schema_file("deployment.schema.json", (tmp_path / "a", tmp_path / "b")) is None


def test_the_checkout_is_always_looked_in_last() -> None:
    assert schema_dirs()[-1] == REPO_SCHEMAS == ROOT / "schemas"


@pytest.mark.parametrize("which", sorted(SCHEMA_FILES))
def test_the_command_prints_the_file_the_validator_uses(
    which: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["schema", "path"] if which == "deployment" else ["schema", "path", which]
    assert run(args) == 0
    printed = Path(capsys.readouterr().out.rstrip("\n"))
    # an editable install (this suite's) has no gitsync/schemas/: the checkout's canonical file
    assert printed == (ROOT / "schemas" / SCHEMA_FILES[which]).resolve()


def test_a_missing_schema_is_exit_1_naming_where_it_looked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(schema_cli, "schema_dirs", lambda: (tmp_path,))
    assert run(["schema", "path", "config"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "config.schema.json is not a file in this installation" in captured.err
    assert f"(looked in {tmp_path})" in captured.err
    assert "reinstall" in captured.err


def test_an_unknown_schema_name_is_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["schema", "path", "connector"]) == 64
    assert "'connector' is not one of 'config', 'deployment'" in capsys.readouterr().err


def test_a_zipped_package_has_no_packaged_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    class NotAPath:
        def joinpath(self, *parts: str) -> NotAPath:
            return self

    monkeypatch.setattr(schemafile.resources, "files", lambda package: NotAPath())
    assert schema_dirs() == (REPO_SCHEMAS,)
