"""The compiled yes/no schema check (jsonschema-rs) changes speed, never an answer or a message.

With and without it, the whole manifest corpus gives the same output; it agrees with jsonschema on this
project's schemas (deployment, plan-time deployment, config, pulled connector schemas); a YAML value JSON
has no type for goes to jsonschema; and without the wheel everything still works.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from manifest_helpers import DATA, write_connector_schema

from gitsync.cli import run
from gitsync.manifest import schema
from gitsync.manifest.fastschema import compile_schema, verdict
from gitsync.manifest.yamlfile import read_document

ROOT = Path(__file__).resolve().parents[2]
CORPUS = sorted((DATA / "invalid").glob("*.yaml")) + sorted((DATA / "valid").glob("*.yaml"))
EXAMPLES = sorted((ROOT / "examples" / "deployments").rglob("*.yaml"))
CONNECTOR_SCHEMAS = sorted((ROOT / "examples" / "schemas" / "connectors").glob("*.schema.json"))


def _values(paths: list[Path]) -> list[Any]:
    return [read_document(path, path.name).value for path in paths]


def _validate_both_ways(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[tuple[int, str, str], tuple[int, str, str], int]:
    """(code, out, err) with the fast path, then without it; and how often the fast path said "valid"."""
    said_valid = 0

    class Counted:
        def __init__(self, compiled: Any) -> None:
            self.compiled = compiled

        def is_valid(self, value: Any) -> bool:
            nonlocal said_valid
            answer: bool = self.compiled.is_valid(value)
            said_valid += answer
            return answer

        def iter_errors(self, value: Any) -> Any:
            return self.compiled.iter_errors(value)

    def counting(name: str, resolved: bool) -> Counted:
        compiled = compile_schema(schema.checked_schema(name, resolved=resolved))
        assert compiled is not None
        return Counted(compiled)

    monkeypatch.setattr(schema, "fast_check", counting)
    fast = (run(args), *capsys.readouterr())
    monkeypatch.setattr(schema, "fast_check", lambda name, resolved: None)
    slow = (run(args), *capsys.readouterr())
    return fast, slow, said_valid


def test_the_fast_path_is_on_where_the_wheel_is_installed() -> None:
    assert schema.fast_check("deployment.schema.json", False) is not None


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_the_whole_corpus_gives_the_same_output_with_and_without_the_fast_path(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for case in CORPUS:
        shutil.copy(case, tmp_path / case.name)
    write_connector_schema(tmp_path)
    monkeypatch.chdir(tmp_path)
    names = [case.name for case in CORPUS]
    fast, slow, said_valid = _validate_both_ways(["validate", "--format", fmt, *names], monkeypatch, capsys)
    assert fast == slow
    assert fast[0] == 1
    assert all(case.name in fast[1] for case in CORPUS if case.parent.name == "invalid")  # each has problems
    assert said_valid >= len(list((DATA / "valid").glob("*.yaml")))  # valid files took the fast path


def test_the_examples_give_the_same_output_with_and_without_the_fast_path(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT / "examples")
    fast, slow, said_valid = _validate_both_ways(["validate", "--format", "json"], monkeypatch, capsys)
    assert fast == slow
    assert fast[0] == 0 and json.loads(fast[1]) == []
    assert said_valid >= len(EXAMPLES)


def _agree(schema_doc: dict[str, Any], values: list[Any]) -> int:
    """Assert the compiled check and the explainer (jsonschema with ECMA-262 patterns) give the same answer;
    return how many values the compiled check judged.

    A "valid" the explainer would refuse would hide a problem; an "invalid" it cannot explain costs a vague
    message (schema_problems then reports the compiled check's keyword). Before the explainer's patterns
    were ECMA's, Python's ``$`` matched before a final newline and the key ``"ab\\n"`` passed.
    """
    compiled = compile_schema(schema_doc)
    reference = schema.ecma_validator_class()(schema_doc)
    taken = 0
    for value in values:
        fast = verdict(compiled, value)
        if fast is None:  # not JSON (a date, an int key): jsonschema alone decides
            continue
        assert fast == reference.is_valid(value), value
        taken += 1
    return taken


@pytest.mark.parametrize("resolved", [False, True])
def test_both_validators_agree_on_the_deployment_schema(resolved: bool) -> None:
    values = _values(CORPUS + EXAMPLES)
    assert _agree(schema.checked_schema("deployment.schema.json", resolved=resolved), values) >= 50


def test_both_validators_agree_on_the_config_schema() -> None:
    configs = [ROOT / "examples" / "gitsync.yaml", ROOT / "examples" / "gitsync.emulator.yaml"]
    values = [*_values(configs), {"targets": {"t": {"projectKey": 5}}}, {"targets": []}, {}]
    assert _agree(schema.checked_schema("config.schema.json"), values) == len(values)


@pytest.mark.parametrize("connector_schema", CONNECTOR_SCHEMAS, ids=lambda path: path.stem)
def test_both_validators_agree_on_pulled_connector_schemas(connector_schema: Path) -> None:
    values = _values(CORPUS + EXAMPLES)
    assert _agree(json.loads(connector_schema.read_text()), values) >= 50


_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(alphabet=st.sampled_from("aZ09_-.${}:/\n é"), max_size=12),
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
)


@st.composite
def _mutated(draw: st.DrawFn) -> Any:
    """An example manifest with one field (at any depth) replaced by a random JSON value."""
    value = json.loads(json.dumps(draw(st.sampled_from(_values(EXAMPLES)))))
    node = value
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            return value
        key = draw(st.sampled_from(keys))
        child = node[key]
        if not isinstance(child, dict | list) or draw(st.booleans()):
            node[key] = draw(_VALUES | st.sampled_from(["${A}", "ab", "x" * 300, "latest", "sandbox"]))
            return value
        node = child


@settings(max_examples=300, deadline=None)
@given(value=_mutated(), resolved=st.booleans())
def test_both_validators_agree_on_mutated_manifests(value: Any, resolved: bool) -> None:
    _agree(schema.checked_schema("deployment.schema.json", resolved=resolved), [value])


@pytest.mark.parametrize(
    ("path", "shown"), [(("key",), "key 'ab\\n'"), (("connector", "key"), "connector.key 'ab\\n'")]
)
def test_a_value_ending_in_a_newline_is_no_match_of_a_dollar_anchored_pattern(
    path: tuple[str, ...], shown: str
) -> None:
    """Python's ``$`` matches before a final newline (a ``key: |`` block ends with one); JSON Schema's
    patterns are ECMA-262's, where it does not: the key ``"ab\\n"`` passed validate, then the API."""
    doc = read_document(DATA / "valid" / "minimal.yaml", "m.yaml")
    holder = doc.value
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = "ab\n"
    holder.pop("id", None)  # the minimal manifest names its connector by id
    (problem,) = schema.schema_problems(doc, "deployment.schema.json")
    assert problem.code == "schema"
    assert problem.message == f"{shown} is invalid: it must be 2 to 256 letters, digits, _ or -"


def test_where_the_two_validators_disagree_the_document_is_not_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never "no problems" on the explainer's word alone; the message names the keyword, never the value."""
    doc = read_document(DATA / "valid" / "minimal.yaml", "m.yaml")
    doc.value["key"] = "a secret value"

    class Blind:
        def iter_errors(self, value: Any) -> list[Any]:
            return []

    monkeypatch.setattr(schema, "validator", lambda name, resolved=False: Blind())
    (problem,) = schema.schema_problems(doc, "deployment.schema.json")
    assert (problem.code, problem.line) == ("schema", 1)
    assert problem.message.startswith("key breaks the schema's 'anyOf' rule")
    assert "secret" not in problem.message

    class Mute:  # says invalid, and not why
        def is_valid(self, value: Any) -> bool:
            return False

        def iter_errors(self, value: Any) -> list[Any]:
            return []

    monkeypatch.setattr(schema, "fast_check", lambda name, resolved: Mute())
    (problem,) = schema.schema_problems(doc, "deployment.schema.json")
    assert problem.message.startswith("the document breaks the schema's 'schema' rule")


def test_a_value_json_has_no_type_for_goes_to_jsonschema() -> None:
    compiled = schema.fast_check("deployment.schema.json", False)
    value = read_document(DATA / "invalid" / "config-value-date.yaml", "x.yaml").value
    assert compiled is not None
    with pytest.raises(ValueError):
        compiled.is_valid(value)
    assert verdict(compiled, value) is None
    assert verdict(None, {"anything": 1}) is None


def test_without_the_wheel_validate_still_works_and_still_finds_problems(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text((DATA / "valid" / "minimal.yaml").read_text())
    shutil.copy(DATA / "invalid" / "region-typo.yaml", tmp_path / "bad.yaml")
    script = (
        "import sys\n"
        "sys.modules['jsonschema_rs'] = None  # as on a platform without the wheel: import fails\n"
        "from gitsync.manifest import schema\n"
        "from gitsync.cli import run\n"
        "print('FAST', schema.fast_check('deployment.schema.json', False))\n"
        "print('CODES', run(['validate', 'good.yaml']), run(['validate', 'bad.yaml']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert "FAST None\n" in done.stdout and "CODES 0 1\n" in done.stdout, done.stderr
    assert "bad.yaml:" in done.stdout and "region" in done.stdout


def test_validating_a_valid_file_loads_no_library_it_does_not_need(tmp_path: Path) -> None:
    """The pre-commit start-up (SPEC §7): jsonschema only explains a failure, the plan renderers, the
    desired model and the API and diff libraries are for plan, difflib suggests fixes, tempfile writes
    crash reports, hashlib digests manifests for saved plans."""
    (tmp_path / "good.yaml").write_text((DATA / "valid" / "minimal.yaml").read_text())
    unwanted = (
        "jsonschema",
        "regress",
        "gitsync.render.plans",
        "difflib",
        "tempfile",
        "httpx",
        "pydantic",
        "deepdiff",
        "gitsync.manifest.model",
        "gitsync.manifest.build",
        "hashlib",
    )
    script = (
        "import sys\n"
        "from gitsync.cli import run\n"
        "code = run(['validate', 'good.yaml'])\n"
        f"print('LOADED', sorted(name for name in {unwanted!r} if name in sys.modules), 'CODE', code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert "LOADED [] CODE 0" in done.stdout, done.stdout + done.stderr
