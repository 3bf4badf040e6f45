"""pre-commit integration: our hook runs in a user's repository through `pre-commit try-repo`, and the
project's own hook revisions match the tool versions pyproject.toml pins.

The try-repo test builds the hook's virtual environment from this repository, so it needs PyPI (or the
wheel cache pip is configured with) for gitsync's dependencies.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _pins() -> dict[str, str]:
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["dev"]
    return {name: pin for name, pin in (re.split(r"==", dep) for dep in dev if "==" in dep)}


def _revs() -> dict[str, str]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    return {repo["repo"].rsplit("/", 1)[1]: repo["rev"] for repo in config["repos"] if "rev" in repo}


def test_hook_revisions_match_pyproject_pins() -> None:
    pins, revs = _pins(), _revs()
    assert revs["ruff-pre-commit"] == f"v{pins['ruff']}"
    assert revs["mirrors-mypy"] == f"v{pins['mypy']}"
    assert version("ruff") == pins["ruff"] and version("mypy") == pins["mypy"], "reinstall the dev extra"


def test_local_hook_validates_the_examples() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    local = next(repo for repo in config["repos"] if repo["repo"] == "local")
    entries = [hook["entry"] for hook in local["hooks"]]
    assert "gitsync validate --config examples/gitsync.yaml" in entries


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=600)


def _git_repo(path: Path, env: dict[str, str], *, commit: bool = False) -> str:
    _run(["git", "init", "-q"], path, env)
    _run(["git", "add", "."], path, env)
    if not commit:
        return ""
    identity = ["-c", "user.name=gitsync tests", "-c", "user.email=tests@gitsync.invalid"]
    _run(["git", *identity, "commit", "-q", "--no-verify", "-m", "snapshot"], path, env)
    return _run(["git", "rev-parse", "HEAD"], path, env).stdout.strip()


def _snapshot(path: Path, env: dict[str, str]) -> str:
    """This working tree, uncommitted work included, as a repository at a fixed commit.

    try-repo on a dirty tree makes a new shadow commit on each run, so each run would build the hook's
    environment again; one fixed commit lets the second run reuse the first one's environment.
    """
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT, env).stdout
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # listed but deleted in the working tree: leave it out, as try-repo does
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, path / name)
    return _git_repo(path, env, commit=True)


def test_try_repo_runs_gitsync_validate(tmp_path: Path) -> None:
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    hooks, rev = tmp_path / "gitsync", _snapshot(tmp_path / "gitsync", env)
    user = shutil.copytree(EXAMPLES, tmp_path / "user")
    _git_repo(user, env)
    try_repo = [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), "gitsync-validate"]
    try_repo += ["--ref", rev, "--all-files"]

    clean = _run(try_repo, user, env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout

    bad = user / "deployments" / "staging" / "typo.yaml"
    bad.write_text("key: typo\nconnector: {key: adyen-connector}\nregion: eu-west1\n")
    _run(["git", "add", "."], user, env)
    failed = _run(try_repo, user, env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert "typo.yaml:3:" in failed.stdout
