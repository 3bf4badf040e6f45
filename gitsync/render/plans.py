"""The plan renderers by name (re-exported by ``gitsync.render``, which loads this module on first use)."""

from __future__ import annotations

from typing import TextIO

from gitsync.plan.model import Plan
from gitsync.render.plan_json import write_plan_json
from gitsync.render.plan_markdown import write_plan_markdown
from gitsync.render.plan_text import write_plan_text
from gitsync.render.registry import Renderer, pick

PLAN_RENDERERS: dict[str, Renderer[Plan]] = {
    "text": write_plan_text,
    "json": write_plan_json,
    "markdown": write_plan_markdown,
}
PLAN_FORMATS: tuple[str, ...] = tuple(PLAN_RENDERERS)


def render_plan(plan: Plan, fmt: str, stream: TextIO, color: bool = False) -> None:
    """Write ``plan`` in format ``fmt`` (a key of ``PLAN_RENDERERS``) to ``stream``."""
    pick(PLAN_RENDERERS, fmt, "plan")(plan, stream, color=color)


__all__ = ["PLAN_FORMATS", "PLAN_RENDERERS", "Renderer", "render_plan"]
