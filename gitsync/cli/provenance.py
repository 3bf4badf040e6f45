"""Where a plan comment came from: the commit and CI run, from flags or GitHub Actions' variables.

Reading the environment stays here, in the CLI: renderers get a ``CommentContext`` and never look at
``os.environ``. Other CIs pass ``--commit SHA --run-url URL``; a flag wins over the environment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import click

from gitsync.render.context import CommentContext
from gitsync.render.markdown_text import safe_url

F = TypeVar("F", bound=Callable[..., Any])
_SHA = re.compile(r"[0-9a-fA-F]{7,64}")


def provenance_options(command: F) -> F:
    """``--commit`` and ``--run-url``, shared by ``plan`` and ``show``."""
    command = click.option(
        "--run-url",
        callback=lambda ctx, param, value: _checked(value, safe_url, "an http(s) URL", "--run-url"),
        help="Link to the CI run in the Markdown comment (default: from GitHub Actions' variables).",
    )(command)
    return click.option(
        "--commit",
        callback=lambda ctx, param, value: _checked(
            value, _sha, "a commit SHA (7 to 64 hex digits)", "--commit"
        ),
        help="Commit shown in the Markdown comment (default: GITHUB_SHA).",
    )(command)


def comment_context(
    commit: str | None, run_url: str | None, env: Mapping[str, str], guards: tuple[str, ...] | None
) -> CommentContext:
    """The flags, else what GitHub Actions sets; an unusable variable is left out, never shown."""
    return CommentContext(
        commit=commit or _sha(env.get("GITHUB_SHA")),
        run_url=run_url or github_run_url(env),
        guards=guards,
    )


def github_run_url(env: Mapping[str, str]) -> str | None:
    """``$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID`` when all three are set."""
    parts = [
        env.get(name, "").strip() for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    ]
    if not all(parts):
        return None
    server, repository, run_id = parts
    return safe_url(f"{server.rstrip('/')}/{repository}/actions/runs/{run_id}")


def _sha(value: str | None) -> str | None:
    return value if value is not None and _SHA.fullmatch(value) else None


def _checked(value: str | None, check: Callable[[str], str | None], what: str, flag: str) -> str | None:
    if value is None:
        return None
    if check(value) is None:
        raise click.BadParameter(f"{value[:80]!r} is not {what}", param_hint=flag)
    return value
