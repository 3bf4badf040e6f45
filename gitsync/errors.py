"""The one error root users meet, and its tree.

Every error a user can cause or fix derives from ``GitsyncError`` and carries a message that says what is
wrong, where, and what to do. Only the CLI maps them to exit codes (SPEC §2):

    GitsyncError                 exit 1   anything the user can act on
    ├── ConfigError              exit 1   gitsync.yaml or CTP_* environment is unusable
    ├── ManifestError            exit 1   manifests did not load or validate (carries the problems)
    ├── VariableError            exit 1   a ${NAME} could not be resolved (file:line, variable)
    ├── ApiError (gitsync.api.errors)  exit 1   the Connect API said no, or could not be reached
    ├── PlanFileError            exit 1   a saved plan is unreadable or of another format version
    └── GuardError               exit 3   apply refused: maxDeletes, protect, preventDestroy, stale plan

Anything else escaping to the CLI is a bug: exit 4 and a report file.
"""

from __future__ import annotations


class GitsyncError(Exception):
    """Root of every error a user can act on; the message is shown as is."""

    exit_code: int = 1


class ConfigError(GitsyncError):
    """gitsync.yaml, or the CTP_* environment that replaces it, cannot be used."""


class ManifestError(GitsyncError):
    """Manifests failed to load or validate; ``problems`` holds every one of them."""

    def __init__(self, message: str, problems: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems


class VariableError(GitsyncError):
    """A ``${NAME}`` reference has no value in the target's vars nor the environment."""


class PlanFileError(GitsyncError):
    """A saved plan file cannot be read or was written by an incompatible version."""


class GuardError(GitsyncError):
    """Apply refused the plan before sending anything (SPEC §4 guards, stale saved plans)."""

    exit_code = 3
