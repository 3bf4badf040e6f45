"""Targets sharing a project (SPEC §1.1): one target per key, and the keys each target must not prune."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from gitsync.manifest.config import load_target_set
from gitsync.manifest.projects import shared_projects

MANIFEST = "# {note}\nkey: {key}\nconnector:\n  key: other\nregion: europe-west1.gcp\n"

CONFIG = """\
targets:
  team-a:
    projectKey: acme
    region: europe-west1.gcp
    manifests: [a]
    prune: true
  team-b:
    projectKey: acme
    region: europe-west1.gcp
    manifests: [b]
  elsewhere:
    projectKey: acme-prod
    region: europe-west1.gcp
    manifests: [c]
"""


def _repo(root: Path, files: dict[str, str], config: str = CONFIG) -> Path:
    (root / "gitsync.yaml").write_text(config)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _manifest(key: str, note: str = "") -> str:
    return MANIFEST.format(key=key, note=note)


def test_foreign_keys_are_what_the_other_targets_of_the_project_declare(tmp_path: Path) -> None:
    _repo(
        tmp_path,
        {"a/one.yaml": _manifest("one"), "b/two.yaml": _manifest("two"), "c/three.yaml": _manifest("three")},
    )
    target_set = load_target_set(None, tmp_path, {}, ["team-a"])
    shared = shared_projects(target_set, target_set.selected, {}, resolve_keys=True)
    assert shared.problems == ()
    # team-b is not selected: its keys are read all the same, and another project's never
    assert shared.foreign_keys == {"team-a": frozenset({"two"})}


def test_a_project_with_one_target_reads_nothing_more(tmp_path: Path) -> None:
    _repo(tmp_path, {"c/three.yaml": "key: [broken"})
    target_set = load_target_set(None, tmp_path, {}, ["elsewhere"])
    shared = shared_projects(target_set, target_set.selected, {}, resolve_keys=True)
    assert (shared.problems, shared.foreign_keys) == ((), {})


def test_a_key_two_targets_of_a_project_declare_is_reported_at_the_later_one(tmp_path: Path) -> None:
    _repo(tmp_path, {"a/pay.yaml": _manifest("pay"), "b/pay.yaml": _manifest("pay", "line two")})
    for selected in (["team-a"], ["team-b"], []):
        target_set = load_target_set(None, tmp_path, {}, selected)
        shared = shared_projects(target_set, target_set.selected, {}, resolve_keys=False)
        (problem,) = shared.problems
        assert (problem.file, problem.line, problem.col, problem.code) == (
            "b/pay.yaml",
            2,
            6,
            "duplicate-deployment-key",
        ), selected
        assert "also declared at a/pay.yaml:2:6 by target 'team-a'" in problem.message
        assert "both targets drive the same project" in problem.message


def test_a_file_two_targets_of_a_project_read_is_a_duplicate_naming_both(tmp_path: Path) -> None:
    config = CONFIG.replace("manifests: [b]", "manifests: [a, b]")
    _repo(tmp_path, {"a/pay.yaml": _manifest("pay"), "b/x.yaml": _manifest("x")}, config)
    target_set = load_target_set(None, tmp_path, {})
    (problem,) = shared_projects(target_set, target_set.selected, {}, resolve_keys=False).problems
    assert problem.file == "a/pay.yaml"
    assert "this file is read by both targets 'team-a' and 'team-b'" in problem.message
    assert "narrow their manifests" in problem.message


def test_a_key_one_target_repeats_is_left_to_the_loader(tmp_path: Path) -> None:
    _repo(
        tmp_path, {"a/one.yaml": _manifest("one"), "a/two.yaml": _manifest("one"), "b/b.yaml": _manifest("b")}
    )
    target_set = load_target_set(None, tmp_path, {})
    assert shared_projects(target_set, target_set.selected, {}, resolve_keys=False).problems == ()


def test_variable_keys_are_resolved_for_plan_and_skipped_offline(tmp_path: Path) -> None:
    _repo(tmp_path, {"a/one.yaml": _manifest("one"), "b/b.yaml": _manifest("${KEY_B}")})
    target_set = load_target_set(None, tmp_path, {}, ["team-a"])
    planned = shared_projects(target_set, target_set.selected, {"KEY_B": "bee"}, resolve_keys=True)
    assert planned.foreign_keys == {"team-a": frozenset({"bee"})}
    offline = shared_projects(target_set, target_set.selected, {}, resolve_keys=False)
    assert (offline.problems, offline.foreign_keys) == ((), {"team-a": frozenset()})


def test_an_unreadable_key_of_an_unselected_target_is_a_problem_when_the_project_prunes(
    tmp_path: Path,
) -> None:
    _repo(
        tmp_path,
        {"a/one.yaml": _manifest("one"), "b/broken.yaml": "key: [x\n", "b/var.yaml": _manifest("${NOPE}")},
    )
    target_set = load_target_set(None, tmp_path, {}, ["team-a"])
    shared = shared_projects(target_set, target_set.selected, {}, resolve_keys=True)
    assert [(p.file, p.code) for p in shared.problems] == [
        ("b/broken.yaml", "unreadable-key"),
        ("b/var.yaml", "unreadable-key"),
    ]
    assert "target 'team-b' cannot be read" in shared.problems[0].message
    assert "its key needs NOPE" in shared.problems[1].message
    # prune off (e.g. PATHS given): nothing to protect, so nothing to report
    calm = tuple(dataclasses.replace(target, prune=False) for target in target_set.selected)
    assert shared_projects(target_set, calm, {}, resolve_keys=True).problems == ()
