"""Manifests and gitsync.yaml: YAML with positions, JSON Schema and further checks → the desired model.

Problems are values (``Problem``), collected and returned, never raised one at a time.
"""

from __future__ import annotations

from gitsync.manifest.config import load_targets
from gitsync.manifest.connector import build_connector_schema
from gitsync.manifest.credentials import resolve_credentials
from gitsync.manifest.loader import LoadResult, load_deployments
from gitsync.manifest.problems import CODES, Problem

__all__ = [
    "CODES",
    "LoadResult",
    "Problem",
    "build_connector_schema",
    "load_deployments",
    "load_targets",
    "resolve_credentials",
]
