"""The user's files, read and written safely: regular files only, bounded reads, no write over a non-file.

A path a user (or a repository) names can be anything: a FIFO (reading it waits for a writer forever),
``/dev/zero`` (it never ends), a directory, a symlink loop or a dangling symlink. Reads open without blocking,
check what they opened and read at most ``limit`` bytes. Writes go through a temporary file and
``os.replace`` (a reader never sees half a file), but only over a regular file: replacing a device, FIFO or
directory would destroy it, and replacing a symlink would silently cut it. Rules (docs/saved-plans.md and
docs/schema-pull.md): a symlink to a regular file is written through when ``follow_symlinks`` (the link
stays, its file gets the new content); every other existing non-regular path is refused with
``FileRefusedError``.

Errors are ``OSError`` subclasses with a ``strerror`` a user can act on, so callers keep one ``except
OSError`` for every file failure.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symlink"),
)


class FileRefusedError(OSError):
    """The path is not a regular file (or is over the size bound): gitsync does not read or replace it."""

    def __init__(self, reason: str) -> None:
        super().__init__(0, reason)


class FileTooLargeError(FileRefusedError):
    """The file is over the size bound of the read."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words ("a FIFO (named pipe)")."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed), at most ``limit`` of them.

    Opens with O_NONBLOCK so a FIFO cannot hang the open, and checks the opened file, not the name (no race).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise FileRefusedError(f"it is {kind_of(status.st_mode)}, not a regular file")
        data = _read_to_end(fd, status.st_size, limit)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FileTooLargeError(f"it is over {limit:,} bytes")
    return data


def _read_to_end(fd: int, size: int, limit: int) -> bytes:
    """At most ``limit + 1`` bytes, asked for by the file's size: a read of ``limit + 1`` allocates that
    much (a MiB per manifest, most of reading a thousand), and a file may have grown, or say size 0 (/proc).
    """
    chunks: list[bytes] = []
    total = 0
    wanted = min(size, limit) + 1
    while total <= limit:
        chunk = os.read(fd, wanted)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        wanted = min(64 * 1024, limit + 1 - total)
    return b"".join(chunks)


def write_target(path: Path, *, follow_symlinks: bool) -> Path:
    """The path a write to ``path`` replaces: itself, or a symlink's regular file; refuses anything else."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return path
    if stat.S_ISLNK(mode) and follow_symlinks:
        real = Path(os.path.realpath(path))
        try:
            mode = os.stat(real).st_mode
        except OSError as exc:
            raise FileRefusedError("it is a symlink to nothing (dangling or a loop); remove it") from exc
        path = real
    if not stat.S_ISREG(mode):
        raise FileRefusedError(f"it is {kind_of(mode)}, which gitsync never replaces; choose another path")
    return path


def write_atomic(path: Path, text: str, *, mode: int = 0o644, follow_symlinks: bool = False) -> None:
    """Write ``text`` to ``path`` through a temporary file and ``os.replace``; see the module rules."""
    import tempfile  # writers only: validate (a pre-commit hook) reads, and pays for every import

    target = write_target(path, follow_symlinks=follow_symlinks)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
