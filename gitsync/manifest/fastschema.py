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

from types import ModuleType
from typing import Any

_compiled: ModuleType | None
try:  # a compiled wheel: absent on a platform it was not built for
    import jsonschema_rs as _compiled
except ImportError:  # pragma: no cover - the dev venv has the wheel; a test simulates its absence
    _compiled = None

Compiled = Any
"""A jsonschema-rs validator: ``is_valid`` (True, False, or ValueError for a value JSON has no type for)
and ``iter_errors``."""


def compile_schema(schema: dict[str, Any]) -> Compiled | None:
    """A compiled validator of ``schema``, or None when jsonschema-rs is not installed."""
    if _compiled is None:
        return None
    # never a library default on the path to a decision: formats are annotations in 2020-12 (as in
    # jsonschema without a format checker), and no $ref is ever fetched from the network
    return _compiled.Draft202012Validator(schema, validate_formats=False, offline=True)


def verdict(compiled: Compiled | None, instance: Any) -> bool | None:
    """The compiled validator's answer: valid, invalid, or None when it cannot judge (not installed, or a
    value JSON has no type for: a date, a non-string key), which leaves the question to jsonschema."""
    if compiled is None:
        return None
    try:
        answer: bool = compiled.is_valid(instance)
    except ValueError:
        return None
    return answer


def compiled_failures(compiled: Compiled, instance: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Where the compiled validator finds ``instance`` invalid, and by which keyword (never the value,
    which may be a secret)."""
    failures = []
    for error in compiled.iter_errors(instance):
        keyword = str(error.schema_path[-1]) if error.schema_path else "schema"
        failures.append((tuple(error.instance_path), keyword))
    return failures
