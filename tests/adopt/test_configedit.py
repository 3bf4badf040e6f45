"""``--add-to-config``: a surgical edit of gitsync.yaml keeping every comment, or a refusal with the line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gitsync.adopt.configedit import Refused, add_manifest_entry, add_to_config, entry_text
from gitsync.errors import GitsyncError

CONFIG = """\
# our targets
targets:
  staging:
    projectKey: acme-staging   # the shared one
    region: europe-west1.gcp
    manifests:
      - deployments/common     # shared by all
      - "deployments/old"
    # more folders go above
    prune: false
  production:
    projectKey: acme
    region: europe-west1.gcp
    manifests:
    - deployments/production
"""


def test_appends_after_the_last_item_keeping_comments_and_indentation() -> None:
    edited = add_manifest_entry(CONFIG, "staging", "deployments/staging")
    assert isinstance(edited, str)
    assert edited == CONFIG.replace(
        '      - "deployments/old"\n', '      - "deployments/old"\n      - deployments/staging\n'
    )
    again = add_manifest_entry(edited, "production", "deployments/new prod: x")
    assert isinstance(again, str)
    assert again.endswith('    - deployments/production\n    - "deployments/new prod: x"\n')
    assert yaml.safe_load(again)["targets"]["production"]["manifests"][-1] == "deployments/new prod: x"
    assert add_manifest_entry(again, "staging", "deployments/staging") == again  # already there


def test_last_line_without_newline_and_crlf_endings() -> None:
    text = "targets:\r\n  t:\r\n    projectKey: p\r\n    region: r\r\n    manifests:\r\n      - a"
    edited = add_manifest_entry(text, "t", "b")
    assert edited == text + "\r\n      - b\r\n"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("targets:\n  t:\n    manifests: [a, b]  # flow\n", "flow style"),
        ("targets:\n  t:\n    manifests: &m\n      - a\n  u:\n    manifests: *m\n", "anchors or aliases"),
        ("base: {region: r}\ntargets:\n  t:\n    <<: {manifests: [a]}\n", "merge keys"),
        ("targets:\n  t:\n    manifests:\n      - a\n        b\n", "layout"),
        ("targets:\n  t:\n    manifests:\n      -\n        a\n", "layout"),
        ("targets:\n  t:\n    region: r\n", "no targets.t.manifests"),
        ("targets: [\n", "does not load"),
    ],
)
def test_refuses_where_an_edit_is_not_sure_and_gives_the_line(text: str, reason: str) -> None:
    refused = add_manifest_entry(text, "t", "deployments/t")
    assert isinstance(refused, Refused)
    assert reason in refused.reason
    assert refused.line == "- deployments/t"


@pytest.mark.parametrize("folder", ["deployments/t", "a b", "true", "2026-01-01", "#x", "-x", "日本"])
def test_entry_text_reads_back_as_the_folder(folder: str) -> None:
    assert yaml.safe_load(f"- {entry_text(folder)}") == [folder]


def test_add_to_config_writes_once_and_says_what_it_did(tmp_path: Path) -> None:
    config = tmp_path / "gitsync.yaml"
    flow = "  flowing:\n    manifests: [a]\n"
    config.write_text(CONFIG + flow)
    said = add_to_config(config, [("staging", "deployments/staging"), ("flowing", "b")])
    assert said == [
        "Added deployments/staging to targets.staging.manifests in gitsync.yaml.",
        "note: gitsync.yaml was not edited (the list is written in flow style ([...])); add this entry to "
        "targets.flowing.manifests yourself:\n    - b",
    ]
    assert config.read_text() == add_manifest_entry(CONFIG, "staging", "deployments/staging") + flow
    assert add_to_config(config, [("flowing", "b")])[0].startswith("note: gitsync.yaml was not edited")
    with pytest.raises(GitsyncError, match=r"cannot read .*missing\.yaml to add the folder"):
        add_to_config(tmp_path / "missing.yaml", [("staging", "x")])
