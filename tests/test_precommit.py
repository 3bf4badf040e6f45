"""pre-commit integration, offline: our hook definition runs in a user's repository, and the project's own
hook revisions match the tool versions pyproject.toml pins.

The hook is tested without building its environment from a package index (which `try-repo` does, and
which takes minutes or fails offline): pre-commit runs the hook exactly as `.pre-commit-hooks.yaml` defines
it (id, entry, files, pass_filenames, args) with `language: system`, i.e. the gitsync installed here. The
one difference, `language: python`, is pre-commit's own job: it installs this package into a virtualenv,
where `gitsync` is the console script pyproject.toml declares (checked below).
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
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
BAD = "key: typo\nconnector: {key: adyen-connector}\nregion: eu-west1\n"


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


def _env(tmp_path: Path) -> dict[str, str]:
    # the installed gitsync first on PATH; no index, no proxy: nothing here may need the network
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, "PATH": path, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(tmp_path / "no-wheels"))
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        env.pop(name, None)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=120)


def _hook() -> dict[str, Any]:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert isinstance(hook, dict)
    return hook


def _user_repo(path: Path, env: dict[str, str], **overrides: Any) -> Path:
    """A git repository whose .pre-commit-config.yaml runs our hook definition as `language: system`."""
    hook = {**_hook(), "language": "system", **overrides}
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    _run(["git", "init", "-q"], path, env)
    _run(["git", "add", "."], path, env)
    return path


def _pre_commit(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    # --verbose: the hook's output also when it passes (to see what it checked)
    command = [sys.executable, "-m", "pre_commit", "run", "gitsync-validate", "--verbose", *args]
    return _run(command, repo, env)


def test_the_hook_definition_is_valid_and_its_entry_is_our_console_script() -> None:
    done = _run([sys.executable, "-m", "pre_commit", "validate-manifest", ".pre-commit-hooks.yaml"], ROOT, {})
    assert done.returncode == 0, done.stdout + done.stderr
    hook = _hook()
    assert (hook["id"], hook["entry"], hook["language"]) == ("gitsync-validate", "gitsync validate", "python")
    assert hook["pass_filenames"] is False
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["gitsync"] == "gitsync.cli:main"


def test_the_hook_runs_on_manifests_and_connector_schemas_only() -> None:
    pattern = re.compile(_hook()["files"])
    for changed in ("gitsync.yaml", "deployments/a.yml", "schemas/connectors/adyen.schema.json"):
        assert pattern.search(changed), changed
    assert pattern.search("infra/schemas/connectors/adyen.schema.json")
    for unrelated in ("README.md", "package.json", "schemas/other.json", "deployments/a.yaml.bak"):
        assert not pattern.search(unrelated), unrelated


def test_the_hook_passes_then_fails_on_a_bad_manifest(tmp_path: Path) -> None:
    env = _env(tmp_path)
    user = _user_repo(shutil.copytree(EXAMPLES, tmp_path / "user"), env)
    clean = _pre_commit(user, env, "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout and "7 files checked, no problems" in clean.stdout

    (user / "deployments" / "staging" / "typo.yaml").write_text(BAD)
    _run(["git", "add", "."], user, env)
    failed = _pre_commit(user, env, "--all-files")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout and "typo.yaml:3:9: error[schema]" in failed.stdout

    # a changed connector schema alone runs it too (it can make a manifest wrong); a README does not
    schema = next((user / "schemas" / "connectors").glob("*.json")).relative_to(user)
    assert _pre_commit(user, env, "--files", str(schema)).returncode == 1
    skipped = _pre_commit(user, env, "--files", ".env.example")
    assert skipped.returncode == 0 and "no files to check" in skipped.stdout


def test_gitsync_yaml_in_a_sub_folder_fails_without_args_and_passes_with_them(tmp_path: Path) -> None:
    env = _env(tmp_path)
    user = tmp_path / "user"
    shutil.copytree(EXAMPLES, user / "infra")
    _user_repo(user, env)
    lost = _pre_commit(user, env, "--all-files")
    assert lost.returncode == 1, lost.stdout + lost.stderr
    assert "no gitsync.yaml in" in lost.stdout and "args: [--config, path/to/gitsync.yaml]" in lost.stdout
    assert "no problems" not in lost.stdout

    _user_repo(user, env, args=["--config", "infra/gitsync.yaml"])
    found = _pre_commit(user, env, "--all-files")
    assert found.returncode == 0, found.stdout + found.stderr
    assert "7 files checked, no problems" in found.stdout
