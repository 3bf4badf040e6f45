"""Validation reports: problems as text, JSON or GitHub annotations, written to a passed stream.

Text and annotations escape control and bidi characters (``render.escape.clean``, as plans do); JSON escapes
every non-ASCII character itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import TextIO

from gitsync.manifest.problems import Problem
from gitsync.render.escape import clean
from gitsync.render.palette import paint
from gitsync.render.registry import Renderer, pick


def _sorted(problems: Sequence[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line, p.col, p.code, p.message))


def write_problems_text(problems: Sequence[Problem], stream: TextIO, *, color: bool = False) -> None:
    """``path:line:col: error[code]: message``, one line each, sorted by file and line."""
    for problem in _sorted(problems):
        if color:
            where = paint(f"{clean(problem.file)}:{problem.line}:{problem.col}:", "location", color)
            label = paint(f"error[{problem.code}]", "problem", color)
            stream.write(f"{where} {label}: {clean(problem.message)}\n")
        else:
            stream.write(f"{clean(str(problem))}\n")


def write_problems_json(problems: Sequence[Problem], stream: TextIO, *, color: bool = False) -> None:
    """A JSON list of {file, line, col, code, message}, sorted."""
    data = [
        {"file": p.file, "line": p.line, "col": p.col, "code": p.code, "message": p.message}
        for p in _sorted(problems)
    ]
    json.dump(data, stream, indent=2)
    stream.write("\n")


def _escape_data(text: str) -> str:
    """A workflow-command value: GitHub's escapes for `%`, CR and LF, then no control or bidi character."""
    return clean(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write_problems_github(problems: Sequence[Problem], stream: TextIO, *, color: bool = False) -> None:
    """GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=gitsync <code>::message``."""
    for p in _sorted(problems):
        title = _escape_property(f"gitsync {p.code}")
        props = f"file={_escape_property(p.file)},line={p.line},col={p.col},title={title}"
        stream.write(f"::error {props}::{_escape_data(p.message)}\n")


def path_from(cwd: Path, base_dir: Path, name: str) -> str:
    """``name`` (relative to ``base_dir``, or absolute) as a path relative to ``cwd``, with ``/``."""
    return Path(os.path.relpath(base_dir / name, cwd)).as_posix()


def relative_to_cwd(problems: Iterable[Problem], base_dir: Path, cwd: Path) -> list[Problem]:
    """Problems whose files are named from ``cwd`` instead of ``base_dir`` (gitsync.yaml's folder): GitHub
    attaches an annotation only to a path from the repository root, the working directory of a job."""
    return [p._replace(file=path_from(cwd, base_dir, p.file)) for p in problems]


PROBLEM_RENDERERS: dict[str, Renderer[Sequence[Problem]]] = {
    "text": write_problems_text,
    "json": write_problems_json,
    "github": write_problems_github,
}
PROBLEM_FORMATS: tuple[str, ...] = tuple(PROBLEM_RENDERERS)


def render_problems(problems: Sequence[Problem], fmt: str, stream: TextIO, color: bool = False) -> None:
    """Write ``problems`` to ``stream`` in format ``fmt`` (a key of ``PROBLEM_RENDERERS``)."""
    pick(PROBLEM_RENDERERS, fmt, "problem report")(problems, stream, color=color)


def summary_line(problems: Sequence[Problem], files: Collection[str]) -> str:
    """One line for stderr: files checked and problems found (a path matching nothing is not a file)."""
    if not problems:
        return f"{_count(len(files), 'file')} checked, no problems"
    total = _count(len(problems), "problem")
    if not files:
        return f"{total}, no file checked"
    in_files = [p for p in problems if p.file in files]
    if not in_files:
        return f"{total} (not in a manifest); {_count(len(files), 'file')} checked"
    where = f"in {len({p.file for p in in_files})} of {_count(len(files), 'file')} checked"
    elsewhere = len(problems) - len(in_files)
    if not elsewhere:
        return f"{total} {where}"
    return f"{total}: {len(in_files)} {where}, {elsewhere} not in a manifest"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
