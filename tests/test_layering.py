"""The house stands: imports point one way, never back.

    cli → render → (apply) → core → plan → live → manifest / api

- ``gitsync.core`` is the planning pipeline that plan, apply and import share (load inputs, open clients,
  read live state, select, plan). It sits above the planner and below every command: it imports plan, live,
  manifest and api, and nothing of render, cli or apply (no click, no exit codes).
- ``gitsync.plan`` is pure: it imports the plain live values (``gitsync.live.state``) and the manifest model,
  never ``gitsync.api``, pydantic or httpx, and never the reads (``gitsync.live.read``).
- ``gitsync.live.state`` imports no API and no pydantic; ``gitsync.live`` (the reads) may use the API client.
- ``gitsync.adopt`` (import) is a feature beside the core, not a command: it may import core, live,
  manifest and api (it reads through ``gitsync.live`` and checks what it writes as validate would), never
  cli, render (a manifest's text is its own, not a report), apply, plan (it makes no plan), the emulator,
  click or httpx.
- ``gitsync.apply`` carries out a plan: it may import plan, live, api and core, and of render only
  ``gitsync.render.escape`` (so nothing from the API reaches a terminal raw); never cli, adopt, the
  emulator or click (exit codes and output are the CLI's).
- ``gitsync.selection`` and ``gitsync.statuses`` are leaves, like ``errors``, ``secret`` and ``files``.
- The emulator imports nothing from the rest of gitsync, so a modelling mistake cannot hide on both sides.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "gitsync"

# module prefix → prefixes it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "gitsync.emulator": (
        "gitsync.api",
        "gitsync.live",
        "gitsync.core",
        "gitsync.selection",
        "gitsync.statuses",
        "gitsync.manifest",
        "gitsync.plan",
        "gitsync.render",
        "gitsync.cli",
        "gitsync.apply",
        "gitsync.errors",
        "gitsync.files",
        "gitsync.secret",
        "httpx",
    ),
    "gitsync.api": (
        "gitsync.manifest",
        "gitsync.live",
        "gitsync.core",
        "gitsync.plan",
        "gitsync.render",
        "gitsync.cli",
        "gitsync.apply",
        "gitsync.emulator",
        "click",
        "deepdiff",
    ),
    "gitsync.api.models": ("httpx",),
    "gitsync.manifest": (
        "gitsync.api",
        "gitsync.live",
        "gitsync.core",
        "gitsync.plan",
        "gitsync.render",
        "gitsync.cli",
        "gitsync.apply",
        "gitsync.emulator",
        "httpx",
        "deepdiff",
        "click",
    ),
    "gitsync.plan": (
        "gitsync.api",
        "gitsync.live.read",
        "gitsync.live.convert",
        "gitsync.core",
        "gitsync.render",
        "gitsync.cli",
        "gitsync.apply",
        "gitsync.emulator",
        "pydantic",
        "httpx",
        "click",
    ),
    "gitsync.live": (
        "gitsync.plan",
        "gitsync.core",
        "gitsync.render",
        "gitsync.cli",
        "gitsync.apply",
        "gitsync.emulator",
        "click",
        "deepdiff",
    ),
    "gitsync.live.state": ("gitsync.api", "pydantic", "httpx"),
    "gitsync.core": (
        "gitsync.render",
        "gitsync.cli",
        "gitsync.apply",
        "gitsync.emulator",
        "click",
    ),
    # click is allowed in render for one thing: click.style, the one colour palette (render/palette.py)
    "gitsync.render": (
        "gitsync.api.client",
        "gitsync.cli",
        "gitsync.apply",
        "gitsync.emulator",
        "httpx",
        "deepdiff",
    ),
    "gitsync.adopt": (
        "gitsync.cli",
        "gitsync.render",
        "gitsync.apply",
        "gitsync.plan",
        "gitsync.emulator",
        "click",
        "httpx",
    ),
    "gitsync.apply": ("gitsync.cli", "gitsync.adopt", "gitsync.render", "gitsync.emulator", "click"),
    # a feature, not a command: it reads through the client and writes files; the CLI only calls it
    "gitsync.schemapull": ("gitsync.cli", "gitsync.render", "gitsync.emulator", "click"),
    "gitsync.errors": ("gitsync.",),
    "gitsync.secret": ("gitsync.",),
    "gitsync.files": ("gitsync.",),
    "gitsync.selection": ("gitsync.",),
    "gitsync.statuses": ("gitsync.",),
}


# module prefix → prefixes it may import although FORBIDDEN bans a prefix of them
ALLOWED: dict[str, tuple[str, ...]] = {"gitsync.apply": ("gitsync.render.escape",)}


def _module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _matches(name: str, prefix: str) -> bool:
    return name == prefix.rstrip(".") or name.startswith(prefix if prefix.endswith(".") else prefix + ".")


def find_violations(package: Path = PACKAGE) -> list[str]:
    violations = []
    for path in sorted(package.rglob("*.py")):
        module = _module_name(path, package)
        for owner, banned in FORBIDDEN.items():
            if not _matches(module, owner):
                continue
            for imported in sorted(_imports(path)):
                allowed = ALLOWED.get(owner, ())
                if any(_matches(imported, prefix) for prefix in banned) and not any(
                    _matches(imported, prefix) for prefix in allowed
                ):
                    violations.append(f"{module} imports {imported} (forbidden for {owner})")
    return violations


def test_no_import_points_the_wrong_way() -> None:
    assert find_violations() == []


def test_the_check_catches_a_wrong_edge(tmp_path: Path) -> None:
    fake = tmp_path / "gitsync"
    (fake / "emulator").mkdir(parents=True)
    (fake / "emulator" / "bad.py").write_text("from gitsync.api.client import ConnectClient\n")
    assert find_violations(fake) == [
        "gitsync.emulator.bad imports gitsync.api.client (forbidden for gitsync.emulator)",
        "gitsync.emulator.bad imports gitsync.api.client.ConnectClient (forbidden for gitsync.emulator)",
    ]


def test_the_planner_may_not_import_the_api(tmp_path: Path) -> None:
    fake = tmp_path / "gitsync"
    (fake / "plan").mkdir(parents=True)
    (fake / "live").mkdir()
    bad = "from gitsync.api.models import DeploymentStatus\nimport pydantic\n"
    (fake / "plan" / "bad.py").write_text(bad)
    (fake / "live" / "state.py").write_text("from gitsync.api import models\n")
    assert find_violations(fake) == [
        "gitsync.live.state imports gitsync.api (forbidden for gitsync.live.state)",
        "gitsync.live.state imports gitsync.api.models (forbidden for gitsync.live.state)",
        "gitsync.plan.bad imports gitsync.api.models (forbidden for gitsync.plan)",
        "gitsync.plan.bad imports gitsync.api.models.DeploymentStatus (forbidden for gitsync.plan)",
        "gitsync.plan.bad imports pydantic (forbidden for gitsync.plan)",
    ]


def test_the_planner_loads_no_api_module_nor_httpx() -> None:
    """Not only no direct import: nothing the planner pulls in loads the API layer or the HTTP library."""
    code = (
        "import sys, gitsync.plan.planner, gitsync.plan.guards, gitsync.live.state\n"
        "print(sorted(m for m in sys.modules if m.startswith(('gitsync.api', 'gitsync.live.read', 'httpx'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_adopt_and_apply_stay_in_their_layer(tmp_path: Path) -> None:
    fake = tmp_path / "gitsync"
    (fake / "adopt").mkdir(parents=True)
    (fake / "apply").mkdir()
    (fake / "adopt" / "bad.py").write_text("import click\nfrom gitsync.render import plan_text\n")
    (fake / "adopt" / "good.py").write_text(
        "from gitsync.live import read\nfrom gitsync.core import inputs\n"
    )
    (fake / "apply" / "bad.py").write_text(
        "from gitsync.cli import INTERRUPT\nimport gitsync.render.palette\n"
    )
    (fake / "apply" / "good.py").write_text("from gitsync.render.escape import clean\nimport gitsync.plan\n")
    assert find_violations(fake) == [
        "gitsync.adopt.bad imports click (forbidden for gitsync.adopt)",
        "gitsync.adopt.bad imports gitsync.render (forbidden for gitsync.adopt)",
        "gitsync.adopt.bad imports gitsync.render.plan_text (forbidden for gitsync.adopt)",
        "gitsync.apply.bad imports gitsync.cli (forbidden for gitsync.apply)",
        "gitsync.apply.bad imports gitsync.cli.INTERRUPT (forbidden for gitsync.apply)",
        "gitsync.apply.bad imports gitsync.render.palette (forbidden for gitsync.apply)",
    ]
