"""The pure parts of import: the naming rule, quoting, the document built from a live answer, paths."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gitsync.adopt.document import escape_literal, manifest_document
from gitsync.adopt.names import NameBook, variable_name
from gitsync.adopt.output import env_example, safe_name, schema_reference
from gitsync.adopt.yamltext import Flow, dump, render_manifest
from gitsync.api.models import Connector, Deployment
from gitsync.live.convert import connector_info, live_deployment
from gitsync.manifest.interpolate import resolve


@pytest.mark.parametrize(
    ("parts", "name"),
    [
        (("payments-adyen", "processor", "ADYEN_API_KEY"), "PAYMENTS_ADYEN_PROCESSOR_ADYEN_API_KEY"),
        (("9lives", "Key.With ünïcode"), "_9LIVES_KEY_WITH__N_CODE"),
        (("_x", "y"), "_X_Y"),
    ],
)
def test_variable_name_rule(parts: tuple[str, ...], name: str) -> None:
    assert variable_name(*parts) == name


def test_collisions_get_numbered_in_order_and_targets_prefix_when_several() -> None:
    book = NameBook()
    assert book.claim("t", "a-b", None, "C") == "A_B_C"
    assert book.claim("t", "a_b", None, "C") == "A_B_C_2"
    assert book.claim("t", "a", "b", "C") == "A_B_C_3"
    several = NameBook(prefix_targets=True)
    assert several.claim("staging", "pay", "app", "K") == "STAGING_PAY_APP_K"
    assert [v.where for v in book.variables] == [
        "t/a-b globalConfiguration C",
        "t/a_b globalConfiguration C",
        "t/a b C",
    ]


@pytest.mark.parametrize(
    "text",
    ["", "plain", 'a "b" \\ c', "line\nbreak\r\t", "\x00\x07\x85\u2028\u2029\ufeff", "日本 ✓ 😀", "# : - ["],
)
def test_every_string_is_double_quoted_and_reads_back_exactly(text: str) -> None:
    document = {"v": text, "entries": [Flow(key=text, value=text)]}
    written = dump(document)
    assert written.startswith('v: "') and '  - {key: "' in written and written.count("\n") == 3
    assert yaml.safe_load(written) == document


@pytest.mark.parametrize("value", [1.5, None, (1, 2), {1, 2}])
def test_only_strings_integers_and_booleans_are_written(value: object) -> None:
    with pytest.raises(TypeError, match="strings, integers and booleans"):
        dump({"v": value})


def test_no_folding_no_anchors_and_plain_keys() -> None:
    long = "word " * 100 + "\u00e9\U0001f600"
    shared = [Flow(key="K", value=long)]
    written = dump({"a": shared, "b": shared, "version": 7, "staged": False})
    assert written == (
        "a:\n"
        f'  - {{key: "K", value: "{long[:-1]}\\U0001F600"}}\n'
        "b:\n"
        f'  - {{key: "K", value: "{long[:-1]}\\U0001F600"}}\n'
        "version: 7\n"
        "staged: false\n"
    )


def test_escape_literal_keeps_every_dollar() -> None:
    for value in ["${A}", "$${A}", "x$$${", "$", "{}"]:
        assert resolve(escape_literal(value), lambda name: "WRONG")[0] == value


LIVE = {
    "id": "d-1",
    "key": "pay",
    "version": 2,
    "connector": {"id": "c-9", "version": 4},  # no key, as real answers
    "deployedRegion": "europe-west1.gcp",
    "preview": True,
    "type": "preview",
    "status": "Deployed",
    "applications": [
        {
            "applicationName": "job",
            "schedule": "0 2 * * *",
            "standardConfiguration": [],
            "securedConfiguration": [],
        },
        {"applicationName": "idle", "standardConfiguration": [], "securedConfiguration": []},
        {"applicationName": "own", "schedule": "*/5 * * * *"},
    ],
}


def test_document_names_the_connector_by_id_without_key_and_skips_declared_schedules() -> None:
    connector = Connector.model_validate(
        {"id": "c-9", "version": 5, "configurations": [{"applicationName": "job", "schedule": "0 2 * * *"}]}
    )
    deployment = live_deployment(Deployment.model_validate(LIVE))
    document = manifest_document(deployment, connector_info(connector), "t", NameBook())
    assert document == {
        "key": "pay",
        "connector": {"id": "c-9", "version": 4, "staged": True},
        "type": "preview",
        "region": "europe-west1.gcp",
        "configurations": [{"applicationName": "own", "schedule": "*/5 * * * *"}],
    }
    text = render_manifest(document, "x.json")
    assert text.splitlines()[:4] == [
        "# yaml-language-server: $schema=x.json",
        'key: "pay"',
        "connector:",
        '  id: "c-9"',
    ]


def test_paths_and_env_example(tmp_path: Path) -> None:
    assert safe_name("pay-1") and not safe_name("../x") and not safe_name(".hidden") and not safe_name("a/b")
    file = tmp_path / "deployments" / "staging" / "pay.yaml"
    assert schema_reference(file, tmp_path, "adyen") == "../../schemas/deployment.schema.json"
    (tmp_path / "schemas" / "connectors").mkdir(parents=True)
    (tmp_path / "schemas" / "connectors" / "adyen.schema.json").write_text("{}")
    assert schema_reference(file, tmp_path, "adyen") == "../../schemas/connectors/adyen.schema.json"
    book = NameBook()
    book.claim("t", "pay", "app", "KEY")
    assert env_example(book.variables).endswith("# t/pay app KEY\nPAY_APP_KEY=\n")
