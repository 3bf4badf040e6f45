"""``${NAME}`` references in string values: syntax checks and resolution (``$${`` is a literal ``${``)."""

from __future__ import annotations

import re
from collections.abc import Callable

_TOKEN = re.compile(r"\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{[^}]*\}?")
_SINGLE_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def bad_reference(value: str) -> str | None:
    """The first malformed ``${…}`` in ``value`` (unclosed, empty, bad name), or None when all are fine."""
    if "${" not in value:  # every token starts with it; most values hold none (a plain scan is cheaper)
        return None
    for match in _TOKEN.finditer(value):
        if match.group(0) != "$${" and match.group(1) is None:
            return match.group(0)
    return None


def single_reference(value: str) -> str | None:
    """The variable name when ``value`` is exactly one ``${NAME}``, else None."""
    match = _SINGLE_REFERENCE.fullmatch(value)
    return match.group(1) if match else None


def resolve(value: str, lookup: Callable[[str], str | None]) -> tuple[str, list[str]]:
    """``value`` with every ``${NAME}`` replaced via ``lookup``, and the names it could not find."""
    missing: list[str] = []
    if "${" not in value:  # nothing to replace: the usual value, without a regex pass
        return value, missing

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if match.group(0) == "$${":
            return "${"
        if name is None:
            return match.group(0)  # malformed: reported by bad_reference, left as written
        found = lookup(name)
        if found is None:
            missing.append(name)
            return match.group(0)
        return found

    return _TOKEN.sub(substitute, value), missing


def reference_names(value: str) -> list[str]:
    """The names of the ``${NAME}`` references in ``value``, in order (``$${`` and malformed ones are not)."""
    if "${" not in value:
        return []
    return [match.group(1) for match in _TOKEN.finditer(value) if match.group(1) is not None]


def has_reference(value: object) -> bool:
    """True when ``value`` is a string holding a ``${NAME}`` (a ``$${`` literal is not one)."""
    if not isinstance(value, str) or "${" not in value:
        return False
    return any(match.group(1) is not None for match in _TOKEN.finditer(value))
