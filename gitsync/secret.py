"""A secured configuration value that cannot leak by accident.

Secured values travel from the manifest to the request builder as ``Secret``: its ``repr`` and ``str``
show only the manifest's reference (``${NAME}``), never the value. Only ``reveal()`` unwraps it, and only
the code that builds the HTTP request at send time may call it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SENSITIVE = "(sensitive)"


@dataclass(frozen=True)
class Secret:
    """A secret value with the reference it came from (``${NAME}``, or ``(literal)`` when allowed)."""

    reference: str
    _value: str = field(repr=False, compare=False)

    def reveal(self) -> str:
        """The real value: for the request builder at send time only."""
        return self._value

    def __str__(self) -> str:
        return SENSITIVE
