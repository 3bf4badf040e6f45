"""The GitHub Actions workflows in examples/ci/github/ and the composite action, checked and run.

Each job's `run:` steps run as written in the YAML (tests/workflow_runner.py) in a copy of the examples'
repository, against the emulator seeded with examples/emulator-seed.yaml over loopback. Calls to GitHub go
to a fake `gh` that records them. The workflows are valid for GitHub Actions: the GitHub workflow and action
JSON schemas (check-jsonschema's vendored copies) and shellcheck over every script.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitsync import __version__
from gitsync.emulator import EmulatorApp, EmulatorServer, serve
from tests.workflow_runner import ACTION, EXPRESSION, ROOT, WORKFLOWS, Runner, expressions, load

EXAMPLES = ROOT / "examples"
PLAN = load(WORKFLOWS / "gitsync-plan.yml")
APPLY = load(WORKFLOWS / "gitsync-apply.yml")
DRIFT = load(WORKFLOWS / "gitsync-drift.yml")
MARKER = "<!-- gitsync-plan -->"
PR = "7"
REPOSITORY = "acme/infra"

# read-only API clients the emulator knows in addition to the seed's manage clients
VIEW_CLIENTS = {
    "staging": ("acme-staging-view", "view-only-staging-secret"),
    "production": ("acme-production-view", "view-only-production-secret"),
}


def env_example() -> dict[str, str]:
    """The demo's variables (examples/.env.example): the seed's manage clients and the secured values."""
    lines = (EXAMPLES / ".env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def secrets(environment: str | None) -> dict[str, str]:
    """`secrets.NAME` as a job sees them: repository secrets (the read-only clients) and, in a GitHub
    environment, that environment's own (the names that mention its target); any other name is empty."""
    table = {}
    for target, (client_id, secret) in VIEW_CLIENTS.items():
        table[f"CTP_{target.upper()}_VIEW_CLIENT_ID"] = client_id
        table[f"CTP_{target.upper()}_VIEW_CLIENT_SECRET"] = secret
    for name, value in env_example().items():
        table[name] = value if environment and environment.upper() in name else ""
    return {f"secrets.{name}": value for name, value in table.items()}


def table(environment: str | None = None) -> dict[str, str]:
    """Every expression the workflows may use and its value in these tests."""
    return {
        "github.event.pull_request.number": PR,
        "github.token": "fake-github-token",
        "github.server_url": "https://github.com",
        "github.repository": REPOSITORY,
        "github.run_id": "4242",
        "matrix.target": environment or "staging",
        "inputs.python-version": "3.12",
        **secrets(environment),
    }


CONDITIONS = {
    "!cancelled() && steps.plan.outputs.exitcode != '' && hashFiles('plan.md') != ''": lambda runner: (
        runner.outputs.get("plan", {}).get("exitcode", "") != "" and (runner.root / "plan.md").is_file()
    ),
    "!cancelled() && hashFiles('plan.json') != ''": lambda runner: (runner.root / "plan.json").is_file(),
}

GITHUB_ENV = {  # what GitHub sets in every step (the plan comment names the commit and the run from these)
    "GITHUB_ACTIONS": "true",
    "GITHUB_SHA": "3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49",
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": REPOSITORY,
    "GITHUB_RUN_ID": "4242",
}


def emulator_seed() -> dict[str, Any]:
    seed: dict[str, Any] = yaml.safe_load((EXAMPLES / "emulator-seed.yaml").read_text())
    for target, (client_id, secret) in VIEW_CLIENTS.items():
        project = f"acme-{target}"
        scopes = [f"view_connectors_deployments:{project}", f"view_connectors:{project}"]
        seed["clients"].append({"clientId": client_id, "clientSecret": secret, "scopes": scopes})
    return seed


@contextmanager
def emulator(seed: dict[str, Any] | None = None) -> Iterator[EmulatorServer]:
    """The examples' emulator on loopback, on a real clock (apply waits for deployments to settle)."""
    server = serve(EmulatorApp(seed or emulator_seed(), deploy_time=0.2), port=0)
    try:
        yield server
    finally:
        server.stop()


def read_only_seed() -> dict[str, Any]:
    """The examples' seed with only the read-only API clients: a write would be refused (403)."""
    seed = emulator_seed()
    seed["clients"] = [client for client in seed["clients"] if client["clientId"].endswith("-view")]
    return seed


def repository(tmp_path: Path, server: EmulatorServer) -> Path:
    """A user's repository as the workflows expect it: the examples, gitsync.yaml at the root, pointed
    at the emulator (gitsync.emulator.yaml with its port filled in)."""
    root = tmp_path / "repo"
    root.mkdir()
    for folder in ("deployments", "schemas"):
        shutil.copytree(EXAMPLES / folder, root / folder)
    port = server.url.rsplit(":", 1)[1]
    config = (EXAMPLES / "gitsync.emulator.yaml").read_text().replace("${GITSYNC_DEMO_PORT}", port)
    (root / "gitsync.yaml").write_text(config)
    return root


def runner(root: Path, environment: str | None = None, gh_output: str = "") -> Runner:
    env = {**GITHUB_ENV, "FAKE_GH_OUTPUT": gh_output}
    return Runner(root, table(environment), CONDITIONS, env=env)


def prepared(tmp_path: Path, step_id: str, exitcode: str, gh_output: str = "") -> Runner:
    """A runner past the plan step: ``plan.md`` written, the step's exit code in its outputs."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "plan.md").write_text(f"{MARKER}\n## gitsync plan\n")
    run = runner(root, gh_output=gh_output)
    run.outputs[step_id] = {"exitcode": exitcode}
    return run


def step_named(workflow: dict[str, Any], name: str) -> dict[str, Any]:
    return next(
        step for job in workflow["jobs"].values() for step in job["steps"] if step.get("name") == name
    )


def step_env_names(workflow: dict[str, Any]) -> set[str]:
    return {
        name for job in workflow["jobs"].values() for step in job["steps"] for name in step.get("env", {})
    }


# --- the files are valid for GitHub Actions -----------------------------------------------------


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda path: path.name)
def test_workflow_matches_the_github_workflow_schema(path: Path) -> None:
    done = subprocess.run(
        ["check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_action_matches_the_github_action_schema() -> None:
    done = subprocess.run(
        ["check-jsonschema", "--builtin-schema", "vendor.github-actions", str(ACTION)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def scripts() -> Iterator[tuple[str, str]]:
    for path in [*sorted(WORKFLOWS.glob("*.yml")), ACTION]:
        data = load(path)
        steps = (
            data["runs"]["steps"]
            if path == ACTION
            else [s for j in data["jobs"].values() for s in j["steps"]]
        )
        for step in steps:
            if "run" in step:
                yield f"{path.name}: {step.get('name', step['run'][:30])}", str(step["run"])


@pytest.mark.parametrize(("name", "script"), list(scripts()), ids=[name for name, _ in scripts()])
def test_every_script_passes_shellcheck(name: str, script: str, tmp_path: Path) -> None:
    # expressions become plain words, as GitHub substitutes them before bash sees the script
    file = tmp_path / "step.sh"
    file.write_text("#!/usr/bin/env bash\n" + EXPRESSION.sub("EXPRESSION", script))
    done = subprocess.run(
        ["shellcheck", "--severity=style", str(file)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, f"{name}:\n{done.stdout}"


@pytest.mark.parametrize("workflow", [PLAN, APPLY, DRIFT], ids=["plan", "apply", "drift"])
def test_every_expression_is_one_the_test_knows(workflow: dict[str, Any]) -> None:
    known = table()
    step_ids = {step["id"] for job in workflow["jobs"].values() for step in job["steps"] if "id" in step}
    for expression in expressions(workflow):
        output = re.match(r"^steps\.([\w-]+)\.outputs\.", expression)
        assert expression in known or expression in CONDITIONS or (output and output.group(1) in step_ids), (
            f"{workflow['name']}: the test does not know {expression!r}; add it to its table"
        )


def test_workflows_install_gitsync_at_its_own_version_through_the_action() -> None:
    for workflow in (PLAN, APPLY, DRIFT):
        uses = [str(step.get("uses", "")) for job in workflow["jobs"].values() for step in job["steps"]]
        assert f"<owner>/gitsync@v{__version__}" in uses, workflow["name"]


# --- the pull-request workflow: read-only, validate, plan, comment, summary, artifact ---------------


def test_pull_request_workflow_holds_no_write_scope_and_no_secured_value() -> None:
    assert PLAN["on"] == {"pull_request": None}
    permissions = PLAN["permissions"]
    assert permissions == {"contents": "read", "pull-requests": "write"}
    assert all("permissions" not in job for job in PLAN["jobs"].values())
    text = (WORKFLOWS / "gitsync-plan.yml").read_text()
    used = set(re.findall(r"secrets\.([A-Za-z0-9_]+)", text))
    assert used == {f"CTP_{t.upper()}_VIEW_CLIENT_{part}" for t in VIEW_CLIENTS for part in ("ID", "SECRET")}
    secured = {name for name in env_example() if not name.startswith("CTP_")}
    assert not secured & (step_env_names(PLAN) | set(re.findall(r"[A-Z][A-Z0-9_]+", text)))
    assert "environment" not in PLAN["jobs"]["plan"]


def test_pull_request_workflow_validates_plans_comments_and_keeps_the_plan(tmp_path: Path) -> None:
    with emulator(read_only_seed()) as server:  # only the read-only clients exist
        run = runner(repository(tmp_path, server))
        run.run_job(PLAN, "plan")
        sent = [call for call in server.app.stats if call.split()[0] in ("POST", "DELETE")]
    assert sent == ["POST /oauth/token"]
    assert [(result.name, result.code) for result in run.results] == [
        ("checkout", 0),
        ("gitsync action", 0),
        ("Validate", 0),
        ("Plan", 0),
        ("Comment on the pull request", 0),
        ("upload plan.json", 0),
    ]
    assert run.pip_log.read_text().split() == ["install", "--disable-pip-version-check", "--quiet", str(ROOT)]
    assert run.outputs["plan"] == {
        "exitcode": "2"
    }  # the examples differ from the seed: changes, not a failure
    plan_md = (run.root / "plan.md").read_text()
    assert MARKER in plan_md and plan_md in run.summary.read_text()
    assert MARKER in str(step_named(PLAN, "Comment on the pull request")["run"])  # found by the same marker
    lookup, post = run.gh_calls()
    assert lookup["args"][:3] == ["api", "--paginate", f"repos/{REPOSITORY}/issues/{PR}/comments"]
    assert post["args"][:4] == ["api", "--method", "POST", f"repos/{REPOSITORY}/issues/{PR}/comments"]
    assert post["files"] == {"plan.md": plan_md} and post["token"] == "fake-github-token"


def test_pull_request_comment_is_updated_in_place(tmp_path: Path) -> None:
    run = prepared(tmp_path, "plan", "2", gh_output="913\n914")
    result = run.run_step(step_named(PLAN, "Comment on the pull request"), "bash", {})
    assert result.code == 0, result.output
    _lookup, patch = run.gh_calls()
    assert patch["args"][:4] == ["api", "--method", "PATCH", f"repos/{REPOSITORY}/issues/comments/913"]
    assert patch["files"] == {"plan.md": (run.root / "plan.md").read_text()}


def test_validate_step_annotates_the_broken_line(tmp_path: Path) -> None:
    with emulator() as server:
        root = repository(tmp_path, server)
        manifest = root / "deployments" / "staging" / "order-export.yaml"
        lines = manifest.read_text().splitlines()
        manifest.write_text("\n".join([*lines, "regoin: europe-west1.gcp", ""]))
        run = runner(root)
        run.run_job(PLAN, "plan")
    validate = run.step("Validate")
    assert validate.code == 1
    expected = f"::error file=deployments/staging/order-export.yaml,line={len(lines) + 1},col=1"
    assert expected in validate.output
    assert [result.name for result in run.results] == ["checkout", "gitsync action", "Validate"]


def test_plan_step_fails_the_job_on_an_error_exit(tmp_path: Path) -> None:
    with emulator() as server:
        run = runner(repository(tmp_path, server))
        run.table["secrets.CTP_PRODUCTION_VIEW_CLIENT_SECRET"] = "a-wrong-secret"
        run.run_job(PLAN, "plan")
    plan = run.step("Plan")
    assert plan.code == 1 and plan.outputs == {"exitcode": "1"}
    assert "a-wrong-secret" not in plan.output + run.summary.read_text()
    # nothing printed, so no comment (an empty one would replace the last good plan) and no artifact
    assert [result.name for result in run.results][-1] == "Plan"
    assert run.gh_calls() == []


# --- apply on main ------------------------------------------------------------------------------


def test_apply_workflow_applies_one_target_at_a_time_from_its_environment() -> None:
    job = APPLY["jobs"]["apply"]
    assert APPLY["on"]["push"] == {"branches": ["main"]}
    assert job["strategy"]["matrix"]["target"] == ["staging", "production"]
    assert job["environment"] == "${{ matrix.target }}"
    assert job["concurrency"] == {"group": "gitsync-apply-${{ matrix.target }}", "cancel-in-progress": False}
    assert APPLY["permissions"] == {"contents": "read"}


def test_apply_workflow_mirrors_every_variable_the_examples_need() -> None:
    names = step_env_names(APPLY) - {"TARGET"}
    assert names == set(env_example())


def test_apply_then_plan_and_drift_are_in_sync(tmp_path: Path) -> None:
    with emulator() as server:
        root = repository(tmp_path, server)
        applied = {
            target: runner(root, target) for target in APPLY["jobs"]["apply"]["strategy"]["matrix"]["target"]
        }
        for run in applied.values():
            run.run_job(APPLY, "apply")
        drift = runner(root, gh_output="31")
        drift.run_job(DRIFT, "drift")
    for target, run in applied.items():
        apply = run.step("Apply")
        assert apply.code == 0, apply.output
        summary = run.summary.read_text()
        assert f"### gitsync apply: {target} (exit 0)" in summary
        assert "demo-adyen" not in apply.output + summary  # no secured value in the log or the summary
    assert drift.outputs["plan"] == {"exitcode": "0"}
    assert [call["args"][:3] for call in drift.gh_calls()] == [
        ["issue", "list", "--label"],
        ["issue", "close", "31"],
    ]


def test_apply_step_fails_with_the_exit_code_of_apply(tmp_path: Path) -> None:
    with emulator() as server:
        run = runner(repository(tmp_path, server), "production")
        run.table["secrets.ADYEN_PRODUCTION_API_KEY"] = ""  # a secured value missing from the environment
        run.run_job(APPLY, "apply")
    apply = run.step("Apply")
    assert apply.code == 1, apply.output
    # GitHub gives a secret the environment lacks as "": apply reports the key the API refused
    assert "ADYEN_API_KEY" in apply.output
    assert "### gitsync apply: production (exit 1)" in run.summary.read_text()


# --- nightly drift ------------------------------------------------------------------------------


def test_drift_workflow_is_scheduled_and_read_only() -> None:
    assert "schedule" in DRIFT["on"]
    assert DRIFT["permissions"] == {"contents": "read", "issues": "write"}
    text = (WORKFLOWS / "gitsync-drift.yml").read_text()
    assert set(re.findall(r"secrets\.([A-Za-z0-9_]+)", text)) <= {
        name.removeprefix("secrets.") for name in secrets(None) if "_VIEW_" in name
    }


def test_drift_opens_an_issue(tmp_path: Path) -> None:
    with emulator() as server:
        run = runner(repository(tmp_path, server))
        run.run_job(DRIFT, "drift")
    assert run.outputs["plan"] == {"exitcode": "2"}
    listing, label, create = run.gh_calls()
    assert listing["args"][:2] == ["issue", "list"] and label["args"][:3] == [
        "label",
        "create",
        "gitsync-drift",
    ]
    assert create["args"][:2] == ["issue", "create"] and "gitsync-drift" in create["args"]
    assert create["files"] == {"plan.md": (run.root / "plan.md").read_text()}


def test_drift_updates_the_open_issue(tmp_path: Path) -> None:
    run = prepared(tmp_path, "plan", "2", gh_output="31")
    result = run.run_step(step_named(DRIFT, "Open, update or close the drift issue"), "bash", {})
    assert result.code == 0, result.output
    assert [call["args"][:3] for call in run.gh_calls()] == [
        ["issue", "list", "--label"],
        ["issue", "edit", "31"],
    ]
    assert run.gh_calls()[1]["files"] == {"plan.md": (run.root / "plan.md").read_text()}


def test_drift_in_sync_without_an_issue_does_nothing(tmp_path: Path) -> None:
    run = prepared(tmp_path, "plan", "0")
    result = run.run_step(step_named(DRIFT, "Open, update or close the drift issue"), "bash", {})
    assert result.code == 0, result.output
    assert [call["args"][:2] for call in run.gh_calls()] == [["issue", "list"]]
