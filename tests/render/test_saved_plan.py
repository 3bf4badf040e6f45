"""Saved plans: written atomically with mode 0600, read back equal, and every bad file is a clear error."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from render_builders import every_action_plan

from gitsync.errors import PlanFileError
from gitsync.plan.saved import load_plan, save_plan


def test_save_then_load_gives_the_same_plan_and_checksum(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    save_plan(every_action_plan(), path)
    loaded = load_plan(path)
    assert loaded == every_action_plan()
    assert loaded.checksum() == every_action_plan().checksum()
    assert json.loads(path.read_text()) == every_action_plan().to_dict()


def test_the_file_is_private_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("old")
    path.chmod(0o644)
    save_plan(every_action_plan(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [entry.name for entry in tmp_path.iterdir()] == ["plan.json"]


def test_a_folder_that_does_not_exist_is_a_plan_file_error(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match=r"cannot write the plan to .*missing"):
        save_plan(every_action_plan(), tmp_path / "missing" / "plan.json")


def test_a_failed_replace_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.mkdir()  # os.replace cannot put a file over a folder
    with pytest.raises(PlanFileError, match="cannot write the plan"):
        save_plan(every_action_plan(), target)
    assert [entry.name for entry in tmp_path.iterdir()] == ["plan.json"]


def _document(**changes: object) -> str:
    data = every_action_plan().to_dict()
    data.update(changes)
    return json.dumps(data)


BAD_FILES = {
    "not json": ("{not json", r"plan\.json:1:2: the plan file is not valid JSON"),
    "a list": ("[]", "not a gitsync plan"),
    "another version": (_document(formatVersion=3), "formatVersion 3, this gitsync reads 2"),
    "format 1 (no secured-value marking)": (
        _document(formatVersion=1),
        "formatVersion 1, this gitsync reads 2",
    ),
    "no targets": (json.dumps({"formatVersion": 2, "createdAt": "x"}), "damaged"),
    "changes of strings": (_document(changes=["x"]), "damaged"),
    "a numeric key": (
        _document(changes=[{"target": "staging", "key": 5, "action": "noop"}]),
        "damaged \\(key of deployment 5 is not text\\)",
    ),
    "an unknown action": (
        _document(changes=[{"target": "staging", "key": "a", "action": "explode"}]),
        "unknown action 'explode'",
    ),
    "binary": (b"\xff\xfe\x00".decode("latin-1"), "not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_a_plan_file_error_naming_it(case: str, tmp_path: Path) -> None:
    content, message = BAD_FILES[case]
    path = tmp_path / "plan.json"
    path.write_bytes(content.encode("latin-1") if case == "binary" else content.encode())
    with pytest.raises(PlanFileError, match=message) as info:
        load_plan(path)
    assert str(path) in str(info.value)


def test_a_missing_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="no such plan file; create it with `gitsync plan --out"):
        load_plan(tmp_path / "absent.json")


def test_a_folder_is_not_a_plan(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="cannot read the plan file"):
        load_plan(tmp_path)


HAND_EDITS = {
    "nested too deep": ("[" * 100_000 + "]" * 100_000, "JSON nested too deep"),
    "formatVersion true": (_document(formatVersion=True), "formatVersion True, this gitsync reads 2"),
    "changes null": (_document(changes=None), "damaged \\(a field holds the wrong kind of value"),
    "reasons a string": (
        _document(changes=[{"target": "staging", "key": "a", "action": "noop", "reasons": "x"}]),
        "damaged \\(a field holds the wrong kind of value",
    ),
    "no key": (
        _document(changes=[{"target": "staging", "action": "noop"}]),
        "damaged \\(the field 'key' is missing\\)",
    ),
}


@pytest.mark.parametrize("case", sorted(HAND_EDITS))
def test_a_hand_edit_is_one_plain_error_not_python_words(case: str, tmp_path: Path) -> None:
    content, message = HAND_EDITS[case]
    path = tmp_path / "plan.json"
    path.write_text(content)
    with pytest.raises(PlanFileError, match=message) as info:
        load_plan(path)
    assert "Error(" not in str(info.value) and "NoneType" not in str(info.value)
