"""Where the published JSON Schemas lie on disk, for editors: package data in a wheel, ``schemas/`` in a
source checkout (an editable install has no ``gitsync/schemas/``).

A modeline (``# yaml-language-server: $schema=…``) needs a file, not the text ``manifest.schema`` reads, so
this answers with a path, and with None when there is no file to point at (a zipped install).
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

# the name ``gitsync schema path`` takes → the file under schemas/ (and gitsync/schemas/ in a wheel)
SCHEMA_FILES: dict[str, str] = {
    "deployment": "deployment.schema.json",
    "config": "config.schema.json",
}
REPO_SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


def schema_dirs() -> tuple[Path, ...]:
    """The folders to look in, in order: the installed package data first, then the source checkout."""
    packaged = resources.files("gitsync").joinpath("schemas")
    return (packaged, REPO_SCHEMAS) if isinstance(packaged, Path) else (REPO_SCHEMAS,)


def find_schema_file(file_name: str, dirs: Sequence[Path]) -> Path | None:
    """The absolute path of the first ``dir/file_name`` that is a file, or None."""
    for folder in dirs:
        candidate = folder / file_name
        if candidate.is_file():
            return candidate.resolve()
    return None
