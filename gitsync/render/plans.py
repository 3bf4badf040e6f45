"""The plan renderers by name (re-exported by ``gitsync.render``, which loads this module on first use)."""

from __future__ import annotations

from typing import Protocol, TextIO

from gitsync.plan.model import Plan
from gitsync.render.context import NO_CONTEXT, CommentContext
from gitsync.render.plan_json import write_plan_json
from gitsync.render.plan_markdown import write_plan_markdown
from gitsync.render.plan_text import write_plan_text
from gitsync.render.registry import Renderer, pick


class PlanRenderer(Protocol):
    """A plan renderer: ``context`` (provenance, guard outcome) is shown by the Markdown comment only."""

    def __call__(
        self, plan: Plan, stream: TextIO, /, *, color: bool = False, context: CommentContext = NO_CONTEXT
    ) -> None: ...


PLAN_RENDERERS: dict[str, PlanRenderer] = {
    "text": write_plan_text,
    "json": write_plan_json,
    "markdown": write_plan_markdown,
}
PLAN_FORMATS: tuple[str, ...] = tuple(PLAN_RENDERERS)


def render_plan(
    plan: Plan, fmt: str, stream: TextIO, color: bool = False, context: CommentContext = NO_CONTEXT
) -> None:
    """Write ``plan`` in format ``fmt`` (a key of ``PLAN_RENDERERS``) to ``stream``."""
    pick(PLAN_RENDERERS, fmt, "plan")(plan, stream, color=color, context=context)


__all__ = ["PLAN_FORMATS", "PLAN_RENDERERS", "CommentContext", "PlanRenderer", "Renderer", "render_plan"]
