"""The plan as JSON: exactly ``Plan.to_dict()``, the same document as a saved plan (SPEC §3.1)."""

from __future__ import annotations

import json
from typing import TextIO

from gitsync.plan.model import Plan
from gitsync.render.context import NO_CONTEXT, CommentContext


def plan_json(plan: Plan) -> str:
    """The JSON document, keys in model order, ending in a newline."""
    return json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n"


def write_plan_json(
    plan: Plan, stream: TextIO, *, color: bool = False, context: CommentContext = NO_CONTEXT
) -> None:
    """Write the JSON document; never coloured, it is for machines."""
    stream.write(plan_json(plan))
