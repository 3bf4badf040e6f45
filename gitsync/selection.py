"""The one ``--only`` / ``--exclude`` rule, for manifests, live Deployments and any later command.

A leaf module: the manifest loader, the live reader and the planning core all select with this rule, so a
key can never be selected in one place and dropped in another.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from fnmatch import fnmatchcase
from typing import TypeVar

T = TypeVar("T")


def key_selected(key: str, only: Sequence[str], exclude: Sequence[str]) -> bool:
    """--only / --exclude: the key matches some --only glob (or there is none) and no --exclude glob."""
    if only and not any(fnmatchcase(key, pattern) for pattern in only):
        return False
    return not any(fnmatchcase(key, pattern) for pattern in exclude)


def select(
    items: Iterable[T], key: Callable[[T], str], only: Sequence[str] = (), exclude: Sequence[str] = ()
) -> tuple[T, ...]:
    """The items whose key the rule selects, in their order."""
    return tuple(item for item in items if key_selected(key(item), only, exclude))
