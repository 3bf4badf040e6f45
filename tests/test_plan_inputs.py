"""``gitsync plan``'s input checks that run before any API call: no target without manifests, forced keys."""

from __future__ import annotations

import pytest

from gitsync.core.inputs import check_forced_keys, require_manifests
from gitsync.errors import ConfigError, GitsyncError
from gitsync.manifest import LoadResult, Problem
from gitsync.manifest.target import Target
from tests.plan.plan_builders import desired

TARGET = Target(name="staging", project_key="acme", region="europe-west1.gcp", manifests=("deployments",))
NOTHING = LoadResult(deployments=(), problems=())


def test_a_target_that_reads_no_manifest_file_is_an_error_naming_it() -> None:
    expected = r"target 'staging' reads no manifests.*targets\.staging\.manifests"
    with pytest.raises(ConfigError, match=expected):
        require_manifests(TARGET, NOTHING, narrowed=False)


def test_the_implicit_target_without_paths_says_to_name_them() -> None:
    implicit = Target(name="default", project_key="acme", region="europe-west1.gcp", implicit=True)
    with pytest.raises(ConfigError, match=r"no gitsync.yaml and no PATHS"):
        require_manifests(implicit, NOTHING, narrowed=False)


def test_a_narrowed_target_a_target_with_files_or_with_problems_passes() -> None:
    require_manifests(TARGET, NOTHING, narrowed=True)
    require_manifests(TARGET, LoadResult((), (), files=("a.yaml",)), narrowed=False)
    problem = Problem("deployments", 1, 1, "no-manifests", "matches no file")
    require_manifests(TARGET, LoadResult((), (problem,)), narrowed=False)


@pytest.mark.parametrize("flag", ["--redeploy", "--replace"])
def test_a_forced_key_no_selected_manifest_declares_is_an_error(flag: str) -> None:
    declared = {"staging": [desired("pay")]}
    check_forced_keys(flag, ["pay"], declared)
    expected = f"^{flag} nope, zz: no selected manifest declares this deployment"
    with pytest.raises(GitsyncError, match=expected):
        check_forced_keys(flag, ["zz", "pay", "nope"], declared)
