"""Plan renderers chosen by name: text for terminals and logs, JSON for machines, Markdown for PR comments.

Renderers only read a plan and write to the stream they are given; a plan holds no secret value, so
nothing here ever needs one (and nothing here calls ``Secret.reveal``). Validation problems have their own
family in ``render.problems``, registered the same way (``render.registry``).

The plan renderers live in ``render.plans`` and load on first use: ``gitsync validate`` imports
``render.problems`` and ``render.escape`` only, and a pre-commit hook pays for every import (SPEC §7).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gitsync.render.plans import (
        PLAN_FORMATS,
        PLAN_RENDERERS,
        CommentContext,
        PlanRenderer,
        Renderer,
        render_plan,
    )
else:

    def __getattr__(name: str) -> Any:
        """``PLAN_RENDERERS``, ``render_plan``…: imported from ``render.plans`` when first asked for."""
        if name in __all__:
            from gitsync.render import plans

            return getattr(plans, name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["PLAN_FORMATS", "PLAN_RENDERERS", "CommentContext", "PlanRenderer", "Renderer", "render_plan"]
