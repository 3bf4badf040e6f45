"""read_regular reads by the file's size, yet never trusts it: the bound and the whole content hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitsync.files import FileRefusedError, FileTooLargeError, read_regular


@pytest.mark.parametrize("size", [0, 1, 99, 100])
def test_a_file_up_to_the_bound_is_read_whole(tmp_path: Path, size: int) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(b"x" * size)
    assert read_regular(path, 100) == b"x" * size


def test_one_byte_over_the_bound_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(b"x" * 101)
    with pytest.raises(FileTooLargeError, match="over 100 bytes"):
        read_regular(path, 100)


def test_a_file_that_says_size_0_is_read_to_its_end() -> None:
    status = Path("/proc/self/status")
    if not status.is_file() or status.stat().st_size != 0:
        pytest.skip("no /proc here: nothing on this system says size 0 and holds text")
    assert b"Name:" in read_regular(status, 1024 * 1024)


def test_a_folder_is_refused_by_what_was_opened(tmp_path: Path) -> None:
    with pytest.raises(FileRefusedError, match="a directory"):
        read_regular(tmp_path, 100)
