"""The one registry pattern of every renderer family: a format name → a function writing to a stream.

Plans (``render.PLAN_RENDERERS``) and validation problems (``render.problems.PROBLEM_RENDERERS``) are each a
plain mapping of this shape, chosen by the same ``pick``, so an unknown format fails the same way for both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, TextIO, TypeVar

T_contra = TypeVar("T_contra", contravariant=True)
R = TypeVar("R")


class Renderer(Protocol[T_contra]):
    """Writes one document (a plan, a list of problems) to ``stream``; ``color`` asks for ANSI colour where
    the format has any (text only), and is ignored by the others."""

    def __call__(self, document: T_contra, stream: TextIO, /, *, color: bool = False) -> None: ...


def pick(renderers: Mapping[str, R], fmt: str, what: str) -> R:
    """The renderer of format ``fmt``; an unknown one is a ValueError naming ``what`` and the formats."""
    try:
        return renderers[fmt]
    except KeyError:
        raise ValueError(f"unknown {what} format {fmt!r}; use one of {', '.join(renderers)}") from None
