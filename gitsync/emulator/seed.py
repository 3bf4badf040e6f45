"""The seed format (SPEC §6): connectors, deployments that already exist, API clients and projects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from gitsync.emulator.seedcheck import KIND_NAMES, SeedError, check_items, check_json_values

JSON = dict[str, Any]
SEED_SECTIONS = ("connectors", "deployments", "clients", "projects")
__all__ = ["SeedError", "check_seed", "load_seed", "require"]


def load_seed(path: str | Path) -> JSON:
    """Read a YAML seed file; raise SeedError naming the file on unreadable or malformed input."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError(f"{path}: cannot read the seed file: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise SeedError(f"{path}: the seed file is not UTF-8 text (byte {exc.start})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        raise SeedError(f"{where}: the seed is not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    except RecursionError as exc:
        raise SeedError(f"{path}: the seed is nested too deeply to read; flatten it") from exc
    return check_seed(data, str(path))


def check_seed(data: Any, source: str = "seed") -> JSON:
    """Check the top-level shape of a seed and return it with every section present."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SeedError(f"{source}: the seed must be a mapping with {', '.join(SEED_SECTIONS)}")
    unknown = sorted(set(data) - set(SEED_SECTIONS))
    if unknown:
        raise SeedError(f"{source}: unknown seed section(s) {unknown}; expected {list(SEED_SECTIONS)}")
    seed: JSON = {}
    for section in SEED_SECTIONS:
        value = data.get(section) or []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise SeedError(f"{source}: '{section}' must be a list of mappings")
        seed[section] = value
    check_json_values(seed, source)
    check_items(seed, source)
    return seed


def require(item: JSON, field: str, kind: type, where: str) -> Any:
    """A required field of a seed item, of the given type, or a SeedError that names it."""
    value = item.get(field)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise SeedError(f"{where}: '{field}' is required and must be {KIND_NAMES.get(kind, kind.__name__)}")
    return value
