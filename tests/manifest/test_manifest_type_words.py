"""Type errors read in a YAML author's words (mapping, list, number), never Python's or JSON Schema's."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitsync.errors import ConfigError
from gitsync.manifest import load_deployments, load_targets

MANIFEST = """key: type-words
connector: {key: demo-connector, staged: "yes"}
region: europe-west1.gcp
configurations: {}
"""


def test_manifest_type_errors_use_yaml_words(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(MANIFEST)
    (target,) = load_targets(None, tmp_path, {}, ())
    result = load_deployments(target, [str(tmp_path / "m.yaml")], env={}, resolve=False)
    messages = sorted(problem.message for problem in result.problems)
    assert messages == [
        "configurations must be a list, not a mapping",
        "connector.staged must be true or false, not a string",
    ]


def test_config_type_errors_use_yaml_words(tmp_path: Path) -> None:
    (tmp_path / "gitsync.yaml").write_text("targets: 5\n")
    with pytest.raises(ConfigError) as raised:
        load_targets(None, tmp_path, {}, ())
    assert "targets must be a mapping, not a number" in str(raised.value)


def test_a_huge_invalid_value_is_quoted_cut(tmp_path: Path) -> None:
    long_key = "a b" * 50_000
    (tmp_path / "m.yaml").write_text(
        f"key: '{long_key}'\nconnector: {{key: demo}}\nregion: europe-west1.gcp\n"
    )
    (target,) = load_targets(None, tmp_path, {}, ())
    result = load_deployments(target, [str(tmp_path / "m.yaml")], env={}, resolve=False)
    (message,) = [problem.message for problem in result.problems if problem.message.startswith("key ")]
    assert len(message) < 200
    assert "(150002 characters)" in message
