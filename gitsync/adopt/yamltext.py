"""A manifest document → YAML text in the house style: every string double-quoted, stable, one newline.

PyYAML's emitter with every choice that reaches the output made here rather than left to a default: strings
are double-quoted (so nothing reads back as a number, boolean, date or null; what cannot stand raw is
escaped, line breaks included), mapping keys plain, ints and bools (``connector.version``,
``connector.staged``) bare; mappings keep the order they were built in; ``Flow`` mappings (the ``{key,
value}`` entries) on one line, as in the SPEC §1.2 example; no line folding, no anchors, ``\\n`` line breaks.
Any other value is an error, never written in some style of the library's choosing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_STR = "tag:yaml.org,2002:str"


class Flow(dict[str, Any]):
    """A mapping written in flow style, on one line: a ``{key: …, value: …}`` configuration entry."""


class _Key(str):
    """A mapping key: written plain (the manifest's field names never need quotes)."""


class _Dumper(yaml.SafeDumper):
    """Only the types a manifest holds are representable; block sequences are indented under their key."""

    yaml_representers: ClassVar[dict[Any, Any]] = {}  # none of SafeDumper's: each one is chosen below
    yaml_multi_representers: ClassVar[dict[Any, Any]] = {}

    def ignore_aliases(self, data: Any) -> bool:
        return True  # a value used twice is written twice, never as an anchor and alias

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _string(dumper: _Dumper, data: str) -> ScalarNode:
    return dumper.represent_scalar(_STR, data, style='"')


def _key(dumper: _Dumper, data: _Key) -> ScalarNode:
    return dumper.represent_scalar(_STR, str(data), style=None)


def _mapping(dumper: _Dumper, data: Mapping[str, Any]) -> MappingNode:
    keyed = {_Key(name): value for name, value in data.items()}
    return dumper.represent_mapping("tag:yaml.org,2002:map", keyed, flow_style=isinstance(data, Flow))


def _sequence(dumper: _Dumper, data: list[Any]) -> SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=False)


def _other(dumper: _Dumper, data: Any) -> Node:
    raise TypeError(f"a manifest holds strings, integers and booleans, not {type(data).__name__}")


_Dumper.add_representer(str, _string)
_Dumper.add_representer(_Key, _key)
_Dumper.add_representer(bool, yaml.SafeDumper.represent_bool)
_Dumper.add_representer(int, yaml.SafeDumper.represent_int)
_Dumper.add_representer(dict, _mapping)
_Dumper.add_representer(Flow, _mapping)
_Dumper.add_representer(list, _sequence)
_Dumper.add_multi_representer(object, _other)  # anything else (float, None, date…)


def dump(document: Mapping[str, Any]) -> str:
    """``document`` as YAML in the house style (no modeline), ending in one newline."""
    text: str = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=float("inf"),  # no folding: PyYAML compares against it, never counts up to it
        indent=2,
        line_break="\n",
        default_flow_style=False,
        explicit_start=False,
        explicit_end=False,
    )
    return text


def render_manifest(document: Mapping[str, Any], schema: str) -> str:
    """The file text: the modeline to ``schema`` (a relative path), the document, a trailing newline."""
    return f"# yaml-language-server: $schema={schema}\n{dump(document)}"
