"""Shared test data: a Connector as the API returns it, and a workspace builder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gitsync.manifest import build_connector_schema

DATA = Path(__file__).resolve().parents[1] / "data" / "manifests"

# GET /connectors/key=demo-connector, trimmed to what matters (camelCase, as the API returns it).
DEMO_CONNECTOR: dict[str, Any] = {
    "id": "0f7a3c52-1c1e-4c1b-9f38-7e7d2a1b9c11",
    "key": "demo-connector",
    "version": 7,
    "name": "Demo PSP",
    "supportedRegions": ["europe-west1.gcp", "us-central1.gcp"],
    "configurations": [
        {
            "applicationName": "processor",
            "applicationType": "service",
            "standardConfiguration": [
                {"key": "ADYEN_ENV", "description": "Adyen environment", "required": True, "default": "TEST"},
                {"key": "MERCHANT", "description": "Merchant account", "required": True},
                {"key": "LOG_LEVEL", "description": "Log level", "default": None},
            ],
            "securedConfiguration": [{"key": "ADYEN_API_KEY", "description": "API key", "required": True}],
        },
        {
            "applicationName": "sync",
            "applicationType": "job",
            "standardConfiguration": [{"key": "BATCH_SIZE", "description": "Batch size"}],
            "securedConfiguration": [],
        },
    ],
    "globalConfiguration": {
        "standardConfiguration": [{"key": "LOG_LEVEL", "description": "Global log level"}],
        "securedConfiguration": [{"key": "CTP_CLIENT_SECRET", "description": "commercetools client secret"}],
    },
}


def write_connector_schema(directory: Path, connector: dict[str, Any] = DEMO_CONNECTOR) -> Path:
    """schemas/connectors/<key>.schema.json under ``directory``, as gitsync schema pull writes it."""
    target = directory / "schemas" / "connectors" / f"{connector['key']}.schema.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(build_connector_schema(connector), indent=2))
    return target


def expectation(path: Path) -> tuple[str, int, int]:
    """The ``# expect: <code> <line>:<col>`` of a corpus file's first line."""
    first = path.read_bytes().split(b"\n", 1)[0].decode("ascii")
    code, position = first.removeprefix("# expect:").split()
    line, col = position.split(":")
    return code, int(line), int(col)
