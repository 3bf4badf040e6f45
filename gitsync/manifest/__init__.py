"""Manifests and gitsync.yaml: YAML with positions, JSON Schema and further checks → the desired model.

Problems are values (``Problem``), collected and returned, never raised one at a time. What only plan and
apply use (credentials) loads on first use: ``gitsync validate``, a pre-commit hook, pays for every import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gitsync.manifest.config import load_targets
from gitsync.manifest.connector import build_connector_schema
from gitsync.manifest.loader import LoadResult, load_deployments
from gitsync.manifest.problems import CODES, Problem

if TYPE_CHECKING:
    from gitsync.manifest.credentials import resolve_credentials
else:

    def __getattr__(name: str) -> Any:
        """``resolve_credentials``: imported from ``manifest.credentials`` when first asked for."""
        if name == "resolve_credentials":
            from gitsync.manifest.credentials import resolve_credentials

            return resolve_credentials
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CODES",
    "LoadResult",
    "Problem",
    "build_connector_schema",
    "load_deployments",
    "load_targets",
    "resolve_credentials",
]
