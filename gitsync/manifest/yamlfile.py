"""Safe YAML loading that keeps ``line:col`` of every node and turns every failure into a Problem.

PyYAML composes the node graph (libyaml when available: fast, and it bounds nesting itself); we build the
plain values ourselves so duplicate keys, alias bombs, depth and non-string scalars are caught with their
positions, and nothing but str/int/float/bool/None/date is ever constructed (SPEC §5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from gitsync.files import FileTooLargeError, read_regular
from gitsync.manifest.problems import Problem

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASED_NODES = 10_000
MAX_NUMBER_CHARS = 100
"""A longer number is no version or count; Python refuses to print ints over 4,300 digits (a crash)."""
_LOADER: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_NUMBER_TAGS = {f"{_TAG}int", f"{_TAG}float"}
_COLLECTION_TAGS = {f"{_TAG}seq", f"{_TAG}map"}
_STR_TAG = f"{_TAG}str"
_MERGE_TAG = f"{_TAG}merge"
_CONSTRUCTOR = SafeConstructor()
_RESOLVER: Any = yaml.resolver.Resolver()
"""The implicit tags of plain scalars (the C loader resolves with the same patterns)."""

PathKey = tuple[str | int, ...]


@dataclass
class Document:
    """A loaded file: its value, where each value and each mapping key stands, and what went wrong."""

    file: str
    data: bytes = b""
    value: Any = None
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    raw: dict[PathKey, str] = field(default_factory=dict)
    """The source text of non-string scalars, for the "quote it" hint."""
    problems: list[Problem] = field(default_factory=list)

    def where(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """Line:col of the node at ``path`` (its mapping key with ``key=True``), else of a parent."""
        if key and path in self.key_positions:
            return self.key_positions[path]
        while path and path not in self.positions:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def value_at(self, path: PathKey) -> Any:
        """The value at ``path`` (which must exist, e.g. a key of ``positions``)."""
        value = self.value
        for part in path:
            value = value[part]
        return value

    def problem(self, path: PathKey, code: str, message: str, *, key: bool = False) -> Problem:
        line, col = self.where(path, key=key)
        return Problem(self.file, line, col, code, message)


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _offset_position(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    return before.count(b"\n") + 1, offset - (before.rfind(b"\n") + 1) + 1


def _reader_position(text: str, offset: int) -> tuple[int, int]:
    """Line:col (in characters) of a reader error; libyaml counts its offset in UTF-8 bytes."""
    if _LOADER is not yaml.SafeLoader:
        offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def read_document(path: Path, display: str) -> Document:
    """Load one YAML file; on any failure the Document carries the problem and a ``None`` value."""
    doc = Document(display)
    try:
        doc.data = read_regular(path, MAX_BYTES)  # a FIFO or /dev/zero is refused, never read
    except FileTooLargeError:
        doc.problems.append(Problem(display, 1, 1, "file-too-large", "file is over 1 MiB; split it"))
        return doc
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        doc.problems.append(Problem(display, 1, 1, "unreadable", f"cannot read the file: {reason}"))
        return doc
    parse_into(doc)
    return doc


def parse_into(doc: Document) -> None:
    """Decode and compose ``doc.data``, then build its values with positions."""
    try:
        text = doc.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _offset_position(doc.data, exc.start)
        doc.problems.append(Problem(doc.file, line, col, "not-utf8", "not UTF-8 text; save it as UTF-8"))
        return
    root = _compose(doc, text)
    if root is None:
        return
    _Builder(doc).build(root)


def _compose(doc: Document, text: str) -> Node | None:
    try:
        root: Node | None = yaml.compose(text, Loader=_LOADER)
    except yaml.composer.ComposerError as exc:
        if "single document" in f"{exc.context} {exc.problem}":
            mark = exc.problem_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            message = "a manifest holds one document; move this one to its own file"
            doc.problems.append(Problem(doc.file, line, col, "multi-document", message))
            return None
        _syntax_problem(doc, exc)
        return None
    except yaml.MarkedYAMLError as exc:
        _syntax_problem(doc, exc)
        return None
    except yaml.reader.ReaderError as exc:  # a control character: carries an offset, not a mark
        line, col = _reader_position(text, exc.position)
        message = f"control character U+{exc.character:04X} is not allowed in YAML; remove it"
        doc.problems.append(Problem(doc.file, line, col, "yaml-syntax", message))
        return None
    except RecursionError:  # the pure-Python composer recurses; libyaml bounds depth itself
        doc.problems.append(Problem(doc.file, 1, 1, "yaml-limits", f"nesting deeper than {MAX_DEPTH} levels"))
        return None
    if root is None or _empty_document(root):
        doc.problems.append(Problem(doc.file, 1, 1, "empty-file", "the file holds no YAML document"))
        return None
    return root


def _empty_document(root: Node) -> bool:
    """A bare ``---`` (with or without ``...``) composes to an empty plain null: no document was written."""
    return isinstance(root, ScalarNode) and root.tag == f"{_TAG}null" and root.value == "" and not root.style


def _syntax_problem(doc: Document, exc: yaml.MarkedYAMLError) -> None:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    detail = " ".join(part for part in (exc.context, exc.problem) if part)
    if "nesting depth" in detail:
        doc.problems.append(Problem(doc.file, line, col, "yaml-limits", f"YAML {detail}"))
        return
    doc.problems.append(Problem(doc.file, line, col, "yaml-syntax", f"YAML syntax error: {detail}"))


class _LimitError(Exception):
    """Raised inside the builder to stop at a bound; becomes one ``yaml-limits`` problem."""

    def __init__(self, node: Node, message: str) -> None:
        super().__init__(message)
        self.node = node


class _Builder:
    """Builds plain values from composed nodes, recording positions by path."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[int] = set()
        self.aliased = 0

    def build(self, root: Node) -> None:
        if not isinstance(root, MappingNode):
            kind = "a list" if isinstance(root, SequenceNode) else "a single value"
            message = f"the document is {kind}; a manifest is a mapping of field: value"
            self.doc.problems.append(Problem(self.doc.file, *_mark(root), "not-a-mapping", message))
            return
        try:
            self.doc.value = self.node(root, (), 0, False)
        except _LimitError as exc:
            self.doc.problems.append(Problem(self.doc.file, *_mark(exc.node), "yaml-limits", str(exc)))
            self.doc.value = None

    def node(self, node: Node, path: PathKey, depth: int, aliased: bool) -> Any:
        if depth > MAX_DEPTH:
            raise _LimitError(node, f"nesting deeper than {MAX_DEPTH} levels")
        aliased = aliased or id(node) in self.seen
        self.seen.add(id(node))
        if aliased:
            self.aliased += 1
            if self.aliased > MAX_ALIASED_NODES:
                raise _LimitError(node, f"aliases expand to over {MAX_ALIASED_NODES} nodes (alias bomb?)")
        self.doc.positions[path] = _mark(node)
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if node.tag not in _COLLECTION_TAGS:
            self.tag_problem(node)
        if isinstance(node, SequenceNode):
            return self.sequence(node, path, depth, aliased)
        assert isinstance(node, MappingNode)
        return self.mapping(node, path, depth, aliased)

    def scalar(self, node: ScalarNode, path: PathKey) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self.tag_problem(node)
            return node.value
        if node.tag == _STR_TAG:
            return node.value
        self.doc.raw[path] = node.value
        if _RESOLVER.resolve(ScalarNode, node.value, (True, False)) != node.tag:
            # an explicit tag on a value that does not have its form (`!!int abc`, `!!bool maybe`): the
            # constructor would fail in ways of its own; the resolver's patterns are what it can build
            tag = node.tag.replace(_TAG, "!!")
            message = f"YAML tag {tag!r} does not fit the value {node.value!r}; remove the tag"
            self.doc.problems.append(Problem(self.doc.file, *_mark(node), "yaml-tag", message))
            return node.value
        if node.tag in _NUMBER_TAGS and len(node.value) > MAX_NUMBER_CHARS:
            message = f"a number of {len(node.value)} characters is over the bound of {MAX_NUMBER_CHARS}"
            raise _LimitError(node, f"{message}; quote it if it is text")
        try:
            # dates stay dates (not strings) so a string-only field reports "quote it"
            return _CONSTRUCTOR.yaml_constructors[node.tag](_CONSTRUCTOR, node)
        except (ValueError, OverflowError):  # a date that does not exist, such as 2024-02-30
            message = f'YAML reads {node.value} as a date, and no such date exists; quote it: "{node.value}"'
            self.doc.problems.append(Problem(self.doc.file, *_mark(node), "not-a-string", message))
            return node.value

    def tag_problem(self, node: Node) -> None:
        tag = node.tag.replace(_TAG, "!!")
        message = f"YAML tag {tag!r} is not allowed; remove it (only plain values are read)"
        self.doc.problems.append(Problem(self.doc.file, *_mark(node), "yaml-tag", message))

    def sequence(self, node: SequenceNode, path: PathKey, depth: int, aliased: bool) -> list[Any]:
        return [self.node(item, (*path, i), depth + 1, aliased) for i, item in enumerate(node.value)]

    def mapping(self, node: MappingNode, path: PathKey, depth: int, aliased: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:  # merges first, so explicit keys win (and their positions)
            if key_node.tag == _MERGE_TAG:
                self.merge(value_node, result, path, depth)
        explicit: set[str] = set()
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self.key(key_node, explicit, path)
            if key is None:
                continue
            explicit.add(key)
            self.doc.key_positions[(*path, key)] = _mark(key_node)
            result[key] = self.node(value_node, (*path, key), depth + 1, aliased)
        return result

    def key(self, key_node: Node, explicit: set[str], path: PathKey) -> str | None:
        if not isinstance(key_node, ScalarNode):
            message = "a mapping key must be a plain word, not a list or mapping"
            self.doc.problems.append(Problem(self.doc.file, *_mark(key_node), "yaml-syntax", message))
            return None
        key = str(key_node.value)
        if key in explicit:
            line, col = self.doc.key_positions[(*path, key)]
            message = f"duplicate key {key!r} (first at line {line}:{col}); keep only one"
            self.doc.problems.append(Problem(self.doc.file, *_mark(key_node), "duplicate-key", message))
            return None
        return key

    def merge(self, merge: Node, result: dict[str, Any], path: PathKey, depth: int) -> None:
        """Fold ``<<`` sources into ``result``; their nodes count as aliased (a merge reuses them)."""
        sources = merge.value if isinstance(merge, SequenceNode) else [merge]
        for source in reversed(sources):  # the first mapping listed wins (YAML merge spec)
            if not isinstance(source, MappingNode):
                message = "a merge key `<<` must refer to a mapping"
                self.doc.problems.append(Problem(self.doc.file, *_mark(source), "yaml-syntax", message))
                continue
            self.count_merge(source, depth + 1)
            result.update(self.mapping(source, path, depth + 1, True))

    def count_merge(self, source: MappingNode, depth: int) -> None:
        """Bound the work of a merge, not only its nodes: merging ``{}`` a million times builds nothing.

        Each merged mapping costs one plus its number of keys, and a merge is one level deeper than its
        mapping, so a mapping that merges itself (``&c {<<: *c}``) stops at the depth bound.
        """
        if depth > MAX_DEPTH:
            raise _LimitError(
                source, f"merge keys `<<` nest deeper than {MAX_DEPTH} levels (a mapping merging itself?)"
            )
        self.aliased += 1 + len(source.value)
        if self.aliased > MAX_ALIASED_NODES:
            raise _LimitError(
                source, f"aliases and merges expand to over {MAX_ALIASED_NODES} nodes (YAML bomb?)"
            )
