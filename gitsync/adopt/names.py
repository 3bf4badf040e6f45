"""The naming rule for the variables that stand in for secured values (docs/import.md).

Secured values come back masked (facts §7), so an imported manifest can only reference them. The rule is
stable, so a second import names the same variables: ``<KEY>_<APPLICATION>_<CONFIG_KEY>`` for an
application's value, ``<KEY>_<CONFIG_KEY>`` for a global one, prefixed ``<TARGET>_`` when one import covers
several targets (each project needs its own secret). Upper-cased; every character outside ``[A-Z0-9_]``
becomes ``_``; a name starting with a digit gets a leading ``_``. A name already given in this import gets
``_2``, ``_3``, … in the order the names are made (targets in config order, keys sorted, global values
first, then applications in file order, entries by key).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_INVALID = re.compile(r"[^A-Z0-9_]")


def variable_name(*parts: str) -> str:
    """The parts joined by ``_``, upper-cased and made a valid ``${NAME}`` (letters, digits, ``_``)."""
    name = _INVALID.sub("_", "_".join(parts).upper())
    return name if name[:1].isalpha() or name[:1] == "_" else f"_{name}"


@dataclass(frozen=True)
class Variable:
    """One variable an import asks the user to set, and where its value goes."""

    name: str
    target: str
    key: str
    application: str | None
    """None for the global configuration."""
    config_key: str

    @property
    def where(self) -> str:
        scope = self.application if self.application is not None else "globalConfiguration"
        return f"{self.target}/{self.key} {scope} {self.config_key}"


@dataclass
class NameBook:
    """Hands out unique names across one import run; deterministic for the same order of requests."""

    prefix_targets: bool = False
    """True when one import covers several targets: names start with ``<TARGET>_``."""
    taken: set[str] = field(default_factory=set)
    variables: list[Variable] = field(default_factory=list)

    def claim(self, target: str, key: str, application: str | None, config_key: str) -> str:
        """The variable for one secured value: the rule's name, or with the first free ``_N`` suffix."""
        parts = (key, application, config_key) if application is not None else (key, config_key)
        prefix = (target,) if self.prefix_targets else ()
        base = variable_name(*prefix, *parts)
        name, counter = base, 1
        while name in self.taken:
            counter += 1
            name = f"{base}_{counter}"
        self.taken.add(name)
        self.variables.append(Variable(name, target, key, application, config_key))
        return name
