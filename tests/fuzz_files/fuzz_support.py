"""Run the CLI in-process in a scratch folder and check the fuzz property: no exit 4, no traceback."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from gitsync.cli import EXIT_INTERNAL, run

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS / "manifest"))
sys.path.insert(0, str(TESTS / "render"))

# JSON values: what a hand-edited plan or connector schema can hold
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A temporary folder that is the working directory for the duration."""
    before = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            yield Path(folder)
        finally:
            os.chdir(before)


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``gitsync argv`` in this process: its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(argv)
    return code, out.getvalue(), err.getvalue()


def assert_handled(code: int, err: str) -> None:
    """The fuzz property: input never ends in an internal error, and no traceback reaches the user."""
    assert code != EXIT_INTERNAL, err
    assert "Traceback" not in err and "internal error" not in err, err
    assert code in (0, 1), (code, err)


def mutate(text: str, data: Any) -> str:
    """``text`` with a few random edits: cut a slice, insert random text, or repeat a line."""
    draw: Callable[..., Any] = data.draw
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(("cut", "insert", "repeat")))
        if kind == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 20)) :]
        elif kind == "insert":
            text = text[:at] + draw(st.text(max_size=10)) + text[at:]
        else:
            lines = text.splitlines(keepends=True) or [""]
            index = draw(st.integers(0, len(lines) - 1))
            text = "".join([*lines[: index + 1], lines[index], *lines[index + 1 :]])
    return text
