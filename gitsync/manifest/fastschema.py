"""The yes/no schema question, answered by a compiled validator (jsonschema-rs) when one is installed.

Most files are valid, and jsonschema's ``iter_errors`` was most of validate's time on them (SPEC §7). So
the compiled validator only ever says "valid"; anything else — invalid, or a value it cannot take (a YAML
date, an integer key) — goes to jsonschema, which alone explains a failure. Problem messages therefore
never depend on it; the one way it could change an answer is by accepting what jsonschema rejects, and
tests/manifest/test_fast_schema.py checks that both agree on this project's schemas.

jsonschema-rs is optional at import: without its wheel (a platform it is not built for), every question
goes to jsonschema, only slower.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

_compiled: ModuleType | None
try:  # a compiled wheel: absent on a platform it was not built for
    import jsonschema_rs as _compiled
except ImportError:  # pragma: no cover - the dev venv has the wheel; a test simulates its absence
    _compiled = None

Check = Callable[[Any], bool]
"""``is_valid`` of a compiled schema: True, False, or ValueError for a value JSON has no type for."""


def compile_check(schema: dict[str, Any]) -> Check | None:
    """A compiled yes/no check of ``schema``, or None when jsonschema-rs is not installed."""
    if _compiled is None:
        return None
    # never a library default on the path to a decision: formats are annotations in 2020-12 (as in
    # jsonschema without a format checker), and no $ref is ever fetched from the network
    compiled = _compiled.Draft202012Validator(schema, validate_formats=False, offline=True)
    check: Check = compiled.is_valid
    return check


def surely_valid(check: Check | None, instance: Any) -> bool:
    """True only when the compiled check says ``instance`` is valid; False means "ask jsonschema"."""
    if check is None:
        return False
    try:
        return check(instance)
    except ValueError:  # a value JSON has no type for (a date, a non-string key): jsonschema decides
        return False
