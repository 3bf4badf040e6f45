"""Which files are a target's manifests: files, folders (recursive *.yaml / *.yml) and globs."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gitsync.manifest.model import Target
from gitsync.manifest.problems import Problem

_SUFFIXES = (".yaml", ".yml")
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class ManifestFile:
    """One manifest to load: its real path and the name used in messages and plans."""

    path: Path
    display: str


def _display(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return os.path.relpath(path, base) if path.is_absolute() else path.as_posix()


def expand(entry: str, base: Path) -> list[Path] | None:
    """The files one entry names (relative to ``base``), sorted; None when it matches nothing."""
    if _GLOB_CHARS & set(entry):
        matches = glob.glob(entry, root_dir=base, recursive=True)
        files = [base / match for match in matches if _candidate(base / match)]
        return sorted(files) or None
    path = base / entry
    if path.is_dir():
        found = [child for child in path.rglob("*") if child.suffix in _SUFFIXES and _candidate(child)]
        return sorted(found) or None
    return [path] if _lexists(path) else None


def _candidate(path: Path) -> bool:
    """Anything but a folder: a FIFO, a device or a broken symlink is read and reported, never skipped."""
    return not path.is_dir()


def _resolved(path: Path) -> Path:
    """``path.resolve()``, or the absolute path when a symlink loop stops resolution (reported on read)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError on a loop, 3.13 OSError
        return path.absolute()


def _resolver() -> Callable[[Path], Path]:
    """``_resolved`` with each folder resolved once: a file that is no symlink is its resolved folder / its
    name. One lstat per file instead of one per part of its path (a thousand manifests share a folder)."""
    folders: dict[Path, Path] = {}

    def resolve(path: Path) -> Path:
        try:
            if path.name in ("", ".", "..") or path.is_symlink():
                return _resolved(path)
        except OSError:  # lstat refused (a folder without search permission): resolve says the same
            return _resolved(path)
        if path.parent not in folders:
            folders[path.parent] = _resolved(path.parent)
        return folders[path.parent] / path.name

    return resolve


def _under(resolved: Path, roots: Sequence[Path]) -> bool:
    """``resolved`` is a root or inside one (by whole path parts: ``a/bc`` is not under ``a/b``)."""
    return any(resolved.parts[: len(root.parts)] == root.parts for root in roots)


def manifest_files(target: Target, paths: Sequence[str]) -> tuple[list[ManifestFile], list[Problem]]:
    """The target's manifest files, narrowed to ``paths`` when given (paths ARE them with no config)."""
    files: list[ManifestFile] = []
    problems: list[Problem] = []
    if not target.manifests:
        for entry in paths:
            found = expand(entry, Path.cwd())
            if found is None:
                problems.append(_nothing(entry, "the path"))
            files += [ManifestFile(path, _display(path, Path.cwd())) for path in found or ()]
        return _unique(files, _resolver()), problems
    resolve = _resolver()
    roots = [resolve(Path(entry)) for entry in paths]
    problems += [_nothing(entry, "the path") for entry in paths if not _lexists(Path(entry))]
    for entry in target.manifests:
        found = expand(entry, target.base_dir)
        if found is None:
            problems.append(_nothing(entry, f"target {target.name!r}: manifests entry"))
        for path in found or ():
            if not roots or _under(resolve(path), roots):
                files.append(ManifestFile(path, _display(path, target.base_dir)))
    return _unique(files, resolve), problems


def _lexists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _nothing(entry: str, what: str) -> Problem:
    message = f"{what} {entry!r} matches no file; fix the path or glob"
    return Problem(entry, 1, 1, "no-manifests", message)


def _unique(files: list[ManifestFile], resolve: Callable[[Path], Path]) -> list[ManifestFile]:
    seen: set[Path] = set()
    unique = []
    for item in files:
        key = resolve(item.path)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return sorted(unique, key=lambda item: item.display)
