"""A manifest folder is read from os.scandir's listing (the pre-commit start-up, SPEC §7): it must find what
``Path.rglob("*")`` found before, in the same order, whatever the folder holds."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gitsync.manifest.discover import expand, manifest_files
from gitsync.manifest.target import Target

NAMES = st.sampled_from(
    ["a.yaml", "b.yml", ".yaml", "..yaml", ".hidden.yaml", "c.YAML", "d.yaml~", "e.txt", "a", "a-b", "z.yml"]
)
KINDS = st.sampled_from(["file", "folder", "link-to-folder", "link-to-file", "dangling", "loop"])
TREE = st.lists(st.tuples(st.lists(NAMES, min_size=1, max_size=3), KINDS), max_size=12)


def _rglob_files(folder: Path) -> list[str]:
    """What discovery found before os.scandir: rglob, the suffix rule of Path, and no folders."""
    found = [child for child in folder.rglob("*") if child.suffix in (".yaml", ".yml") and not child.is_dir()]
    return [os.fspath(path) for path in sorted(found)]


def _build(root: Path, tree: list[tuple[list[str], str]]) -> None:
    for parts, kind in tree:
        path = root.joinpath(*parts)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if kind == "file":
                path.write_text("key: x\n")
            elif kind == "folder":
                path.mkdir()
            elif kind == "link-to-folder":
                path.symlink_to(root, target_is_directory=True)
            elif kind == "link-to-file":
                path.symlink_to(root / "elsewhere.yaml")
            elif kind == "dangling":
                path.symlink_to(root / "nowhere")
            else:
                path.symlink_to(path.name)
        except OSError:
            continue  # the random tree named a file as a folder, or a place twice: keep what is there


@settings(max_examples=60, deadline=None)
@given(tree=TREE)
def test_a_folder_gives_what_rglob_gave_in_the_same_order(tree: list[tuple[list[str], str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "elsewhere.yaml").write_text("key: y\n")
        folder = root / "manifests"
        folder.mkdir()
        _build(folder, tree)
        unlisted: list[tuple[str, str]] = []
        found = expand("manifests", root, unlisted)
        assert unlisted == []
        assert [path for path, _ in found or ()] == _rglob_files(folder)
        for path, maybe_link in found or ():
            assert maybe_link or not os.path.islink(path)  # "no symlink" is only said of one


def test_a_named_file_narrows_a_folder_of_many_to_it(tmp_path: Path) -> None:
    folder = tmp_path / "manifests" / "eu"
    folder.mkdir(parents=True)
    for n in range(30):
        (folder / f"d{n:02}.yaml").write_text("key: x\n")
    (tmp_path / "manifests" / "link.yaml").symlink_to(folder / "d07.yaml")
    target = Target(name="t", project_key="p", region="r", base_dir=tmp_path, manifests=("manifests",))
    files, problems = manifest_files(target, [os.fspath(folder / "d07.yaml")])
    assert problems == []
    # one file however many paths reach it: the symlink and the file are the same manifest
    assert [item.display for item in files] == ["manifests/eu/d07.yaml"]
    files, _ = manifest_files(target, [os.fspath(tmp_path / "manifests" / "eu")])
    assert len(files) == 30 and files[0].display == "manifests/eu/d00.yaml"


def _refuse_listing(monkeypatch: pytest.MonkeyPatch, folder_name: str) -> None:
    """Listing a folder of that name fails as without read permission (chmod 000 means nothing to root,
    which CI images run as)."""
    real_scandir = os.scandir

    def scandir(path: str) -> Iterator[os.DirEntry[str]]:
        if os.fspath(path).endswith(folder_name):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_folder_that_cannot_be_listed_is_a_problem_not_a_silent_gap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """rglob skipped such a folder: its manifests would have looked deleted to a pruning plan."""
    (tmp_path / "manifests" / "eu").mkdir(parents=True)
    (tmp_path / "manifests" / "a.yaml").write_text("key: a\n")
    (tmp_path / "manifests" / "eu" / "b.yaml").write_text("key: b\n")
    _refuse_listing(monkeypatch, "eu")
    # two entries reach the folder: it is one problem
    target = Target("t", "p", "r", base_dir=tmp_path, manifests=("manifests", "manifests/eu"))
    files, problems = manifest_files(target, [])
    assert [item.display for item in files] == ["manifests/a.yaml"]
    (problem,) = problems
    assert (problem.file, problem.code) == ("manifests/eu", "unreadable")
    assert "cannot list the folder (Permission denied)" in problem.message
    # a run narrowed to PATHS hears of it only when a PATH is in it, or it is in a PATH
    for named, reported in ("manifests/a.yaml", False), ("manifests/eu/b.yaml", True), ("manifests", True):
        _, problems = manifest_files(target, [os.fspath(tmp_path / named)])
        assert [p.code for p in problems] == (["unreadable"] if reported else []), named


def test_without_config_each_path_that_matches_nothing_is_reported_whatever_the_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.yaml").write_text("key: a\n")
    _refuse_listing(monkeypatch, "locked")
    monkeypatch.chdir(tmp_path)
    implicit = Target("default", "", "", base_dir=tmp_path, implicit=True)
    for order in (["locked", "missing.yaml", "ok"], ["missing.yaml", "ok", "locked"]):
        files, problems = manifest_files(implicit, order)
        assert sorted((p.file, p.code) for p in problems) == [
            ("locked", "unreadable"),
            ("missing.yaml", "no-manifests"),
        ], order
        assert [item.display for item in files] == ["ok/a.yaml"]


def _target(base: Path, *manifests: str) -> Target:
    return Target(name="t", project_key="p", region="r", base_dir=base, manifests=manifests)


def test_a_symlink_in_the_folder_makes_the_file_it_names_the_targets(tmp_path: Path) -> None:
    """Naming the file a link of the folder points to narrows to the link: the target reads it that way."""
    (tmp_path / "manifests").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "shared.yaml").write_text("key: s\n")
    (tmp_path / "manifests" / "a.yaml").write_text("key: a\n")
    (tmp_path / "manifests" / "link.yaml").symlink_to(tmp_path / "outside" / "shared.yaml")
    named = os.fspath(tmp_path / "outside" / "shared.yaml")
    files, problems = manifest_files(_target(tmp_path, "manifests"), [named])
    assert problems == [] and [item.display for item in files] == ["manifests/link.yaml"]


def test_a_named_symlink_narrows_to_the_file_it_points_to(tmp_path: Path) -> None:
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "a.yaml").write_text("key: a\n")
    (tmp_path / "manifests" / "b.yaml").write_text("key: b\n")
    (tmp_path / "pointer.yaml").symlink_to(tmp_path / "manifests" / "b.yaml")
    files, problems = manifest_files(_target(tmp_path, "manifests"), [os.fspath(tmp_path / "pointer.yaml")])
    assert problems == [] and [item.display for item in files] == ["manifests/b.yaml"]


def test_a_recursive_glob_reaches_every_depth_and_a_linked_file_counts_once(tmp_path: Path) -> None:
    deep = tmp_path / "deployments" / "eu" / "west"
    deep.mkdir(parents=True)
    (deep / "a.yaml").write_text("key: a\n")
    (tmp_path / "deployments" / "top.yaml").write_text("key: t\n")
    (tmp_path / "deployments" / "eu" / "again.yaml").symlink_to(deep / "a.yaml")  # the same manifest twice
    files, problems = manifest_files(_target(tmp_path, "deployments/**/*.yaml"), [])
    assert problems == []
    assert [item.display for item in files] == ["deployments/eu/again.yaml", "deployments/top.yaml"]


def test_without_config_two_paths_to_one_file_are_one_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text("key: a\n")
    (tmp_path / "same.yaml").symlink_to(tmp_path / "a.yaml")
    implicit = Target("default", "", "", base_dir=tmp_path, implicit=True)
    files, problems = manifest_files(implicit, ["a.yaml", "same.yaml"])
    assert problems == [] and [item.display for item in files] == ["a.yaml"]


def test_files_of_several_entries_are_in_name_order(tmp_path: Path) -> None:
    for folder in ("b", "a"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "m.yaml").write_text(f"key: {folder}\n")
    files, _ = manifest_files(_target(tmp_path, "b", "a"), [])
    assert [item.display for item in files] == ["a/m.yaml", "b/m.yaml"]
