"""Where ``gitsync import`` writes: file names, the modeline's schema path, the ``.env.example`` text.

One target: ``DIR/<key>.yaml``; several: ``DIR/<target>/<key>.yaml`` (one folder per target, as
gitsync.yaml's ``manifests`` usually are). Names come from the API and gitsync.yaml, so each is checked to
be one plain file name before it reaches a path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from gitsync.adopt.names import Variable
from gitsync.manifest.connector import CONNECTOR_SCHEMA_DIR, schema_file_name

_SAFE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,255}")
DEPLOYMENT_SCHEMA = Path("schemas") / "deployment.schema.json"


def safe_name(name: str) -> bool:
    """Whether ``name`` can be used as one file or folder name (no ``/``, no ``..``, no leading dot)."""
    return bool(_SAFE.fullmatch(name)) and ".." not in name


def manifest_path(out: Path, target: str, key: str, *, per_target: bool) -> Path:
    """``out/<key>.yaml``, or ``out/<target>/<key>.yaml`` when the import covers several targets."""
    folder = out / target if per_target else out
    return folder / f"{key}.yaml"


def schema_reference(file: Path, base_dir: Path, connector_key: str | None) -> str:
    """The modeline's path, relative to ``file``'s folder: the pulled connector schema when there is one
    under ``base_dir`` (the folder of gitsync.yaml), else ``schemas/deployment.schema.json`` there."""
    schema = base_dir / DEPLOYMENT_SCHEMA
    name = schema_file_name(connector_key) if connector_key else None
    if name is not None and (base_dir / CONNECTOR_SCHEMA_DIR / name).is_file():
        schema = base_dir / CONNECTOR_SCHEMA_DIR / name
    relative = os.path.relpath(schema.resolve(), file.parent.resolve())
    return Path(relative).as_posix()


def env_example(variables: Sequence[Variable]) -> str:
    """A ``.env.example``: one ``NAME=`` line per variable (empty values), what it is for above it."""
    lines = ["# Secured values gitsync import could not read back (the API masks them): set each one."]
    for variable in variables:
        lines += [f"# {variable.where}", f"{variable.name}="]
    return "\n".join(lines) + "\n"
