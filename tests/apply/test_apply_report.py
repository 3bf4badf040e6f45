"""The apply report's text and JSON, the exit code, and the re-plan rules (pure functions, no network)."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import pytest
from apply_support import redeploy

from gitsync.api.errors import ConcurrentModificationError
from gitsync.apply.progress import format_duration
from gitsync.apply.replan import after_conflict, after_wait, same_change
from gitsync.apply.report import render_report_json, render_report_text
from gitsync.apply.result import ApplyReport, ApplyResult, exit_code
from gitsync.live.state import BuildReportEntry

OK = ApplyResult("prod", "pay", "create", "applied", "Deployed", 1, 12.5)
FAILED = ApplyResult(
    "prod",
    "tax",
    "redeploy",
    "failed",
    "Failed",
    4,
    80.0,
    "Failed",
    "ended Failed\x1b[31m",
    (BuildReportEntry("Error", "app", "Deployment failed", "The build failed."),),
)


def test_the_text_report_has_one_row_per_deployment_and_the_failure_details() -> None:
    stream = io.StringIO()
    render_report_text(ApplyReport((OK, FAILED)), stream)
    lines = stream.getvalue().splitlines()
    assert lines[0].split() == ["DEPLOYMENT", "ACTION", "RESULT", "STATUS", "VERSION", "DURATION"]
    assert lines[1].split() == ["prod/pay", "create", "applied", "Deployed", "1", "12.5s"]
    assert lines[2].split() == ["prod/tax", "redeploy", "failed", "Failed", "4", "1m20s"]
    assert "prod/tax: failed: Failed: ended Failed\\x1b[31m" in lines  # escaped, not a colour
    assert "  Error app: Deployment failed: The build failed." in lines
    assert lines[-1] == "Apply: 1 applied, 1 failed."


def test_the_json_report_is_versioned_and_complete() -> None:
    stream = io.StringIO()
    render_report_json(ApplyReport((OK, FAILED), interrupted=False), stream)
    data = json.loads(stream.getvalue())
    assert data["formatVersion"] == 1 and data["interrupted"] is False
    assert data["summary"]["applied"] == 1 and data["summary"]["failed"] == 1
    tax = data["results"][1]
    assert tax["error"] == {"code": "Failed", "message": "ended Failed\x1b[31m"}
    assert tax["reportEntries"] == [
        {"type": "Error", "application": "app", "title": "Deployment failed", "message": "The build failed."}
    ]
    assert (tax["status"], tax["version"], tax["durationSeconds"]) == ("Failed", 4, 80.0)


@pytest.mark.parametrize(
    ("outcomes", "interrupted", "code"),
    [
        (("applied", "skipped"), False, 0),
        ((), False, 0),
        (("applied", "failed"), False, 1),
        (("applied", "stale"), False, 1),
        (("applied", "not-submitted"), False, 130),
        (("applied",), True, 130),
    ],
)
def test_exit_code(outcomes: tuple[str, ...], interrupted: bool, code: int) -> None:
    results = tuple(replace(OK, outcome=outcome) for outcome in outcomes)  # type: ignore[arg-type]
    assert exit_code(ApplyReport(results, interrupted=interrupted)) == code


@pytest.mark.parametrize(
    ("seconds", "text"), [(0.04, "0.0s"), (4.25, "4.2s"), (80, "1m20s"), (3725, "1h02m")]
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def _conflict() -> ConcurrentModificationError:
    return ConcurrentModificationError(
        status=409, code="ConcurrentModification", message="version mismatch", method="POST", path="/p"
    )


def test_a_conflict_is_applied_only_when_the_new_plan_is_the_same_change() -> None:
    planned = redeploy("pay", 1)
    assert same_change(planned, redeploy("pay", 7))
    assert after_conflict(planned, redeploy("pay", 7), _conflict()) == redeploy("pay", 7)
    assert not same_change(planned, redeploy("pay", 7, mode="other"))
    assert not same_change(planned, replace(redeploy("pay", 7), action="replace"))
    stale = after_conflict(planned, redeploy("pay", 7, mode="other"), _conflict())
    assert isinstance(stale, str) and "run plan again" in stale


def test_after_a_wait_only_non_destructive_changes_run() -> None:
    planned = replace(redeploy("pay", 1), action="wait")
    assert after_wait(planned, redeploy("pay", 2)) == redeploy("pay", 2)
    for action in ("delete", "replace", "wait", "error"):
        assert isinstance(after_wait(planned, replace(planned, action=action)), str)  # type: ignore[arg-type]
