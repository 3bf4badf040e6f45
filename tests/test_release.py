"""What a release ships: the wheel holds the package, its JSON Schemas and its metadata; installed into an
empty virtual environment it answers ``--version`` and finds its schemas there; the sdist carries what a
wheel is built from; and the version, the changelog and every pinned tag agree (docs/release.md).

The wheel is built offline with the dev extra's hatchling (``--no-build-isolation --no-index``), so the
suite needs no package index; .ci/run installs a fresh clone the README's way, with the index.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from gitsync import __version__

ROOT = Path(__file__).resolve().parents[1]
DIST = "gitsync-connect"
SCHEMAS = ("gitsync/schemas/deployment.schema.json", "gitsync/schemas/config.schema.json")
# `rev: v1.2.3` (pre-commit) and `uses: owner/gitsync…@v1.2.3` (workflows): the tags users pin
PIN = re.compile(r"(?:\brev:\s*|gitsync[\w./-]*@)(v\d+\.\d+\.\d+[\w.+-]*)")
TIMEOUT = 120


def _run(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, env=env, check=False
    )
    assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    pip = (sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--no-build-isolation", "--no-index")
    _run(*pip, "--quiet", "--wheel-dir", out)
    (built,) = out.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An empty virtual environment with only the wheel installed; the dependencies (not gitsync) are
    borrowed from this one through a path entry, so no package index is needed."""
    home = tmp_path_factory.mktemp("venv") / "clean"
    _run(sys.executable, "-m", "venv", "--without-pip", home)
    python = home / "bin" / "python"
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        "--quiet",
        wheel,
    )
    site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=home).strip()
    )
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    yield home


def test_the_wheel_is_the_distribution_at_this_version(wheel: Path) -> None:
    assert wheel.name == f"gitsync_connect-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = f"gitsync_connect-{__version__}.dist-info"
        metadata = archive.read(f"{info}/METADATA").decode()
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert set(SCHEMAS) <= names, "the JSON Schemas are package data (force-include in pyproject.toml)"
    assert {"gitsync/__init__.py", "gitsync/py.typed", f"{info}/licenses/LICENSE"} <= names
    assert not [name for name in names if name.startswith(("tests/", "examples/", "schemas/"))]
    assert f"\nName: {DIST}\n" in metadata
    assert f"\nVersion: {__version__}\n" in metadata
    assert "\nLicense-Expression: MIT\n" in metadata
    assert "gitsync = gitsync.cli:main" in entry_points


def test_the_wheels_schemas_are_the_published_ones(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        for name in SCHEMAS:
            assert archive.read(name) == (ROOT / "schemas" / Path(name).name).read_bytes()


def test_installed_from_the_wheel_it_says_its_version_and_finds_its_schemas(venv: Path) -> None:
    gitsync = venv / "bin" / "gitsync"
    assert _run(gitsync, "--version", cwd=venv) == f"gitsync, version {__version__}\n"
    # cwd: `python -c` puts the working directory first on sys.path, and the checkout holds gitsync/
    package = Path(
        _run(venv / "bin" / "python", "-c", "import gitsync; print(gitsync.__file__)", cwd=venv).strip()
    )
    assert package.is_relative_to(venv), "gitsync came from the checkout, not from the wheel"
    for which, name in (("deployment", SCHEMAS[0]), ("config", SCHEMAS[1])):
        printed = Path(_run(gitsync, "schema", "path", which, cwd=venv).strip())
        assert printed == package.parent.parent / name
        assert printed.is_file()
    # validate reads those same schemas: the example repository validates from the wheel install
    env = {**os.environ, "NO_COLOR": "1"}
    _run(gitsync, "validate", "--config", ROOT / "examples" / "gitsync.yaml", cwd=venv, env=env)


def test_the_sdist_carries_what_the_wheel_is_built_from(tmp_path: Path) -> None:
    """`python -m build` builds the wheel from the sdist: the schemas force-included must be in it."""
    _run(sys.executable, "-m", "hatchling", "build", "--target", "sdist", "--directory", tmp_path)
    (sdist,) = tmp_path.glob("*.tar.gz")
    assert sdist.name == f"gitsync_connect-{__version__}.tar.gz"
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    wanted = {"pyproject.toml", "LICENSE", "CHANGELOG.md", "README.md", "gitsync/__init__.py"}
    assert wanted | {"schemas/deployment.schema.json", "schemas/config.schema.json"} <= names


def test_pyproject_names_the_distribution_the_readme_installs() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DIST
    assert project["scripts"] == {"gitsync": "gitsync.cli:main"}
    install = (ROOT / "README.md").read_text(encoding="utf-8").split("## Install", 1)[1].split("\n## ", 1)[0]
    assert f"pipx install {DIST}" in install and f"pip install {DIST}" in install
    assert "pipx install ." in install


def test_the_changelog_has_this_version_and_the_licence_is_mit() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.MULTILINE)
    assert "## [Unreleased]" in changelog
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n") and "Copyright (c) 2026 the gitsync authors" in licence


def _pinned_files() -> list[Path]:
    workflows = [*(ROOT / ".github").rglob("*.yml"), *(ROOT / ".github").rglob("*.yaml")]
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted(workflows)]


def test_every_pinned_tag_is_this_version() -> None:
    pins = {
        (path.relative_to(ROOT).as_posix(), tag)
        for path in _pinned_files()
        for tag in PIN.findall(path.read_text(encoding="utf-8"))
    }
    assert ("README.md", f"v{__version__}") in pins and ("docs/validate.md", f"v{__version__}") in pins
    assert {pin for pin in pins if pin[1] != f"v{__version__}"} == set(), "update them with the version"


def test_the_pin_pattern_reads_pre_commit_and_workflow_pins() -> None:
    text = (
        "    rev: v1.2.3\n  - uses: acme/gitsync/.github/actions/plan@v0.1.0\n  - uses: actions/checkout@v4\n"
    )
    assert PIN.findall(text) == ["v1.2.3", "v0.1.0"]
