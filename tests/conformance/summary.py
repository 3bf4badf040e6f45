"""One line in the session summary when the official Connect CLI could not be driven (never silent).

Imported by tests/conftest.py: under xdist only the root conftest is loaded where the summary is written.
"""

from __future__ import annotations

from typing import Any

from tests.conformance.cli_support import in_ci, missing_reason


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if in_ci():
        return  # in CI the test itself fails when the CLI is missing
    reason = missing_reason()
    if reason is not None:
        terminalreporter.write_line(f"conformance: NOT RUN against the official Connect CLI: {reason}")
