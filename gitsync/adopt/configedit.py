"""``import --add-to-config``: one entry appended to a target's ``manifests`` in gitsync.yaml, as a text edit.

Loading and dumping the file would drop its comments and reflow it, so the edit is surgical: one line
inserted after the list's last item, indented like it, at the position gitsync's YAML loader records. It is
made only where that is sure to mean what it says: a block-style list (``- item`` lines), no anchors,
aliases or merge keys in the file, each item on its own line. The edited text is loaded again and must
differ from the old one by exactly the new entry; anything else is refused with the reason, and the caller
prints the line to add by hand.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gitsync.errors import GitsyncError
from gitsync.files import write_atomic
from gitsync.manifest.yamlfile import Document, parse_into

_DASH = re.compile(r" *- +")
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*")


@dataclass(frozen=True)
class Refused:
    """Why gitsync.yaml was not edited, and the line to add to the list by hand."""

    reason: str
    line: str


def add_to_config(path: Path, entries: Sequence[tuple[str, str]]) -> list[str]:
    """Add each ``(target, folder)`` to gitsync.yaml at ``path`` (written once, atomically); a line for the
    user per entry: what was added, or why not and the line to add by hand."""
    try:
        original = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GitsyncError(f"cannot read {path} to add the folder to it: {exc}") from exc
    text, said = original, []
    for target, folder in entries:
        edited = add_manifest_entry(text, target, folder)
        if isinstance(edited, Refused):
            said.append(
                f"note: {path.name} was not edited ({edited.reason}); add this entry to "
                f"targets.{target}.manifests yourself:\n    {edited.line}"
            )
            continue
        text = edited
        said.append(f"Added {folder} to targets.{target}.manifests in {path.name}.")
    if text != original:
        try:
            write_atomic(path, text)
        except OSError as exc:
            raise GitsyncError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return said


def entry_text(folder: str) -> str:
    """``folder`` as a YAML scalar: plain where it reads back as that string, else double-quoted."""
    if _PLAIN.fullmatch(folder) and yaml.safe_load(folder) == folder:
        return folder
    return json.dumps(folder, ensure_ascii=False)


def add_manifest_entry(text: str, target: str, folder: str) -> str | Refused:
    """``text`` (gitsync.yaml) with ``folder`` appended to ``targets.<target>.manifests``, or why not."""
    line = f"- {entry_text(folder)}"
    doc = _load(text)
    if doc is None:
        return Refused("it does not load as YAML", line)
    path = ("targets", target, "manifests")
    manifests = _manifests(doc, path)
    if manifests is None:
        return Refused(f"it has no targets.{target}.manifests list", line)
    if folder in manifests:
        return text
    reason = _unsafe(text, doc, path)
    if reason is not None:
        return Refused(reason, line)
    edited = _insert(text, doc.where((*path, len(manifests) - 1)), entry_text(folder))
    if edited is None or not _only_added(doc.value, _load(edited), target, folder):
        return Refused("the list's layout is not one this edit can be sure of", line)
    return edited


def _load(text: str) -> Document | None:
    doc = Document("gitsync.yaml", data=text.encode("utf-8"))
    parse_into(doc)
    return None if doc.problems or not isinstance(doc.value, dict) else doc


def _manifests(doc: Document, path: tuple[str, ...]) -> list[Any] | None:
    value: Any = doc.value
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value if isinstance(value, list) and value else None


def _unsafe(text: str, doc: Document, path: tuple[str, ...]) -> str | None:
    """Why a text edit could mean something else than the entry: anchors, aliases, a flow list."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            return "it uses YAML anchors or aliases"
        if isinstance(event, yaml.ScalarEvent) and event.value == "<<" and event.style is None:
            return "it uses YAML merge keys (<<)"
    line, col = doc.where(path)
    if text.splitlines()[line - 1][col - 1 :].startswith("["):
        return "the list is written in flow style ([...])"
    return None


def _insert(text: str, last: tuple[int, int], entry: str) -> str | None:
    """A ``- entry`` line after the line of the last item (at ``last``), indented like it."""
    lines = text.splitlines(keepends=True)
    line, col = last
    prefix = lines[line - 1][: col - 1]
    if not _DASH.fullmatch(prefix):
        return None  # the item does not start its line with "- ": not a layout to guess at
    current = lines[line - 1]
    ending = "\r\n" if "\r\n" in text else "\n"  # the file's own line ending
    if not current.endswith(("\n", "\r")):
        lines[line - 1] = current + ending
    lines.insert(line, f"{prefix}{entry}{ending}")
    return "".join(lines)


def _only_added(before: Any, after: Document | None, target: str, folder: str) -> bool:
    """The edited file loads as the old one with exactly one more entry at the end of the list."""
    if after is None:
        return False
    expected = copy.deepcopy(before)
    expected["targets"][target]["manifests"].append(folder)
    return bool(after.value == expected)
