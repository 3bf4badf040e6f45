"""Which files are a target's manifests: files, folders (recursive *.yaml / *.yml) and globs."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from gitsync.manifest.problems import Problem
from gitsync.manifest.target import Target

_SUFFIXES = (".yaml", ".yml")
_GLOB_CHARS = frozenset("*?[")


class ManifestFile(NamedTuple):
    """One manifest to load: its real path and the name used in messages and plans."""

    path: Path
    display: str


def _display(path: str, base: Path) -> str:
    """``path`` as messages and plans name it: relative to ``base`` where it lies under it."""
    prefix = os.fspath(base).rstrip(os.sep) + os.sep
    if path.startswith(prefix):  # a found file: base joined with what was found (no Path object needed)
        return Path(path[len(prefix) :]).as_posix()
    as_path = Path(path)
    try:
        return as_path.relative_to(base).as_posix()
    except ValueError:
        return os.path.relpath(path, base) if as_path.is_absolute() else as_path.as_posix()


Found = tuple[str, bool]
"""A file found: its path (joined to the base folder) and whether it may be a symlink (a folder's listing
says which are; a named file or a glob match may be one)."""


def expand(entry: str, base: Path, unlisted: list[tuple[str, str]]) -> list[Found] | None:
    """The files one entry names, in path order; None when it matches nothing. A folder that cannot be
    listed is added to ``unlisted`` with the reason: its manifests are missing, never silently (a glob
    passes over one, as Python's glob does)."""
    if _GLOB_CHARS & set(entry):
        matches = glob.glob(entry, root_dir=base, recursive=True)
        files = [base / match for match in matches if _candidate(base / match)]
        return [(os.fspath(path), True) for path in sorted(files)] or None
    path = base / entry
    if os.path.isdir(path):  # False, not PermissionError, in a folder without search permission
        return _walk(os.fspath(path), unlisted) or None
    return [(os.fspath(path), True)] if _lexists(path) else None


def _walk(folder: str, unlisted: list[tuple[str, str]]) -> list[Found]:
    """The manifest-named non-folders under ``folder``, as ``Path.rglob("*")`` finds them (symlinked
    folders are not entered), in path order, from ``os.scandir``'s entries: the kind of each entry comes
    with the listing, where rglob and ``is_dir`` cost a stat per file and sorting Path objects costs more
    (most of a pre-commit run on one file of a folder of a thousand)."""
    found: list[Found] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:  # rglob skipped it: a plan would then miss its manifests, and might prune them
        unlisted.append((folder, exc.strerror or type(exc).__name__))
        return found
    for entry in entries:  # by name, each folder's files where its name sorts: the order of Path parts
        name = entry.name
        try:
            is_dir = entry.is_dir()
        except OSError:  # as Path.is_dir: a dangling symlink or a loop is no folder (read, and reported)
            is_dir = False
        if is_dir:
            if not entry.is_symlink():
                found += _walk(entry.path, unlisted)
        elif name.endswith(_SUFFIXES) and name.rfind(".") > 0:  # as Path.suffix: ".yaml" has none
            found.append((entry.path, entry.is_symlink()))
    return found


def _candidate(path: Path) -> bool:
    """Anything but a folder: a FIFO, a device or a broken symlink is read and reported, never skipped."""
    return not os.path.isdir(path)


def _resolved(path: Path) -> Path:
    """``path.resolve()``, or the absolute path when a symlink loop stops resolution (reported on read)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError on a loop, 3.13 OSError
        return path.absolute()


def _resolver() -> Callable[[str, bool], str]:
    """``_resolved`` with each folder resolved once: a file that is no symlink is its resolved folder / its
    name. One lstat per file instead of one per part of its path (a thousand manifests share a folder)."""
    folders: dict[str, str] = {}

    def resolve(path: str, maybe_link: bool = True) -> str:
        parent, name = os.path.split(path)
        # islink is False for what it cannot lstat (a folder without search permission): the folder's
        # resolution then says what resolve would
        if name in ("", ".", "..") or (maybe_link and os.path.islink(path)):
            return os.fspath(_resolved(Path(path)))
        if parent not in folders:
            folders[parent] = os.fspath(_resolved(Path(parent)))
        return os.path.join(folders[parent], name)

    return resolve


def _within(roots: Sequence[str]) -> Callable[[str], bool]:
    """Whether a resolved path is a root or inside one (by whole path parts: ``a/bc`` is not under
    ``a/b``); one set lookup and one ``startswith`` per file of a folder of thousands."""
    exact = frozenset(roots)
    prefixes = tuple(root.rstrip(os.sep) + os.sep for root in roots)
    return lambda resolved: resolved in exact or resolved.startswith(prefixes)


def manifest_files(target: Target, paths: Sequence[str]) -> tuple[list[ManifestFile], list[Problem]]:
    """The target's manifest files, narrowed to ``paths`` when given (paths ARE them with no config)."""
    kept: list[tuple[Found, str]] = []  # with the name shown; Path objects only for the files kept
    problems: list[Problem] = []
    unlisted: list[tuple[str, str]] = []
    resolve = _resolver()
    if not target.manifests:
        for entry in paths:
            before = len(unlisted)
            files = expand(entry, Path.cwd(), unlisted)
            if files is None and len(unlisted) == before:
                problems.append(_nothing(entry, "the path"))
            kept += [(found, _display(found[0], Path.cwd())) for found in files or ()]
        problems += _unlisted(unlisted, Path.cwd(), lambda folder: True)
        return _unique(kept, resolve), problems
    roots = [resolve(entry, True) for entry in paths]
    within = _within(roots)
    problems += [_nothing(entry, "the path") for entry in paths if not _lexists(Path(entry))]
    for entry in target.manifests:
        before = len(unlisted)
        files = expand(entry, target.base_dir, unlisted)
        if files is None and len(unlisted) == before:
            problems.append(_nothing(entry, f"target {target.name!r}: manifests entry"))
        for found in files or ():
            if not paths or within(resolve(*found)):
                kept.append((found, _display(found[0], target.base_dir)))

    def concerned(folder: str) -> bool:
        """Whether the folder may hold what this run reads: every one, or one a PATH is in or under."""
        real = resolve(folder, True)
        return not paths or within(real) or _holds(real, roots)

    problems += _unlisted(unlisted, target.base_dir, concerned)
    return _unique(kept, resolve), problems


def _holds(folder: str, roots: Sequence[str]) -> bool:
    """Whether a named PATH lies inside ``folder``."""
    prefix = folder.rstrip(os.sep) + os.sep
    return any(root.startswith(prefix) for root in roots)


def _unlisted(unlisted: list[tuple[str, str]], base: Path, concerned: Callable[[str], bool]) -> list[Problem]:
    """One ``unreadable`` problem per folder that could not be listed and may hold what this run reads."""
    problems = []
    for folder, reason in dict(unlisted).items():  # a folder two entries reach is reported once
        if concerned(folder):
            message = (
                f"cannot list the folder ({reason}): its manifests would be left out, and look deleted to "
                "plan; fix its permissions, or leave it out of the manifests"
            )
            problems.append(Problem(_display(folder, base), 1, 1, "unreadable", message))
    return problems


def _lexists(path: Path) -> bool:
    """Whether something is there, a dangling symlink included; what cannot be looked at (no search
    permission on its folder) counts as there: reading it then says why it cannot be read."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL, no file has one
        return False
    except OSError:
        return True
    return True


def _nothing(entry: str, what: str) -> Problem:
    message = f"{what} {entry!r} matches no file; fix the path or glob"
    return Problem(entry, 1, 1, "no-manifests", message)


def _unique(kept: list[tuple[Found, str]], resolve: Callable[[str, bool], str]) -> list[ManifestFile]:
    """One ManifestFile per file, however many paths reach it (the first found names it), by name."""
    seen: set[str] = set()
    unique = []
    for found, display in kept:
        key = resolve(*found)
        if key not in seen:
            seen.add(key)
            unique.append(ManifestFile(Path(found[0]), display))
    return sorted(unique, key=lambda item: item.display)
