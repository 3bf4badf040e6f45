"""What a plan comment shows besides the plan: where it came from, and whether apply's guards accept it.

The CLI fills it (it reads the CI's environment and checks the guards against the config); renderers only
show it. A saved plan shown without its configuration has no guard outcome: ``guards`` is None.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommentContext:
    """Provenance and guard outcome of one rendering; every field optional."""

    commit: str | None = None
    """The commit planned (GITHUB_SHA, or ``--commit``)."""
    run_url: str | None = None
    """The CI run that planned it (built from GitHub Actions variables, or ``--run-url``)."""
    guards: tuple[str, ...] | None = None
    """Why apply's guards would refuse this plan (empty: they accept it); None when not checked."""


NO_CONTEXT = CommentContext()
