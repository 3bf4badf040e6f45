"""gitsync.yaml: discovery, targets, errors with positions, the implicit default target, manifest paths."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gitsync.errors import ConfigError
from gitsync.manifest import load_deployments, load_targets
from gitsync.manifest.config import load_target_set, project_id
from gitsync.manifest.target import Target

MANIFEST = "key: {key}\nconnector:\n  key: other-connector\nregion: europe-west1.gcp\n"

CONFIG = """\
targets:
  staging:
    projectKey: acme-staging
    region: europe-west1.gcp
    manifests: [deployments/staging, "shared/*.yml"]
    vars: {ADYEN_ENV: TEST}
  production:
    projectKey: acme-prod
    region: us-central1.gcp
    manifests: ["deployments/production/**/*.yaml"]
    prune: true
    protect: ["payments-*"]
    maxDeletes: 3
"""


def _repo(root: Path, config: str = CONFIG) -> Path:
    (root / "gitsync.yaml").write_text(config)
    files = {
        "deployments/staging/a.yaml": "stg-a",
        "deployments/staging/nested/b.yml": "stg-b",
        "deployments/staging/notes.txt": None,
        "shared/c.yml": "shared-c",
        "deployments/production/eu/d.yaml": "prod-d",
    }
    for name, key in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MANIFEST.format(key=key) if key else "not a manifest")
    return root


def test_config_is_found_walking_up_and_targets_are_built(tmp_path: Path) -> None:
    _repo(tmp_path)
    deep = tmp_path / "deployments" / "staging" / "nested"
    staging, production = load_targets(None, deep, {})
    assert (staging.name, staging.project_key, staging.region) == (
        "staging",
        "acme-staging",
        "europe-west1.gcp",
    )
    assert staging.base_dir == tmp_path
    assert staging.vars == {"ADYEN_ENV": "TEST"}
    assert (production.prune, production.protect, production.max_deletes) == (True, ("payments-*",), 3)


def test_selected_targets_and_unknown_target(tmp_path: Path) -> None:
    _repo(tmp_path)
    (only,) = load_targets(None, tmp_path, {}, ["production"])
    assert only.name == "production"
    with pytest.raises(ConfigError) as caught:
        load_targets(None, tmp_path, {}, ["prod"])
    assert "unknown target 'prod'" in str(caught.value)
    assert "known targets: production, staging" in str(caught.value)


def test_folders_recurse_and_globs_match(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    staging, production = load_targets(None, tmp_path, {})
    result = load_deployments(staging, env={}, resolve=False)
    assert result.problems == ()
    assert [d.source for d in result.deployments] == [
        "deployments/staging/a.yaml",
        "deployments/staging/nested/b.yml",
        "shared/c.yml",
    ]
    prod = load_deployments(production, env={}, resolve=False)
    assert [d.key for d in prod.deployments] == ["prod-d"]


def test_paths_narrow_a_targets_manifests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    staging, _ = load_targets(None, tmp_path, {})
    result = load_deployments(staging, ["deployments/staging/nested"], env={}, resolve=False)
    assert [d.key for d in result.deployments] == ["stg-b"]


def test_only_and_exclude_filter_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    staging, _ = load_targets(None, tmp_path, {})
    result = load_deployments(staging, env={}, resolve=False, only=["stg-*"], exclude=["*-b"])
    assert [d.key for d in result.deployments] == ["stg-a"]


def test_a_manifests_entry_that_matches_nothing_is_a_problem(tmp_path: Path) -> None:
    _repo(tmp_path, CONFIG.replace("deployments/staging,", "deployments/stagin,"))
    staging, _ = load_targets(None, tmp_path, {})
    result = load_deployments(staging, env={}, resolve=False)
    assert [(p.code, p.file) for p in result.problems] == [("no-manifests", "deployments/stagin")]


def test_invalid_config_names_file_line_col_and_suggests(tmp_path: Path) -> None:
    _repo(
        tmp_path, CONFIG.replace("region: us-central1.gcp", "region: us-central1").replace("prune:", "prun:")
    )
    with pytest.raises(ConfigError) as caught:
        load_targets(None, tmp_path, {})
    message = str(caught.value)
    assert "gitsync.yaml:9:13: error[schema]: targets.production.region 'us-central1'" in message
    assert "did you mean 'us-central1.gcp'?" in message
    assert (
        "gitsync.yaml:11:5: error[schema]: unknown field 'prun' in targets.production; did you mean 'prune'?"
        in message
    )


def test_broken_config_yaml_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "gitsync.yaml").write_text("targets:\n  a: [\n")
    with pytest.raises(ConfigError, match=r"gitsync.yaml:3:1: error\[yaml-syntax\]"):
        load_targets(None, tmp_path, {})


def test_explicit_config_path_and_missing_file(tmp_path: Path) -> None:
    _repo(tmp_path)
    (tmp_path / "gitsync.yaml").rename(tmp_path / "other.yaml")
    targets = load_targets(Path("other.yaml"), tmp_path, {})
    assert [t.name for t in targets] == ["staging", "production"]
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_targets(Path("missing.yaml"), tmp_path, {})


def test_implicit_default_target_from_ctp_variables(tmp_path: Path) -> None:
    env = {
        "CTP_PROJECT_KEY": "acme",
        "CTP_REGION": "us-east-2.aws",
        "CTP_SCOPES": "a b",
        "CTP_AUTH_URL": "http://127.0.0.1:9",
        "CTP_CONNECT_URL": "http://127.0.0.1:8",
    }
    (target,) = load_targets(None, tmp_path, env, ["default"])
    assert (target.name, target.project_key, target.region) == ("default", "acme", "us-east-2.aws")
    assert (target.auth_url, target.connect_url) == ("http://127.0.0.1:9", "http://127.0.0.1:8")
    assert target.credentials["scopes"] == "${CTP_SCOPES}"


def test_implicit_default_target_needs_nothing_for_validate(tmp_path: Path) -> None:
    (target,) = load_targets(None, tmp_path, {})
    assert (target.project_key, target.region, target.manifests) == ("", "", ())
    with pytest.raises(ConfigError, match="only the implicit 'default'"):
        load_targets(None, tmp_path, {}, ["staging"])


def test_duplicate_deployment_keys_across_files_name_both_places(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(MANIFEST.format(key="same"))
    (tmp_path / "b.yaml").write_text("# second\n" + MANIFEST.format(key="same"))
    (target,) = load_targets(None, tmp_path, {})
    result = load_deployments(target, ["a.yaml", "b.yaml"], env={}, resolve=False)
    (problem,) = result.problems
    assert (problem.file, problem.line, problem.col, problem.code) == (
        "b.yaml",
        2,
        6,
        "duplicate-deployment-key",
    )
    assert "also declared at a.yaml:1:6" in problem.message


# --- SPEC §1.1: every target names its manifests ------------------------------------------------------

TARGET_HEAD = "targets:\n  a:\n    projectKey: acme\n    region: europe-west1.gcp\n    prune: true\n"


@pytest.mark.parametrize(
    ("tail", "where", "what"),
    [
        ("", "gitsync.yaml:2:3", "targets.a is missing the required field 'manifests'"),
        ("    manifests: []\n", "gitsync.yaml:6:16", "targets.a.manifests: [] should be non-empty"),
    ],
    ids=["absent", "empty"],
)
def test_a_target_without_manifests_is_a_config_error_at_its_place(
    tmp_path: Path, tail: str, where: str, what: str
) -> None:
    (tmp_path / "gitsync.yaml").write_text(TARGET_HEAD + tail)
    with pytest.raises(ConfigError) as caught:
        load_targets(None, tmp_path, {})
    message = str(caught.value)
    assert f"{where}: error[schema]: {what}" in message
    assert "hint: every target names its manifests: at least one file, folder or glob" in message


def test_the_target_set_holds_every_target_and_the_selected_ones(tmp_path: Path) -> None:
    _repo(
        tmp_path,
        CONFIG + "  team-b:\n    projectKey: acme-prod\n    region: us-central1.gcp\n"
        "    manifests: [shared]\n",
    )
    target_set = load_target_set(None, tmp_path, {}, ["production"])
    assert [t.name for t in target_set.all] == ["staging", "production", "team-b"]
    assert [t.name for t in target_set.selected] == ["production"]
    assert [t.name for t in target_set.sharing_project(target_set.selected[0])] == ["production", "team-b"]
    staging = target_set.all[0]
    assert [t.name for t in target_set.sharing_project(staging)] == ["staging"]


def test_a_project_is_its_key_region_and_api() -> None:
    base = Target(name="a", project_key="acme", region="europe-west1.gcp")
    assert project_id(base) == project_id(dataclasses.replace(base, name="b", prune=True))
    assert project_id(base) != project_id(dataclasses.replace(base, region="us-central1.gcp"))
    assert project_id(base) != project_id(dataclasses.replace(base, project_key="acme-2"))
    assert project_id(base) != project_id(dataclasses.replace(base, connect_url="http://127.0.0.1:9"))
