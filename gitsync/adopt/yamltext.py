"""A manifest document → YAML text in the house style: every string double-quoted, stable, one newline.

Our own small emitter rather than a YAML library's: the output must not depend on a library's line width,
style guesses or version. Every string is double-quoted, so nothing reads back as a number, boolean, date
or null; only the fields the schema types otherwise (``connector.version``, ``connector.staged``) are bare.
Mappings keep the order they were built in; lists of ``{key, value}`` entries are written in flow style,
as in the SPEC §1.2 example.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# YAML's escapes for what must not stand raw in a double-quoted scalar (line breaks would be folded)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x00": "\\0"}


def _printable(char: str) -> bool:
    """YAML 1.1's printable set, minus every line break (NEL, LS, PS) and the byte order mark."""
    code = ord(char)
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or 0x10000 <= code <= 0x10FFFF
    ) and char not in "\u2028\u2029"


def quote(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that reads back as exactly ``text``."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _printable(char):
            out.append(char)
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def scalar(value: Any) -> str:
    """A string quoted; an int or a bool (version, staged) bare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return quote(value)
    raise TypeError(f"a manifest holds strings, integers and booleans, not {type(value).__name__}")


def _is_entry(value: Any) -> bool:
    return isinstance(value, Mapping) and list(value) == ["key", "value"]


def _lines(value: Mapping[str, Any], indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for name, item in value.items():
        if isinstance(item, Mapping):
            lines += [f"{pad}{name}:", *_lines(item, indent + 2)]
        elif isinstance(item, Sequence) and not isinstance(item, str):
            lines += [f"{pad}{name}:", *_items(item, indent + 2)]
        else:
            lines.append(f"{pad}{name}: {scalar(item)}")
    return lines


def _items(items: Sequence[Any], indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for item in items:
        if _is_entry(item):
            lines.append(f"{pad}- {{key: {scalar(item['key'])}, value: {scalar(item['value'])}}}")
        elif isinstance(item, Mapping):
            body = _lines(item, indent + 2)
            lines += [f"{pad}- {body[0].lstrip()}", *body[1:]]
        else:
            lines.append(f"{pad}- {scalar(item)}")
    return lines


def render_manifest(document: Mapping[str, Any], schema: str) -> str:
    """The file text: the modeline to ``schema`` (a relative path), the document, a trailing newline."""
    lines = [f"# yaml-language-server: $schema={schema}", *_lines(document, 0)]
    return "\n".join(lines) + "\n"
