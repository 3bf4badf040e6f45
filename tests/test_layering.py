"""The house stands: imports point down manifests → desired model → plan → apply → client, never back.

The emulator imports nothing from the rest of gitsync, so a modelling mistake cannot hide on both sides.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "gitsync"

# module prefix → prefixes it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "gitsync.emulator": (
        "gitsync.api",
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
        "gitsync.plan",
        "gitsync.render",
        "gitsync.cli",
        "gitsync.apply",
        "gitsync.emulator",
        "httpx",
        "deepdiff",
        "click",
    ),
    "gitsync.plan": ("gitsync.render", "gitsync.cli", "gitsync.apply", "gitsync.emulator", "httpx", "click"),
    # click is allowed in render for one thing: click.style, the one colour palette (render/palette.py)
    "gitsync.render": (
        "gitsync.api.client",
        "gitsync.cli",
        "gitsync.apply",
        "gitsync.emulator",
        "httpx",
        "deepdiff",
    ),
    # a feature, not a command: it reads through the client and writes files; the CLI only calls it
    "gitsync.schemapull": ("gitsync.cli", "gitsync.render", "gitsync.emulator", "click"),
    "gitsync.errors": ("gitsync.",),
    "gitsync.secret": ("gitsync.",),
    "gitsync.files": ("gitsync.",),
}


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
                if any(_matches(imported, prefix) for prefix in banned):
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
