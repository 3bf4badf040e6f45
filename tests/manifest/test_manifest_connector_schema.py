"""build_connector_schema: a usable JSON Schema for editors plus the x-gitsync facts offline checks read."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from manifest_helpers import DATA, DEMO_CONNECTOR, write_connector_schema

from gitsync.manifest import build_connector_schema, load_deployments
from gitsync.manifest.connector import read_connector_facts
from gitsync.manifest.target import Target


def test_x_gitsync_facts() -> None:
    facts = build_connector_schema(DEMO_CONNECTOR)["x-gitsync"]
    assert facts["connector"] == {"key": "demo-connector", "id": DEMO_CONNECTOR["id"], "version": 7}
    assert facts["staged"] is False
    assert facts["supportedRegions"] == ["europe-west1.gcp", "us-central1.gcp"]
    processor = facts["applications"]["processor"]
    assert processor["applicationType"] == "service"
    assert processor["standard"]["ADYEN_ENV"] == {
        "required": False,  # it has a default, so it is not required
        "description": "Adyen environment",
        "default": "TEST",
    }
    assert processor["standard"]["MERCHANT"]["required"] is True
    assert processor["secured"] == {"ADYEN_API_KEY": {"required": True, "description": "API key"}}
    assert set(facts["global"]["secured"]) == {"CTP_CLIENT_SECRET"}


def test_staged_connector_is_recognised() -> None:
    staged = {**DEMO_CONNECTOR, "isPreviewable": "true", "status": "Draft"}
    assert build_connector_schema(staged)["x-gitsync"]["staged"] is True


def test_the_schema_is_valid_2020_12_and_checks_a_manifest() -> None:
    schema = build_connector_schema(DEMO_CONNECTOR)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    manifest = yaml.safe_load((DATA / "valid" / "full-demo.yaml").read_text())
    assert list(validator.iter_errors(manifest)) == []
    wrong = copy.deepcopy(manifest)
    wrong["configurations"][0]["standardConfiguration"][0]["key"] = "MERCHANT_ID"
    wrong["region"] = "australia-southeast1.gcp"
    paths = sorted(list(error.absolute_path) for error in validator.iter_errors(wrong))
    assert paths == [["configurations", 0, "standardConfiguration", 0, "key"], ["region"]]


def test_every_property_has_a_description() -> None:
    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for name, child in node.get("properties", {}).items():
                assert "description" in child, f"{where}.{name} has no description"
            for key, child in node.items():
                if key == "if":  # a condition, not a field an editor shows
                    continue
                walk(child, f"{where}.{key}")
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(child, f"{where}[{index}]")

    walk(build_connector_schema(DEMO_CONNECTOR), "connector")
    for name in ("deployment", "config"):
        walk(json.loads((Path(__file__).parents[2] / "schemas" / f"{name}.schema.json").read_text()), name)


def test_an_unreadable_connector_schema_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(
        "key: demo\nconnector: {key: demo-connector}\nregion: europe-west1.gcp\n"
    )
    path = write_connector_schema(tmp_path)
    path.write_text("{not json")
    target = Target("t", "p", "europe-west1.gcp", ("demo.yaml",), tmp_path)
    (problem,) = load_deployments(target, env={}, resolve=False).problems
    assert problem.code == "connector-schema"
    assert problem.file.endswith("demo-connector.schema.json")
    assert "gitsync schema pull demo-connector" in problem.message


@pytest.mark.parametrize("region", ["europe-west1.gcp", "us-central1.gcp"])
def test_connector_schemas_dir_can_be_passed(tmp_path: Path, region: str) -> None:
    (tmp_path / "demo.yaml").write_text(f"key: demo\nconnector: {{key: demo-connector}}\nregion: {region}\n")
    elsewhere = tmp_path / "elsewhere"
    write_connector_schema(elsewhere)
    target = Target("t", "p", region, ("demo.yaml",), tmp_path)
    problems = load_deployments(
        target, env={}, resolve=False, connector_schemas=elsewhere / "schemas" / "connectors"
    ).problems
    prefix = "application 'processor' (add it to configurations) requires"
    assert sorted(p.message for p in problems) == [
        f"{prefix} 'ADYEN_API_KEY'; add it under securedConfiguration",
        f"{prefix} 'MERCHANT'; add it under standardConfiguration",
    ]


@pytest.mark.parametrize(
    "damage",
    [
        {"configurations": True},  # found by tests/fuzz_files: 'bool' object is not iterable
        {"supportedRegions": True},
        {"supportedRegions": ["europe-west1.gcp", 5, None]},
        {"key": 5, "id": ["x"]},
        {"globalConfiguration": {"standardConfiguration": "LOG_LEVEL"}},
    ],
)
def test_the_builder_keeps_only_what_it_understands_of_odd_connector_json(damage: dict[str, object]) -> None:
    facts = build_connector_schema({**DEMO_CONNECTOR, **damage})["x-gitsync"]
    assert all(isinstance(region, str) for region in facts["supportedRegions"])
    assert all(isinstance(facts["connector"][name], str | None) for name in ("key", "id"))
    assert isinstance(facts["applications"], dict) and isinstance(facts["global"]["standard"], dict)


def test_a_schema_built_from_odd_connector_json_reads_back(tmp_path: Path) -> None:
    """What the builder writes, the reader accepts: a pull never writes a file validate refuses."""
    connector = {**DEMO_CONNECTOR, "supportedRegions": ["europe-west1.gcp", 5], "key": "demo-connector"}
    path = write_connector_schema(tmp_path, connector)
    assert read_connector_facts(path)["supportedRegions"] == ["europe-west1.gcp"]
