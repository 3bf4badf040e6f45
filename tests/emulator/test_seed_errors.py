"""Issue 7: a malformed seed is a clear error (CLI exit 1 naming the file; HTTP 400 in the API's error
shape), never an internal error (exit 4) or a 500 — also for random seeds (hypothesis)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitsync.emulator import EmulatorApp, SeedError, load_seed
from gitsync.emulator.seedcheck import MAX_NODES, check_json_values
from tests.emulator.conftest import wsgi_client

FIELDS = (
    "connectors",
    "deployments",
    "clients",
    "projects",
    "key",
    "id",
    "version",
    "staged",
    "configurations",
    "applicationName",
    "applicationType",
    "standardConfiguration",
    "securedConfiguration",
    "schedule",
    "globalConfiguration",
    "supportedRegions",
    "isPreviewable",
    "privateProjects",
    "failOnConfiguration",
    "value",
    "required",
    "default",
    "projectKey",
    "status",
    "draft",
    "connector",
    "region",
    "clientId",
    "clientSecret",
    "scopes",
    "production",
    "integrationTypes",
    "type",
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 10**30),
    st.floats(allow_nan=True),
    st.sampled_from(["adyen", "", "europe-west1.gcp", "Deployed", "job", "true", "x:y", "@daily"]),
    st.text(max_size=8),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=5),
    max_leaves=25,
)


def _mostly(*plausible: Any) -> st.SearchStrategy[Any]:
    """Plausible values three times out of four, anything otherwise: deep enough to reach every check."""
    return st.one_of(
        st.sampled_from(plausible), st.sampled_from(plausible), st.sampled_from(plausible), VALUES
    )


KEYS = st.fixed_dictionaries(
    {"key": st.sampled_from(["K1", "K2"])},
    optional={
        "value": VALUES,
        "required": _mostly(True, False),
        "default": _mostly("d", ""),
        "description": VALUES,
    },
)
APPLICATION = st.fixed_dictionaries(
    {"applicationName": st.sampled_from(["app", "job"]) | VALUES},
    optional={
        "applicationType": st.sampled_from(["service", "job", "nope"]) | VALUES,
        "schedule": _mostly("@daily"),
        "standardConfiguration": st.lists(KEYS, max_size=2) | VALUES,
        "securedConfiguration": st.lists(KEYS, max_size=2) | VALUES,
    },
)
CONNECTOR = st.fixed_dictionaries(
    {"key": st.sampled_from(["c1", "c2"]) | VALUES, "version": st.integers(0, 3) | VALUES},
    optional={
        "configurations": st.lists(APPLICATION, max_size=2) | VALUES,
        "staged": _mostly(True, False),
        "globalConfiguration": st.fixed_dictionaries(
            {}, optional={"standardConfiguration": st.lists(KEYS, max_size=2)}
        )
        | VALUES,
        "supportedRegions": _mostly(["europe-west1.gcp"], []),
        "failOnConfiguration": _mostly([{"key": "K1", "value": "v"}]),
        "isPreviewable": _mostly("true", "false"),
        "privateProjects": _mostly(["europe-west1.gcp:acme"], ["x"]),
        "id": _mostly("i1", "i2"),
        "repository": _mostly({"url": "u", "tag": "t"}),
    },
)
DRAFT = st.fixed_dictionaries(
    {
        "connector": st.fixed_dictionaries(
            {"key": _mostly("c1", "c2")}, optional={"staged": _mostly(True, False), "version": _mostly(1, 2)}
        )
        | VALUES
    },
    optional={
        "key": _mostly("dep-1", "x"),
        "region": _mostly("europe-west1.gcp", "us-east-2.aws"),
        "configurations": st.lists(APPLICATION, max_size=2) | VALUES,
        "globalConfiguration": VALUES,
        "type": _mostly("preview", "sandbox", "production"),
    },
)
DEPLOYMENT = st.fixed_dictionaries(
    {"projectKey": _mostly("acme"), "draft": st.one_of(DRAFT, DRAFT, DRAFT, VALUES)},
    optional={
        "status": _mostly("Deployed", "Queued", "Failed", "Nope"),
        "version": _mostly(1, 3, 0),
        "id": _mostly("d1", "d2"),
    },
)
STRUCTURED = st.fixed_dictionaries(
    {},
    optional={
        "connectors": st.lists(CONNECTOR, max_size=2),
        "deployments": st.lists(DEPLOYMENT, max_size=2),
        "clients": st.lists(
            st.fixed_dictionaries(
                {"clientId": _mostly("c"), "clientSecret": _mostly("s")},
                optional={"scopes": _mostly(["manage_project:acme"])},
            ),
            max_size=2,
        ),
        "projects": st.lists(
            st.fixed_dictionaries({"key": _mostly("acme")}, optional={"production": _mostly(True, False)}),
            max_size=2,
        ),
    },
)
SEEDS = st.one_of(
    VALUES, st.dictionaries(st.sampled_from(FIELDS[:4]), VALUES, max_size=4), STRUCTURED, STRUCTURED
)
GOOD_CONNECTOR = {"key": "c1", "version": 1, "configurations": [{"applicationName": "app"}]}


def _is_error_shape(body: Any) -> bool:
    errors = body.get("errors") if isinstance(body, dict) else None
    return (
        isinstance(body.get("statusCode"), int)
        and isinstance(body.get("message"), str)
        and isinstance(errors, list)
        and all(isinstance(e.get("code"), str) and isinstance(e.get("message"), str) for e in errors)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=SEEDS)
def test_a_random_seed_posted_is_200_or_a_400_in_the_error_shape(seed: Any) -> None:
    app = EmulatorApp({"connectors": [GOOD_CONNECTOR]}, deploy_time=0.0)
    with wsgi_client(app) as client:
        response = client.post("/_emulator/seed", content=json.dumps(seed).encode())
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        assert _is_error_shape(response.json()), response.text
        assert response.json()["errors"][0]["code"] == "InvalidJsonInput"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=SEEDS)
def test_a_random_seed_file_is_loaded_or_a_seed_error(tmp_path_factory: Any, seed: Any) -> None:
    path = tmp_path_factory.mktemp("seed") / "seed.yaml"
    path.write_text(yaml.safe_dump(seed), encoding="utf-8")
    try:
        EmulatorApp(load_seed(path), deploy_time=0.0)
    except SeedError as exc:
        assert str(exc).strip()


def test_seed_bodies_that_are_not_json_are_400(tmp_path: Path) -> None:
    app = EmulatorApp(None)
    with wsgi_client(app) as client:
        response = client.post("/_emulator/seed", content=b"{not json")
    assert response.status_code == 400 and _is_error_shape(response.json())


def _run_emulator(seed_file: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "gitsync", "emulator", "--port", "0", "--seed", str(seed_file)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_the_cli_names_the_file_and_the_problem_with_exit_1(tmp_path: Path) -> None:
    cases = {
        "list.yaml": ("- just\n- a list\n", "must be a mapping"),
        "version.yaml": ("connectors:\n  - {key: c, version: seven}\n", "'version' is required"),
        "deep.yaml": (
            "connectors:\n  - {key: c, version: 1, configurations: [{applicationName: a, "
            "standardConfiguration: [7]}]}\n",
            "standardConfiguration",
        ),
        "yaml.yaml": ("connectors: [\n", "not valid YAML"),
    }
    for name, (text, problem) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = _run_emulator(path)
        assert result.returncode == 1, (name, result.stderr)
        assert str(path) in result.stderr and problem in result.stderr, (name, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_http_seed_error_names_where(tmp_path: Path) -> None:
    app = EmulatorApp(None)
    with wsgi_client(app) as client:
        response: httpx.Response = client.post(
            "/_emulator/seed", json={"connectors": [{"key": "c", "version": 1, "configurations": "x"}]}
        )
    assert response.status_code == 400
    assert "connectors[0]" in response.json()["errors"][0]["detailedErrorMessage"]


def test_hostile_seed_files_are_one_line_errors(tmp_path: Path) -> None:
    bomb = "connectors:\n- &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"- &{b} [{', '.join([f'*{a}'] * 10)}]\n" for a, b in zip("abcdef", "bcdefg", strict=True)
    )
    files = {
        "binary.yaml": (b"\xff\xfe", "not UTF-8"),
        "deep.yaml": (("connectors: " + "[" * 3000 + "]" * 3000).encode(), "nested too deeply"),
        "bomb.yaml": (("deployments: []\nprojects: []\n" + bomb).encode(), "connectors"),
        "date.yaml": (b"connectors: [{key: c, version: 1, name: 2024-02-03}]", "quote it"),
    }
    for name, (content, problem) in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        result = _run_emulator(path)
        assert result.returncode == 1 and problem in result.stderr and str(path) in result.stderr, (
            result.stderr
        )


def test_a_too_large_seed_is_refused() -> None:
    shared = ["x"] * 1000
    with pytest.raises(SeedError, match="more than"):
        check_json_values({"connectors": [shared] * (MAX_NODES // 1000 + 1)})
