"""Fuzz validate: random bytes and YAML, mutated manifests, random gitsync.yaml, damaged connector schemas.

The property (SPEC §2): whatever the files hold, validate answers 0 or 1 with problems, never exit 4 or a
traceback, and finishes (every example runs in-process in a few milliseconds).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from fuzz_support import JSON, TESTS, assert_handled, mutate, run_cli, scratch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from manifest_helpers import DATA, DEMO_CONNECTOR, write_connector_schema

from gitsync.manifest import build_connector_schema

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
VALID = sorted((DATA / "valid").glob("*.yaml"))
FULL_DEMO = (DATA / "valid" / "full-demo.yaml").read_text()
WORDS = st.sampled_from(
    [
        "key", "connector", "id", "version", "staged", "region", "type", "configurations", "applicationName",
        "standardConfiguration", "securedConfiguration", "value", "schedule", "globalConfiguration",
        "lifecycle", "preventDestroy", "<<", "processor", "demo-connector", "${NAME}", "europe-west1.gcp",
    ]
)  # fmt: skip
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12) | WORDS
STRUCTURES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(WORDS | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=25,
)


TOKENS = st.sampled_from(
    [
        "&a ", "&b ", "*a", "*b", "<<: ", "{", "}", "[", "]", ", ", ": ", "\n", "  ", "- ", "? ", "|", ">",
        "key: ", "connector: ", "region: ", "configurations: ", "standardConfiguration: ", "value: ",
        "applicationName: ", "!!str ", "!!int ", "!!binary ", "!!timestamp ", "!!python/object ", "!x ",
        "2024-02-30", "2024-02-28", "2001-12-14t21:59:43.10-99:00", "0x" + "f" * 120, "0b1", "0o7",
        "1_000", "190:20:30", "1e9999", ".inf", ".nan", "~", "null", "yes", "'", '"', "---\n", "...\n",
        "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "${A}", "$${", "${", "#", "\t", "\ufeff", "\x85", "\u2028",
        "a", "demo-connector", "1", "-1", "0.5",
    ]
)  # fmt: skip


def _validate(manifest: bytes | str, *, config: str | None = None, schema: Any = None) -> tuple[int, str]:
    with scratch() as folder:
        path = folder / "m.yaml"
        path.write_bytes(
            manifest if isinstance(manifest, bytes) else manifest.encode("utf-8", "surrogatepass")
        )
        if schema is not None:
            target = write_connector_schema(folder)
            target.write_text(schema if isinstance(schema, str) else json.dumps(schema))
        if config is not None:
            (folder / "gitsync.yaml").write_text(config)
            code, _, err = run_cli(["validate", "--format", "json"])
        else:
            code, _, err = run_cli(["validate", "--format", "json", "m.yaml"])
    return code, err


@FAST
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    assert_handled(*_validate(data))


@FAST
@given(st.lists(TOKENS, max_size=40).map("".join))
def test_yaml_token_soup(text: str) -> None:
    """Random runs of YAML syntax: anchors, merges, tags, odd scalars, directives, flow brackets."""
    assert_handled(*_validate(text))


@FAST
@given(
    st.lists(TOKENS | st.sampled_from(["targets: ", "projectKey: ", "manifests: ", "vars: "]), max_size=40)
)
def test_config_token_soup(tokens: list[str]) -> None:
    assert_handled(*_validate(FULL_DEMO, config="".join(tokens)))


@FAST
@given(STRUCTURES)
def test_random_yaml_documents(value: Any) -> None:
    assert_handled(*_validate(yaml.safe_dump(value, allow_unicode=True)))


@FAST
@given(st.sampled_from(VALID), st.data())
def test_mutated_valid_manifests(case: Path, data: st.DataObject) -> None:
    text = mutate(case.read_text(), data)
    assert_handled(*_validate(text.encode("utf-8", "replace")))


CONFIG = st.fixed_dictionaries(
    {},
    optional={
        "targets": st.dictionaries(
            st.text(max_size=8),
            st.fixed_dictionaries(
                {},
                optional={
                    "projectKey": SCALARS,
                    "region": SCALARS,
                    "manifests": st.lists(st.sampled_from(["m.yaml", "*.yaml", ".", "../x", ""]) | SCALARS),
                    "prune": SCALARS,
                    "protect": STRUCTURES,
                    "maxDeletes": SCALARS,
                    "vars": STRUCTURES,
                    "credentials": STRUCTURES,
                    "connectUrl": SCALARS,
                    "authUrl": SCALARS,
                },
            ),
            max_size=2,
        ),
        "version": SCALARS,
        "extra": STRUCTURES,
    },
)


@FAST
@given(CONFIG | STRUCTURES)
def test_random_config_files(config: Any) -> None:
    assert_handled(*_validate(FULL_DEMO, config=yaml.safe_dump(config, allow_unicode=True)))


EXAMPLE_CONFIG = (TESTS.parent / "examples" / "gitsync.yaml").read_text()


@FAST
@given(st.data())
def test_mutated_example_config(data: st.DataObject) -> None:
    config = mutate(
        EXAMPLE_CONFIG.replace("deployments/staging", ".").replace("deployments/production", "."), data
    )
    assert_handled(*_validate(FULL_DEMO, config=config))


def _damaged(data: Any, draw: Any) -> Any:
    """``data`` with one random sub-tree replaced by random JSON."""
    if not isinstance(data, dict | list) or not data or draw(st.booleans()):
        return draw(JSON)
    keys = list(data) if isinstance(data, dict) else list(range(len(data)))
    key = draw(st.sampled_from(keys))
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[key] = _damaged(data[key], draw)
    return copy


@FAST
@given(st.data())
def test_damaged_connector_schemas(data: st.DataObject) -> None:
    schema = build_connector_schema(DEMO_CONNECTOR)
    damaged = {**schema, "x-gitsync": _damaged(schema["x-gitsync"], data.draw)}
    assert_handled(*_validate(FULL_DEMO, schema=damaged))


@FAST
@given(JSON)
def test_random_connector_schema_files(value: Any) -> None:
    assert_handled(*_validate(FULL_DEMO, schema=value))


@FAST
@given(st.dictionaries(st.sampled_from(sorted(DEMO_CONNECTOR)), JSON, max_size=6))
def test_the_schema_builder_takes_any_connector_json(connector: dict[str, Any]) -> None:
    """schema pull builds from the API's answer: whatever it holds, the builder returns a JSON document."""
    connector = {**DEMO_CONNECTOR, **connector}
    schema = build_connector_schema(connector)
    json.dumps(schema)
    assert isinstance(schema["x-gitsync"]["applications"], dict)


@settings(max_examples=3, deadline=None)
@given(st.sampled_from([b"a: &c {<<: *c}\n", b"type: 2024-02-30\n", b"v: " + b"9" * 5000 + b"\n"]))
def test_the_real_process_answers_hostile_files(data: bytes) -> None:
    with scratch() as folder:
        (folder / "m.yaml").write_bytes(data)
        command = [sys.executable, "-m", "gitsync", "validate", "m.yaml"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, cwd=folder)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "m.yaml:" in result.stdout
