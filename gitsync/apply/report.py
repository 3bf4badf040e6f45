"""The final apply report: a table (one row per Deployment) or JSON, written to a stream (stdout).

It lives beside the results rather than in ``gitsync.render`` because renderers may not import apply
(tests/test_layering.py). API text (messages, report entries) is escaped with the one renderer escape.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TextIO

from gitsync.apply.progress import format_duration
from gitsync.apply.result import ApplyReport, ApplyResult
from gitsync.render.escape import clean

COLUMNS = ("DEPLOYMENT", "ACTION", "RESULT", "STATUS", "VERSION", "DURATION")


def report_json(report: ApplyReport) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def render_report_json(report: ApplyReport, stream: TextIO) -> None:
    stream.write(report_json(report))


def render_report_text(report: ApplyReport, stream: TextIO) -> None:
    """The table, then each failure's error and build report entries, then a one-line summary."""
    rows = [COLUMNS, *(_row(result) for result in report.results)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(COLUMNS))]
    for row in rows:
        stream.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        stream.write("\n")
    for result in report.results:
        _details(result, stream)
    stream.write(_summary(report) + "\n")


def _row(result: ApplyResult) -> tuple[str, ...]:
    version = str(result.version) if result.version is not None else "-"
    return (
        clean(f"{result.target}/{result.key}"),
        result.action,
        result.outcome,
        clean(result.status or "-"),
        version,
        format_duration(result.duration),
    )


def _details(result: ApplyResult, stream: TextIO) -> None:
    if result.error_code is None and not result.entries:
        return
    stream.write(f"\n{clean(result.target)}/{clean(result.key)}: {result.outcome}")
    if result.error_code is not None:
        stream.write(f": {clean(result.error_code)}: {clean(result.error_message or '')}")
    stream.write("\n")
    for entry in result.entries:
        where = f" {entry.application}" if entry.application else ""
        stream.write(clean(f"  {entry.type}{where}: {entry.title or ''}: {entry.message or ''}") + "\n")


def _summary(report: ApplyReport) -> str:
    parts = [f"{count} {outcome}" for outcome, count in report.summary.items() if count]
    text = "Apply: " + (", ".join(parts) if parts else "nothing to do") + "."
    return text + (" Interrupted: run apply again to converge." if report.interrupted else "")


RENDERERS_BY_NAME: dict[str, Callable[[ApplyReport, TextIO], None]] = {
    "text": render_report_text,
    "json": render_report_json,
}
FORMATS: Sequence[str] = tuple(RENDERERS_BY_NAME)
