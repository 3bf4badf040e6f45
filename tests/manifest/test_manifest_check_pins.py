"""Checks and ``${NAME}`` edges that mutation testing found unpinned (issue 7, item 5)."""

from __future__ import annotations

import pytest

from gitsync.manifest.checks import check_manifest, check_values
from gitsync.manifest.interpolate import bad_reference, has_reference, resolve, single_reference
from gitsync.manifest.yamlfile import Document, parse_into


def _doc(text: str) -> Document:
    doc = Document("m.yaml", data=text.encode())
    parse_into(doc)
    return doc


def _codes(text: str, *, allow: bool = False) -> list[tuple[int, int, str]]:
    return [(p.line, p.col, p.code) for p in check_manifest(_doc(text), allow_plaintext_secrets=allow)]


MALFORMED = {
    "configurations not a list": "configurations: 5\nglobalConfiguration: [1]\n",
    "entries not mappings": "configurations: [1, x, null, [2]]\n",
    "sections not lists": (
        "configurations:\n  - applicationName: a\n"
        "    standardConfiguration: x\n    securedConfiguration: {k: v}\n"
    ),
    "entries without a string key": (
        "configurations:\n"
        "  - applicationName: 7\n"
        "    standardConfiguration: [3, {key: 4, value: x}, {value: y}, null]\n"
        "    securedConfiguration: [{key: [1], value: plain}, {value: plain}, 9]\n"
        "globalConfiguration:\n"
        "  securedConfiguration: [{key: {a: 1}, value: plain}]\n"
    ),
    "applicationName not hashable": "configurations: [{applicationName: [1]}, {applicationName: {a: b}}]\n",
    "connector not a mapping": "connector: x\ntype: production\n",
    "document not a mapping": "- 1\n- 2\n",
}


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_entries_never_crash_the_checks(case: str) -> None:
    """The schema reports these; the checks must skip them, not raise."""
    assert _codes(MALFORMED[case]) == []


def test_a_well_formed_secret_next_to_malformed_entries_is_still_checked() -> None:
    text = "configurations:\n  - securedConfiguration: [5, {value: x}, {key: K, value: plain}]\n"
    assert _codes(text) == [(2, 59, "plaintext-secret")]
    assert _codes(text, allow=True) == []


def test_a_secured_value_that_is_not_a_string_is_left_to_the_schema() -> None:
    assert _codes("configurations:\n  - securedConfiguration: [{key: K, value: 5}]\n") == []


def test_duplicate_application_is_reported_with_a_global_configuration_present() -> None:
    text = (
        "globalConfiguration: {standardConfiguration: []}\n"
        "configurations:\n"
        "  - schedule: x\n"
        "    applicationName: a\n"
        "  - applicationName: b\n"
        "  - applicationName: a\n"
    )
    problems = check_values(_doc(text))
    assert [(p.line, p.col, p.code) for p in problems] == [(6, 22, "duplicate-application")]
    assert problems[0].message == (
        "applicationName 'a' is configured twice (first at line 4); merge the entries"
    )


def test_a_global_application_name_is_not_an_application() -> None:
    text = "globalConfiguration: {applicationName: a}\nconfigurations:\n  - applicationName: a\n"
    assert check_values(_doc(text)) == []


def test_duplicate_keys_within_and_across_sections() -> None:
    text = (
        "configurations:\n"
        "  - standardConfiguration:\n"
        "      - value: x\n"
        "        key: A\n"
        "    securedConfiguration: [{key: A, value: '${A}'}, {key: A, value: '${A}'}]\n"
        "  - standardConfiguration: [{key: B, value: x}, {key: B, value: y}]\n"
    )
    messages = [(p.line, p.code, p.message) for p in check_values(_doc(text))]
    assert messages == [
        (
            5,
            "duplicate-config-key",
            "configuration key 'A' appears in standardConfiguration too (line 4); keep one",
        ),
        (
            5,
            "duplicate-config-key",
            "configuration key 'A' appears in standardConfiguration too (line 4); keep one",
        ),
        (6, "duplicate-config-key", "configuration key 'B' appears twice (line 6); keep one"),
    ]


def test_plaintext_secret_messages_offer_the_opt_out_only_to_validate() -> None:
    doc = _doc("configurations:\n  - securedConfiguration: [{key: K, value: hunter2}]\n")
    (validate,) = check_manifest(doc, allow_plaintext_secrets=False)
    (plan,) = check_manifest(doc, allow_plaintext_secrets=False, for_plan=True)
    expected = "secured value of 'K' must be one ${NAME} reference, not a literal; write value: \"${K}\" "
    assert validate.message == expected + "and set K in the environment (or pass --allow-plaintext-secrets)"
    assert plan.message == (
        expected + "and set K in the environment (plan has no opt-out: a plan never holds a secret value)"
    )
    assert "hunter2" not in validate.message + plan.message


def test_bad_interpolation_messages_echo_only_what_is_not_secret() -> None:
    text = "region: 'x-${1}'\nconfigurations:\n  - securedConfiguration: [{key: K, value: 'pa55${-word'}]\n"
    problems = check_manifest(_doc(text), allow_plaintext_secrets=True)
    assert [(p.line, p.code, p.message) for p in problems] == [
        (
            1,
            "bad-interpolation",
            "'${1}' in region is not a valid ${NAME} reference "
            "(NAME: letters, digits, _); write $${ for a literal ${",
        ),
        (
            3,
            "bad-interpolation",
            "a '${' in configurations[0].securedConfiguration[0].value is not a valid "
            "${NAME} reference (NAME: letters, digits, _); write $${ for a literal ${",
        ),
    ]


@pytest.mark.parametrize(
    ("kind", "staged", "codes"),
    [
        ("'${KIND}'", "true", []),  # known only after resolution: checked again then
        ("'x-${KIND}'", "true", []),
        ("production", "true", ["staged-needs-preview"]),
        ("preview", "true", []),
        ("null", "true", []),
        ("production", "false", []),
        ("'$${KIND}'", "true", ["staged-needs-preview"]),  # a literal, not a reference
    ],
)
def test_staged_needs_preview(kind: str, staged: str, codes: list[str]) -> None:
    text = f"connector: {{key: c, staged: {staged}}}\ntype: {kind}\n"
    assert [p.code for p in check_values(_doc(text))] == codes


@pytest.mark.parametrize(("version", "codes"), [("7.0", ["schema"]), ("7", []), ("7.5", []), ("latest", [])])
def test_whole_number_version(version: str, codes: list[str]) -> None:
    assert [p.code for p in check_values(_doc(f"connector: {{key: c, version: {version}}}\n"))] == codes


# --- the ${NAME} rule: NAME is a letter or _, then letters, digits or _ -----------------------------------

VALID = ["${A}", "${_}", "${_A}", "${__TOKEN}", "${A1}", "${a_9}", "${ABC_DEF}"]
INVALID = ["${}", "${1}", "${1A}", "${A-B}", "${-A}", "${A B}", "${A.B}", "${A", "${ A}", "${Ä}"]


@pytest.mark.parametrize("value", VALID)
def test_valid_names(value: str) -> None:
    assert bad_reference(value) is None
    assert single_reference(value) == value[2:-1]
    assert has_reference(value)
    assert resolve(value, lambda name: f"<{name}>") == (f"<{value[2:-1]}>", [])


@pytest.mark.parametrize("value", INVALID)
def test_invalid_names(value: str) -> None:
    assert bad_reference(value) == value
    assert single_reference(value) is None
    assert not has_reference(value)
    assert resolve(value, lambda name: "x") == (value, [])


def test_a_bad_reference_after_a_good_one_is_found() -> None:
    assert bad_reference("${A} and ${1}") == "${1}"
    assert bad_reference("$${1} is a literal") is None
    assert bad_reference("${A-") == "${A-"


def test_single_reference_is_the_whole_value_only() -> None:
    assert single_reference(" ${A}") is None
    assert single_reference("${A}${B}") is None
    assert single_reference("${A}x") is None


def test_has_reference_ignores_literals_and_non_strings() -> None:
    assert not has_reference("$${A}")
    assert has_reference("$${A} ${B}")
    assert not has_reference(None)
    assert not has_reference(7)
    assert not has_reference("no dollar")


def test_resolve_reports_missing_names_and_keeps_them() -> None:
    lookup = {"A": "1"}.get
    assert resolve("${A}-${B}-$${C}-${B}", lookup) == ("1-${B}-${C}-${B}", ["B", "B"])
    assert resolve("${A}", lambda name: "") == ("", [])
