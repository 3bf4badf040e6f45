"""JSON Schema checks: schemas found as package data or in the repo, compiled once, errors as Problems."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitsync.manifest.fastschema import Compiled, compile_schema, compiled_failures, verdict
from gitsync.manifest.problems import Problem
from gitsync.manifest.yamlfile import Document, PathKey

if TYPE_CHECKING:  # jsonschema is imported only to explain a failure: a valid file's start-up skips it
    from jsonschema import Draft202012Validator, ValidationError

INTERPOLATED_TITLE = "${NAME} reference"
_PACKAGE = Path(__file__).resolve().parents[1]
_REPO_SCHEMAS = _PACKAGE.parent / "schemas"


def schema_text(name: str) -> str:
    """The text of ``schemas/<name>``: wheel package data first, then the source checkout.

    An installed wheel has the schemas as files next to this package; importlib.resources (and the
    tempfile, shutil and lzma it imports: a pre-commit hook pays for them) only for a zipped install.
    """
    for place in (_PACKAGE / "schemas" / name, _REPO_SCHEMAS / name):
        if place.is_file():
            return place.read_text(encoding="utf-8")
    from importlib import resources

    return resources.files("gitsync").joinpath("schemas", name).read_text(encoding="utf-8")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The parsed schema ``schemas/<name>`` (cached: read once per process)."""
    loaded: dict[str, Any] = json.loads(schema_text(name))
    return loaded


@cache
def checked_schema(name: str, *, resolved: bool = False) -> dict[str, Any]:
    """The schema ``schemas/<name>`` as checked; ``resolved=True`` (plan time, values interpolated) accepts
    no ``${NAME}`` in place of a checked value: the schema's ``interpolated`` alternative becomes ``false``.
    """
    schema = load_schema(name)
    if resolved and "interpolated" in schema.get("$defs", {}):
        schema = {**schema, "$defs": {**schema["$defs"], "interpolated": False}}
    return schema


@cache
def validator(name: str, *, resolved: bool = False) -> Draft202012Validator:
    """jsonschema's validator for ``schemas/<name>``, built once per process: it explains failures.

    Its ``pattern`` follows ECMA-262, as JSON Schema says and as the compiled check and editors do: Python's
    ``$`` also matches before a final newline, so ``"payments\n"`` passed ``^[A-Za-z0-9_-]{2,256}$``.
    """
    explainer: Draft202012Validator = ecma_validator_class()(checked_schema(name, resolved=resolved))
    return explainer


@cache
def ecma_validator_class() -> type[Draft202012Validator]:
    """jsonschema's Draft 2020-12 validator with ECMA-262 ``pattern``s."""
    from jsonschema import Draft202012Validator, validators

    extended: type[Draft202012Validator] = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})
    return extended


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """jsonschema's ``pattern`` keyword with an ECMA-262 regex (regress, as check-jsonschema uses)."""
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and not _ecma_regex(pattern).find(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _ecma_regex(pattern: str) -> Any:
    import regress

    return regress.Regex(pattern, flags="u")


@cache
def fast_check(name: str, resolved: bool) -> Compiled | None:
    """The compiled validator of the same schema (None without jsonschema-rs), built once per process."""
    return compile_schema(checked_schema(name, resolved=resolved))


def schema_problems(doc: Document, name: str, *, resolved: bool = False) -> list[Problem]:
    """Every schema error of ``doc.value`` as a Problem at the offending node.

    A valid value (most of them) is known valid from the compiled check alone; jsonschema explains the rest.
    Where the compiled check says invalid and jsonschema finds nothing, the two disagree: the document is
    not taken for valid on the explainer's word alone, and the compiled check's failures are reported.
    """
    compiled = fast_check(name, resolved)
    answer = verdict(compiled, doc.value)
    if answer:
        return []
    problems: list[Problem] = []
    for error in validator(name, resolved=resolved).iter_errors(doc.value):
        problems.extend(_to_problems(doc, error))
    if problems or answer is None:
        return problems
    failures = compiled_failures(compiled, doc.value) or [((), "schema")]  # never "valid" without a reason
    why = "gitsync's two schema validators disagree here; please report it"
    return [
        doc.problem(path, "schema", f"{field_name(path)} breaks the schema's {keyword!r} rule ({why})")
        for path, keyword in failures
    ]


def field_name(path: PathKey) -> str:
    """A readable field path: ``configurations[0].standardConfiguration[1].value``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the document"


def suggest(word: str, choices: Any) -> str:
    """A "; did you mean 'x'?" suffix when a choice is close to ``word``, else ""."""
    import difflib  # only for a problem: a valid file's start-up skips it

    close = difflib.get_close_matches(word, [str(choice) for choice in choices], n=1, cutoff=0.5)
    return f"; did you mean {close[0]!r}?" if close else ""


def _to_problems(doc: Document, error: ValidationError) -> list[Problem]:
    path: PathKey = tuple(error.absolute_path)
    kind = str(error.validator)
    if kind == "anyOf" and _is_interpolated_alternative(error):
        # "the rule, or a ${NAME} checked later": the rule's own errors say what is wrong
        return [
            problem
            for sub in error.context or ()
            if sub.relative_schema_path[0] == 0
            for problem in _to_problems(doc, sub)
        ]
    if kind == "additionalProperties":
        return _unknown_fields(doc, error, path)
    if kind == "type" and error.validator_value == "string" and _is_scalar(error.instance):
        return [doc.problem(path, "not-a-string", _not_a_string(doc, path, error.instance))]
    message = _MESSAGES.get(kind, _generic)(error, path)
    # a mapping's problem is shown at its field name, where the reader looks, not at its first child
    return [doc.problem(path, "schema", message, key=isinstance(error.instance, dict))]


def is_interpolated(node: Any) -> bool:
    """True for the schema's "a ${NAME} reference, checked after resolution" alternative (or its copy)."""
    if not isinstance(node, dict):
        return False
    return node.get("$ref") == "#/$defs/interpolated" or node.get("title") == INTERPOLATED_TITLE


def _is_interpolated_alternative(error: ValidationError) -> bool:
    alternatives = error.validator_value
    return len(alternatives) == 2 and is_interpolated(alternatives[1])


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list | str)


def _not_a_string(doc: Document, path: PathKey, value: Any) -> str:
    raw = doc.raw.get(path, "" if value is None else str(value))
    if "securedConfiguration" in path:  # never echo what may be a secret
        return f'{field_name(path)} must be a string: write it as "${{NAME}}"'
    kind = {bool: "boolean", int: "number", float: "number", type(None): "null"}.get(type(value), "date")
    if value is None:
        return f'{field_name(path)} is empty (YAML null); give it a value or quote it: "{raw}"'
    return f'{field_name(path)} must be a string but YAML reads {raw} as a {kind}; quote it: "{raw}"'


def _unknown_fields(doc: Document, error: ValidationError, path: PathKey) -> list[Problem]:
    known = error.schema.get("properties", {})
    where = f" in {field_name(path)}" if path else ""
    problems = []
    for extra in sorted(set(error.instance) - set(known)):
        message = f"unknown field {extra!r}{where}{suggest(extra, known)}"
        problems.append(doc.problem((*path, extra), "schema", message, key=True))
    return problems


def _required(error: ValidationError, path: PathKey) -> str:
    missing = [name for name in error.validator_value if name not in error.instance]
    names = " and ".join(", ".join(repr(name) for name in missing).rsplit(", ", 1))
    return f"{field_name(path)} is missing the required field{'s' if len(missing) > 1 else ''} {names}"


def _enum(error: ValidationError, path: PathKey) -> str:
    choices = error.validator_value
    listed = ", ".join(str(choice) for choice in choices)
    hint = suggest(error.instance, choices) if isinstance(error.instance, str) else ""
    return f"{field_name(path)} {_shown(error.instance)} is not one of: {listed}{hint}"


def _one_of(error: ValidationError, path: PathKey) -> str:
    if path and path[-1] == "connector" and isinstance(error.instance, dict):
        has = [name for name in ("key", "id") if name in error.instance]
        if len(has) == 2:
            return "connector has both key and id; keep one"
        return "connector needs a key or an id"
    if path and path[-1] == "version":
        return f'connector.version {_shown(error.instance)} must be an integer >= 1 or "latest"'
    return _generic(error, path)


_PATTERN_WORDS = {
    "^[A-Za-z0-9_-]{2,256}$": "2 to 256 letters, digits, _ or -",
    "^[A-Za-z0-9_]{2,256}$": "2 to 256 letters, digits or _",
    "^[A-Za-z0-9_-]{2,36}$": "2 to 36 letters, digits, _ or -",
    "^https?://": "an http:// or https:// URL",
    "^[A-Za-z0-9_.-]{1,64}$": "1 to 64 letters, digits, ., _ or -",
    "^[A-Za-z_][A-Za-z0-9_]*$": "a variable name: letters, digits or _, not starting with a digit",
}


def _pattern(error: ValidationError, path: PathKey) -> str:
    words = _PATTERN_WORDS.get(str(error.validator_value), f"the pattern {error.validator_value}")
    return f"{field_name(path)} {_shown(error.instance)} is invalid: it must be {words}"


# JSON Schema and Python type names in the words a YAML author uses
_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
    "dict": "a mapping",
    "list": "a list",
    "str": "a string",
    "int": "a number",
    "float": "a number",
    "bool": "true or false",
    "NoneType": "empty",
}


def _shown(value: object, limit: int = 80) -> str:
    """A value as the message quotes it, cut so one long line cannot flood a terminal or a CI log."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 5]}…{text[-4:]} ({len(text)} characters)"


def _type_words(name: str) -> str:
    return _TYPE_WORDS.get(name, name)


def _type(error: ValidationError, path: PathKey) -> str:
    wanted = error.validator_value
    names = wanted if isinstance(wanted, list) else [wanted]
    expected = " or ".join(_type_words(str(name)) for name in names)
    return f"{field_name(path)} must be {expected}, not {_type_words(type(error.instance).__name__)}"


def _generic(error: ValidationError, path: PathKey) -> str:
    return f"{field_name(path)}: {error.message}"


_MESSAGES = {
    "required": _required,
    "enum": _enum,
    "oneOf": _one_of,
    "pattern": _pattern,
    "type": _type,
}
