"""``gitsync validate`` end to end: a subprocess per run, formats, exit codes, offline and lean imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

GOOD = "key: good\nconnector: {key: other-connector}\nregion: europe-west1.gcp\n"
BAD = "key: bad\nconnector: {key: other-connector}\nregion: eu-west1\nextra: 1\n"


def _gitsync(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gitsync", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def _workspace(tmp_path: Path) -> Path:
    (tmp_path / "deployments").mkdir()
    (tmp_path / "deployments" / "good.yaml").write_text(GOOD)
    (tmp_path / "deployments" / "bad.yaml").write_text(BAD)
    return tmp_path


def test_text_report_is_sorted_with_a_summary_on_stderr(tmp_path: Path) -> None:
    result = _gitsync(_workspace(tmp_path), "validate", "deployments")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "deployments/bad.yaml:3:9: error[schema]: region 'eu-west1' is not one of: europe-west1.gcp, "
        "us-central1.gcp, australia-southeast1.gcp, us-east-2.aws, eu-central-1.aws; did you mean "
        "'europe-west1.gcp'?",
        "deployments/bad.yaml:4:1: error[schema]: unknown field 'extra'",
    ]
    assert result.stderr.strip() == "2 problems in 1 of 2 files checked"


def test_clean_manifests_exit_zero(tmp_path: Path) -> None:
    result = _gitsync(_workspace(tmp_path), "validate", "deployments/good.yaml")
    assert (result.returncode, result.stdout) == (0, "")
    assert "1 file checked, no problems" in result.stderr


def test_a_path_matching_nothing_is_not_counted_as_a_file(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    alone = _gitsync(root, "validate", "nothing.yaml")
    assert alone.returncode == 1
    assert alone.stdout == (
        "nothing.yaml:1:1: error[no-manifests]: "
        "the path 'nothing.yaml' matches no file; fix the path or glob\n"
    )
    assert alone.stderr.strip() == "1 problem, no file checked"
    mixed = _gitsync(root, "validate", "nothing.yaml", "deployments")
    assert mixed.stderr.strip() == "3 problems: 2 in 1 of 2 files checked, 1 not in a manifest"
    clean = _gitsync(root, "validate", "nothing.yaml", "deployments/good.yaml")
    assert clean.stderr.strip() == "1 problem (not in a manifest); 1 file checked"


def test_no_config_and_no_paths_is_an_error_that_says_what_to_do(tmp_path: Path) -> None:
    # a pre-commit hook run where no gitsync.yaml is found must fail, not pass having checked nothing
    result = _gitsync(tmp_path, "validate")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        f"error: no gitsync.yaml in {tmp_path} or above, and no PATHS: nothing to validate; name the "
        "manifests (gitsync validate deployments/) or the config (--config path/to/gitsync.yaml; in a "
        "pre-commit hook: args: [--config, path/to/gitsync.yaml])"
    ]


def _sub_folder_repo(tmp_path: Path) -> Path:
    """gitsync.yaml in infra/, its target listing infra/deployments; a stray manifest outside it."""
    (tmp_path / "infra").mkdir()
    infra = _workspace(tmp_path / "infra")
    (infra / "gitsync.yaml").write_text(
        "targets:\n  a: {projectKey: p-a, region: europe-west1.gcp, manifests: [deployments]}\n"
    )
    (tmp_path / "stray").mkdir()
    (tmp_path / "stray" / "bad.yaml").write_text(BAD)
    return tmp_path


def test_a_named_file_no_target_lists_is_still_checked(tmp_path: Path) -> None:
    root = _sub_folder_repo(tmp_path)
    config = ("--config", "infra/gitsync.yaml")
    result = _gitsync(root, "validate", *config, "stray/bad.yaml")
    assert result.returncode == 1
    assert [line.split(": error")[0] for line in result.stdout.splitlines()] == [
        "stray/bad.yaml:3:9",
        "stray/bad.yaml:4:1",
    ]
    assert result.stderr.splitlines() == [
        "note: stray/bad.yaml is in no selected target's manifests; checked on its own",
        "2 problems in 1 of 1 file checked",
    ]
    (root / "stray" / "bad.yaml").write_text(GOOD)
    clean = _gitsync(root, "validate", *config, "stray/bad.yaml", "infra/deployments/good.yaml")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert clean.stderr.splitlines()[-1] == "2 files checked, no problems"
    skipped = _gitsync(root, "validate", *config, "stray/bad.yaml", "--only", "nothing-*")
    assert "checked on its own" not in skipped.stderr  # --only left it out: not checked, not claimed


def test_github_paths_are_relative_to_the_working_directory(tmp_path: Path) -> None:
    """GitHub attaches annotations to paths from the repository root, where the job runs."""
    root = _sub_folder_repo(tmp_path)
    result = _gitsync(root, "validate", "--config", "infra/gitsync.yaml", "--format", "github")
    files = [line.split(",", 1)[0] for line in result.stdout.splitlines()]
    assert files == ["::error file=infra/deployments/bad.yaml"] * 2
    assert result.stderr.strip() == "2 problems in 1 of 2 files checked"
    mixed = _gitsync(
        root / "stray",
        "validate",
        "--config",
        "../infra/gitsync.yaml",
        "--format",
        "github",
        "bad.yaml",
        "no.yaml",
    )
    assert [line.split(",", 1)[0] for line in mixed.stdout.splitlines()] == [
        "::error file=bad.yaml",
        "::error file=bad.yaml",
        "::error file=no.yaml",  # as typed: a PATH matching nothing
    ]
    text = _gitsync(root, "validate", "--config", "infra/gitsync.yaml")
    assert text.stdout.startswith("deployments/bad.yaml:3:9:")  # text and json: relative to gitsync.yaml


def test_json_format(tmp_path: Path) -> None:
    result = _gitsync(_workspace(tmp_path), "validate", "--format", "json", "deployments")
    problems = json.loads(result.stdout)
    assert [(p["file"], p["line"], p["col"], p["code"]) for p in problems] == [
        ("deployments/bad.yaml", 3, 9, "schema"),
        ("deployments/bad.yaml", 4, 1, "schema"),
    ]
    assert result.returncode == 1


def test_github_format(tmp_path: Path) -> None:
    result = _gitsync(_workspace(tmp_path), "validate", "deployments", "--format", "github")
    lines = result.stdout.splitlines()
    assert (
        lines[1]
        == "::error file=deployments/bad.yaml,line=4,col=1,title=gitsync schema::unknown field 'extra'"
    )
    assert lines[0].startswith("::error file=deployments/bad.yaml,line=3,col=9,title=gitsync schema::region")


def test_config_targets_and_usage_errors(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    (root / "gitsync.yaml").write_text(
        "targets:\n  a: {projectKey: p-a, region: europe-west1.gcp, manifests: [deployments/good.yaml]}\n"
        "  b: {projectKey: p-b, region: europe-west1.gcp, manifests: [deployments]}\n"
    )
    assert _gitsync(root, "validate", "--target", "a").returncode == 0
    assert _gitsync(root, "--target", "b", "validate").returncode == 1
    unknown = _gitsync(root, "validate", "--target", "c")
    assert unknown.returncode == 1 and "unknown target 'c'" in unknown.stderr
    assert _gitsync(root, "validate", "--format", "xml").returncode == 64
    assert "Traceback" not in unknown.stderr


def test_validate_opens_no_socket_and_imports_no_http_or_diff_library(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    script = (
        "import socket, sys\n"
        "def refuse(*args, **kwargs): raise RuntimeError('validate opened a socket')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "from gitsync.cli import run\n"
        "code = run(['validate', 'deployments'])\n"
        "loaded = sorted(m for m in ('httpx', 'deepdiff', 'pydantic', 'httpcore') if m in sys.modules)\n"
        "print('LOADED', loaded, 'CODE', code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=60
    )
    assert "LOADED [] CODE 1" in result.stdout, result.stderr
    assert "socket" not in result.stderr


def test_pre_commit_hook_definition() -> None:
    root = Path(__file__).resolve().parents[1]
    (hook,) = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())
    assert (hook["id"], hook["entry"], hook["language"]) == ("gitsync-validate", "gitsync validate", "python")
    assert hook["pass_filenames"] is False
    assert hook["files"] == r"(\.ya?ml|(^|/)schemas/connectors/[^/]+\.json)$"


def test_with_a_config_a_path_that_does_not_exist_is_a_problem_not_silence(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    config = (
        "targets:\n  t:\n    projectKey: acme\n    region: europe-west1.gcp\n    manifests: [deployments]\n"
    )
    (root / "gitsync.yaml").write_text(config)
    typo = _gitsync(root, "validate", "deployments/goood.yaml")
    assert typo.returncode == 1
    assert typo.stdout == (
        "deployments/goood.yaml:1:1: error[no-manifests]: "
        "the path 'deployments/goood.yaml' matches no file; fix the path or glob\n"
    )
    assert _gitsync(root, "validate", "deployments/good.yaml").returncode == 0
