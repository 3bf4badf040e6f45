"""Random live configurations survive write → load unchanged (issue 11 "Done when"): what import writes,
the manifest loader reads back as exactly the live values, secured keys as ``${NAME}`` references."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from gitsync.adopt.check import text_problems
from gitsync.adopt.document import manifest_document
from gitsync.adopt.names import NameBook
from gitsync.adopt.yamltext import render_manifest
from gitsync.api.models import Connector, Deployment
from gitsync.live.convert import connector_info, live_deployment
from gitsync.manifest import load_deployments
from gitsync.manifest.model import ConfigurationSet, DesiredDeployment
from gitsync.manifest.target import Target

NAME = st.from_regex(r"[A-Za-z0-9_-]{2,12}", fullmatch=True)
CONFIG_KEY = st.from_regex(r"[A-Za-z0-9_]{2,12}", fullmatch=True)
# any text the API could hold: unicode, controls, quotes, `${`, YAML indicators; no lone surrogates (JSON
# over UTF-8 cannot carry them)
VALUE = st.text(st.characters(exclude_categories=["Cs"]), max_size=40) | st.sampled_from(
    ["true", "no", "8080", "0x1F", "1e3", "2026-11-30", "null", "~", "${A}", "$${", "$$${B}", "- x", "# y"]
)


def _values(draw: st.DrawFn) -> dict[str, str]:
    return draw(st.dictionaries(CONFIG_KEY, VALUE, max_size=4))


@st.composite
def live_deployments(draw: st.DrawFn) -> dict[str, Any]:
    """A Deployment as the API answers it (camelCase JSON), secured values masked."""

    def section(standard: dict[str, str], secured: list[str]) -> dict[str, Any]:
        return {
            "standardConfiguration": [{"key": k, "value": v} for k, v in standard.items()],
            "securedConfiguration": [{"key": k, "value": "****"} for k in secured],
        }

    apps = []
    for name in draw(st.lists(NAME, unique=True, max_size=3)):
        standard = _values(draw)
        secured = [k for k in draw(st.lists(CONFIG_KEY, unique=True, max_size=2)) if k not in standard]
        app = {"applicationName": name, **section(standard, secured)}
        schedule = draw(st.none() | VALUE.filter(bool))
        if schedule is not None:
            app["schedule"] = schedule
        apps.append(app)
    glob_standard = _values(draw)
    glob_secured = draw(
        st.lists(CONFIG_KEY.filter(lambda k: k not in glob_standard), unique=True, max_size=2)
    )
    return {
        "id": "d-1",
        "key": draw(NAME),
        "version": 3,
        "type": draw(st.sampled_from(["sandbox", "production"])),
        "connector": {"id": "c-1", "version": draw(st.integers(1, 99))},
        "deployedRegion": draw(st.sampled_from(["europe-west1.gcp", "us-east-2.aws"])),
        "globalConfiguration": section(glob_standard, glob_secured),
        "applications": apps,
        "status": "Deployed",
    }


def _load(text: str) -> DesiredDeployment:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "m").mkdir()
        (Path(folder) / "m" / "one.yaml").write_text(text, encoding="utf-8")
        target = Target(
            name="t", project_key="p", region="europe-west1.gcp", manifests=("m",), base_dir=Path(folder)
        )
        loaded = load_deployments(target, env={}, resolve=True)
    assert loaded.problems == (), loaded.problems
    (deployment,) = loaded.deployments
    return deployment


def _standard(section: dict[str, Any]) -> dict[str, str]:
    return {entry["key"]: entry["value"] for entry in section["standardConfiguration"]}


def _secured(values: ConfigurationSet) -> set[str]:
    return set(values.secured)


@settings(max_examples=60, deadline=None)
@given(live_deployments(), st.sampled_from([None, "connector-key"]))
def test_written_manifest_loads_back_as_the_live_values(
    raw: dict[str, Any], connector_key: str | None
) -> None:
    deployment = live_deployment(Deployment.model_validate(raw))
    connector = connector_info(Connector.model_validate({"id": "c-1", "key": connector_key, "version": 99}))
    names = NameBook()
    text = render_manifest(manifest_document(deployment, connector, "t", names), "s.json")
    assert text_problems(text, "one.yaml") == []
    loaded = _load(text)
    assert loaded.key == raw["key"]
    assert (loaded.connector.key, loaded.connector.id) == (
        (connector_key, None) if connector_key else (None, "c-1")
    )
    assert loaded.connector.version == raw["connector"]["version"] and not loaded.connector.staged
    assert (loaded.region, loaded.type) == (raw["deployedRegion"], raw["type"])
    glob = raw["globalConfiguration"]
    if glob["standardConfiguration"] or glob["securedConfiguration"]:
        assert loaded.global_configuration is not None
        assert dict(loaded.global_configuration.standard) == _standard(glob)
        assert _secured(loaded.global_configuration) == {e["key"] for e in glob["securedConfiguration"]}
    expected = {app["applicationName"]: app for app in raw["applications"]}
    for app in loaded.configurations:
        live = expected.pop(app.application_name)
        assert dict(app.values.standard) == _standard(live)
        assert _secured(app.values) == {e["key"] for e in live["securedConfiguration"]}
        assert app.schedule == live.get("schedule")
        for secret in app.values.secured.values():
            assert secret.reference.startswith("${") and "****" not in secret.reference
    # an application with nothing to say is left out, and plans the same (nothing to compare)
    assert all(
        not (a["standardConfiguration"] or a["securedConfiguration"] or "schedule" in a)
        for a in expected.values()
    )
    assert "****" not in text and text.endswith("\n") and not text.endswith("\n\n")
    assert text.startswith("# yaml-language-server: $schema=s.json\n")
    assert _bare_scalars(text) <= FIELD_NAMES | {"true", str(raw["connector"]["version"])}
    assert render_manifest(manifest_document(deployment, connector, "t", NameBook()), "s.json") == text


FIELD_NAMES = {
    "key",
    "value",
    "id",
    "version",
    "staged",
    "connector",
    "type",
    "region",
    "globalConfiguration",
    "configurations",
    "applicationName",
    "schedule",
    "standardConfiguration",
    "securedConfiguration",
}


def _bare_scalars(text: str) -> set[str]:
    """Every scalar not written double-quoted: only field names and the version (int) may be."""
    events = yaml.parse(text, Loader=yaml.SafeLoader)
    return {e.value for e in events if isinstance(e, yaml.ScalarEvent) and e.style != '"'}
