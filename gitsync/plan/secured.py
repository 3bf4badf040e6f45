"""The marking of secured values in a planned request: JSON Pointers, and the check that it is whole.

A request body holds every secured value as ``${NAME}`` for display; ``Request.secrets`` says which places
those are. Apply reveals values only at marked places, so a marking that misses a secured place (it would
send the reference text as the secret) or marks any other place (it would put a secret where a standard
value goes) must be refused before anything is sent. Saved plans and apply share this one check.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

from gitsync.manifest.interpolate import single_reference
from gitsync.plan.model import Request, SecretRef

SECURED = "securedConfiguration"


def pointer(*parts: str | int) -> str:
    """An RFC 6901 JSON Pointer to ``parts`` (``~`` and ``/`` escaped)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def secured_places(body: Any) -> Iterator[str]:
    """The pointer of every value of a ``securedConfiguration`` list in ``body``, wherever it stands."""
    yield from _walk(body, ())


def _walk(node: Any, at: tuple[str | int, ...]) -> Iterator[str]:
    if isinstance(node, Mapping):
        for key, child in node.items():
            if key == SECURED and isinstance(child, list):
                for index in range(len(child)):
                    yield pointer(*at, key, index, "value")
            else:
                yield from _walk(child, (*at, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _walk(child, (*at, index))


def value_at(body: Any, place: str) -> Any:
    """The value ``place`` points at in ``body``; KeyError when it points nowhere."""
    node = body
    for raw in place.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(place)
    return node


def with_values(body: Any, values: Mapping[str, str]) -> Any:
    """A copy of ``body`` with the place of each pointer in ``values`` (it must exist) set to its value."""
    result = copy.deepcopy(body)
    for place, value in values.items():
        parent, _, last = place.rpartition("/")
        holder = value_at(result, parent)
        holder[int(last) if isinstance(holder, list) else last.replace("~1", "/").replace("~0", "~")] = value
    return result


def marking_problem(request: Request) -> str | None:
    """What is wrong with ``request.secrets`` against its body, or None when the marking is whole."""
    places = list(secured_places(request.body))
    marked = [ref.pointer for ref in request.secrets]
    if len(set(marked)) != len(marked):
        return "a secured value is marked twice"
    for ref in request.secrets:
        wrong = _ref_problem(request.body, ref, places)
        if wrong is not None:
            return wrong
    unmarked = [place for place in places if place not in marked]
    if unmarked:
        return f"the secured value at {unmarked[0]} is not marked in secrets"
    return None


def _ref_problem(body: Any, ref: SecretRef, places: list[str]) -> str | None:
    texts = {"pointer": ref.pointer, "name": ref.name, "file": ref.file}
    if not all(isinstance(value, str) for value in texts.values()):
        return "a secrets entry's pointer, name or file is not text"
    if not all(type(value) is int for value in (ref.line, ref.col)):
        return f"the line or col of secret {ref.name!r} is not a whole number"
    if single_reference("${" + ref.name + "}") != ref.name:
        return f"secret name {ref.name!r} is not a variable name"
    if ref.pointer not in places:
        return f"secret {ref.name!r} marks {ref.pointer!r}, which is not a securedConfiguration value"
    if value_at(body, ref.pointer) != "${" + ref.name + "}":
        return f"the body at {ref.pointer} is not ${{{ref.name}}} as its secrets entry says"
    return None
