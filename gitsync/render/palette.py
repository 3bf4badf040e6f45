"""The one colour palette: every ANSI code gitsync writes comes from here, through ``click.style``.

Green adds, yellow changes, red removes or fails, cyan waits, magenta needs a human, dim is unchanged;
bold marks headings and locations. Colour is the caller's decision (``GlobalOptions.color_for``): with
``color`` off the text is returned as is.
"""

from __future__ import annotations

from typing import Any, Literal

import click

from gitsync.plan.model import ACTIONS, Action

Role = Action | Literal["heading", "location", "problem"]

STYLES: dict[Role, dict[str, Any]] = {
    "create": {"fg": "green"},
    "redeploy": {"fg": "yellow"},
    "replace": {"fg": "red"},
    "delete": {"fg": "red"},
    "noop": {"dim": True},
    "wait": {"fg": "cyan"},
    "unmanaged": {"fg": "magenta"},
    "error": {"fg": "red", "bold": True},
    "heading": {"bold": True},
    "location": {"bold": True},
    "problem": {"fg": "red"},
}

assert set(ACTIONS) <= set(STYLES)


def paint(text: str, role: Role, color: bool) -> str:
    """``text`` in the role's style when ``color`` is on; unchanged otherwise."""
    return click.style(text, **STYLES[role]) if color else text
