"""Plan renderers chosen by name: text for terminals and logs, JSON for machines, Markdown for PR comments.

Renderers only read a plan and write to the stream they are given; a plan holds no secret value, so
nothing here ever needs one (and nothing here calls ``Secret.reveal``).
"""

from __future__ import annotations

from typing import Protocol, TextIO

from gitsync.plan.model import Plan
from gitsync.render.plan_json import render_json
from gitsync.render.plan_markdown import render_markdown
from gitsync.render.plan_text import render_text


class Renderer(Protocol):
    """Writes one plan to ``stream``; ``color`` asks for ANSI colour where the format has any."""

    def __call__(self, plan: Plan, stream: TextIO, *, color: bool = False) -> None: ...


RENDERERS_BY_NAME: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}
FORMATS: tuple[str, ...] = tuple(RENDERERS_BY_NAME)


def render_plan(plan: Plan, fmt: str, stream: TextIO, *, color: bool = False) -> None:
    """Write ``plan`` in format ``fmt`` (a key of ``RENDERERS_BY_NAME``) to ``stream``."""
    try:
        renderer = RENDERERS_BY_NAME[fmt]
    except KeyError:
        raise ValueError(f"unknown plan format {fmt!r}; use one of {', '.join(FORMATS)}") from None
    renderer(plan, stream, color=color)


__all__ = ["FORMATS", "RENDERERS_BY_NAME", "Renderer", "render_plan"]
