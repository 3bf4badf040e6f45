"""The one colour palette: every ANSI code gitsync writes comes from here, through ``click.style``.

Green adds, yellow changes, red removes or fails, cyan waits, magenta needs a human, dim is unchanged;
bold marks headings and locations. Colour is the caller's decision (``GlobalOptions.color_for``): with
``color`` off the text is returned as is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import click

if TYPE_CHECKING:  # the plan model (dataclasses, hashlib, datetime) is not on validate's start-up path
    from gitsync.plan.model import Action

Role: TypeAlias = "Action | Literal['heading', 'location', 'problem']"

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
# every action has a style: tests/render/test_palette.py checks it (an import-time assert would load the
# plan model on every start-up)


def paint(text: str, role: Role, color: bool) -> str:
    """``text`` in the role's style when ``color`` is on; unchanged otherwise."""
    return click.style(text, **STYLES[role]) if color else text
