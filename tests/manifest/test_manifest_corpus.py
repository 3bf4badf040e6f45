"""The invalid-manifest corpus: each file holds one problem, declared on its first line; valid files pass."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from manifest_helpers import DATA, expectation, write_connector_schema

from gitsync.cli import run

INVALID = sorted((DATA / "invalid").glob("*.yaml"))
VALID = sorted((DATA / "valid").glob("*.yaml"))


def _validate(case: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    shutil.copy(case, workdir / case.name)
    write_connector_schema(workdir)
    monkeypatch.chdir(workdir)
    code = run(["validate", "--format", "json", case.name])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_corpus_is_big_enough() -> None:
    assert len(INVALID) >= 40
    assert len(VALID) >= 3


@pytest.mark.parametrize("case", INVALID, ids=lambda path: path.stem)
def test_invalid_manifest_reports_exactly_its_problem(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _validate(case, tmp_path, monkeypatch, capsys)
    expected_code, line, col = expectation(case)
    problems = json.loads(out)
    assert [(p["code"], p["line"], p["col"]) for p in problems] == [(expected_code, line, col)], problems
    assert problems[0]["file"] == case.name
    assert problems[0]["message"]
    assert code == 1
    assert "Traceback" not in err and "internal error" not in err


@pytest.mark.parametrize("case", VALID, ids=lambda path: path.stem)
def test_valid_manifest_passes(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _validate(case, tmp_path, monkeypatch, capsys)
    assert json.loads(out) == []
    assert code == 0
    assert "1 file checked, no problems" in err


def test_secured_values_are_never_echoed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = tmp_path / "src" / "leak.yaml"
    case.parent.mkdir()
    case.write_text(
        "key: demo\nconnector: {key: other-connector}\nregion: europe-west1.gcp\n"
        "configurations:\n  - applicationName: app\n    securedConfiguration:\n"
        '      - {key: A_KEY, value: 987654321}\n      - {key: B_KEY, value: "pa${!ss}word"}\n'
        "      - {key: C_KEY, value: hunter2}\n"
    )
    code, out, err = _validate(case, tmp_path, monkeypatch, capsys)
    assert code == 1
    assert sorted(p["code"] for p in json.loads(out)) == [
        "bad-interpolation",
        "not-a-string",
        "plaintext-secret",
        "plaintext-secret",
    ]
    for secret in ("987654321", "!ss", "hunter2"):
        assert secret not in out + err
