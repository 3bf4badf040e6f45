"""What apply did to each Deployment: one frozen ``ApplyResult`` per change, gathered in an ``ApplyReport``.

``ApplyReport.to_dict()`` is the single source of the JSON report (versioned like the plan). Results hold
no secret: error messages come from ``ApiError``, which the client has already redacted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from gitsync.live.state import BuildReportEntry

REPORT_FORMAT_VERSION = 1

Outcome = Literal["applied", "failed", "stale", "skipped", "not-submitted", "interrupted"]
OUTCOMES: tuple[Outcome, ...] = ("applied", "failed", "stale", "skipped", "not-submitted", "interrupted")
SUCCEEDED: frozenset[Outcome] = frozenset({"applied", "skipped"})
# an interrupt left these undone: the report says so and the exit code is 130 (SPEC §2, §4)
CUT_SHORT: frozenset[Outcome] = frozenset({"not-submitted", "interrupted"})

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class ApplyResult:
    """What happened to one Deployment: the planned ``action`` and its ``outcome``."""

    target: str
    key: str
    action: str
    outcome: Outcome
    status: str | None = None
    """The last status seen: a Deployment status, ``gone`` after a delete, or None when never read."""
    version: int | None = None
    duration: float = 0.0
    """Seconds from the first call for this Deployment to its outcome."""
    error_code: str | None = None
    error_message: str | None = None
    entries: tuple[BuildReportEntry, ...] = ()

    @property
    def succeeded(self) -> bool:
        return self.outcome in SUCCEEDED

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"target": self.target, "key": self.key, "action": self.action}
        data |= {"outcome": self.outcome, "status": self.status, "version": self.version}
        data["durationSeconds"] = round(self.duration, 3)
        data["error"] = (
            {"code": self.error_code, "message": self.error_message} if self.error_code is not None else None
        )
        data["reportEntries"] = [entry.to_dict() for entry in self.entries]
        return data


@dataclass(frozen=True)
class ApplyReport:
    """Every change's result, in plan order; ``interrupted`` once the interrupt switch was set."""

    results: tuple[ApplyResult, ...]
    interrupted: bool = False

    @property
    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
        for result in self.results:
            counts[result.outcome] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "formatVersion": REPORT_FORMAT_VERSION,
            "interrupted": self.interrupted,
            "summary": self.summary,
            "results": [result.to_dict() for result in self.results],
        }


def exit_code(report: ApplyReport) -> int:
    """SPEC §2: 130 when an interrupt cut the run short, else 1 if any change did not succeed, else 0."""
    if report.interrupted or any(result.outcome in CUT_SHORT for result in report.results):
        return EXIT_INTERRUPTED
    if all(result.succeeded for result in report.results):
        return EXIT_OK
    return EXIT_FAILED
