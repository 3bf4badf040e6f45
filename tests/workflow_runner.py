"""A small runner of GitHub Actions jobs for tests: each `run:` step's script exactly as the YAML has it,
under the shell GitHub would use, with the environment GitHub would give it.

What it does not do is call GitHub: `gh` is a fake on PATH that records its arguments (and the files it is
asked to send) and prints canned output, `pip` is a fake that records what it is asked to install, and the
steps GitHub's own actions perform are checked, not run (checkout: the repository is already the working
directory; upload-artifact: the file it keeps must exist). `${{ … }}` expressions are replaced from a table
the test passes; one the table does not know fails the test, so a new expression in a workflow is noticed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / "examples" / "ci" / "github"
ACTION = ROOT / "action.yml"
# how the workflows name this repository's composite action (action.yml at the root)
GITSYNC_ACTION = re.compile(r"^<owner>/gitsync@v\d+\.\d+\.\d+$")
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}", re.S)
STEP_OUTPUT = re.compile(r"^steps\.([\w-]+)\.outputs\.([\w-]+)$")
# GitHub's shells (docs: "jobs.<job_id>.steps[*].shell"); {0} is the script file
SHELLS = {None: ["bash", "-e", "{0}"], "bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail", "{0}"]}

FAKE_GH = """#!{python}
import json, os, sys
args = sys.argv[1:]
files = {{}}
for i, arg in enumerate(args):
    if "=@" in arg:
        files[arg.split("=@", 1)[1]] = open(arg.split("=@", 1)[1]).read()
    if arg == "--body-file":
        files[args[i + 1]] = open(args[i + 1]).read()
with open(os.environ["FAKE_GH_LOG"], "a") as log:
    log.write(json.dumps({{"args": args, "files": files, "token": os.environ.get("GH_TOKEN")}}) + "\\n")
reads = (args[:1] == ["api"] and "--method" not in args) or args[:2] == ["issue", "list"]
if reads:
    print(os.environ.get("FAKE_GH_OUTPUT", ""))
"""
FAKE_PIP = """#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_PIP_LOG"
"""
GITSYNC = """#!/bin/sh
exec {python} -m gitsync "$@"
"""


def load(path: Path) -> dict[str, Any]:
    """A workflow or action file as data; PyYAML reads the key `on` as True, so it is put back as "on"."""
    data: dict[Any, Any] = yaml.safe_load(path.read_text())
    if True in data:
        data["on"] = data.pop(True)
    return data


def expressions(node: Any) -> Iterator[str]:
    """Every `${{ … }}` expression anywhere in a workflow (keys and values)."""
    if isinstance(node, str):
        yield from (match.group(1) for match in EXPRESSION.finditer(node))
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from expressions(key)
            yield from expressions(value)
    elif isinstance(node, list):
        for item in node:
            yield from expressions(item)


def run_commands(step: Mapping[str, Any]) -> str:
    return str(step.get("run", ""))


@dataclass
class StepResult:
    """One step that ran: its name, exit code, output and the outputs it wrote to $GITHUB_OUTPUT."""

    name: str
    code: int
    output: str
    outputs: dict[str, str]


Condition = Callable[["Runner"], bool]


@dataclass
class Runner:
    """Runs the steps of one job in ``root`` (the user's repository) with a table of expression values."""

    root: Path
    table: dict[str, str]
    conditions: Mapping[str, Condition]
    env: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    results: list[StepResult] = field(default_factory=list)

    def __post_init__(self) -> None:
        # the runner's own files (next to the repository, one folder per runner: a job per runner)
        self.work = Path(tempfile.mkdtemp(prefix="runner-", dir=self.root.parent))
        self.bin = self.work / "bin"
        self.bin.mkdir()
        self.gh_log = self.work / "gh.jsonl"
        self.pip_log = self.work / "pip.log"
        self.summary = self.work / "step-summary.md"
        self.summary.write_text("")  # GitHub gives every step an existing, empty summary file
        for name, text in {"gh": FAKE_GH, "pip": FAKE_PIP, "gitsync": GITSYNC}.items():
            (self.bin / name).write_text(text.format(python=sys.executable))
            (self.bin / name).chmod(0o755)

    # --- expressions -------------------------------------------------------------------------

    def value(self, expression: str) -> str:
        """The value of one expression: from the table, or a step output written earlier (else '')."""
        if expression in self.table:
            return self.table[expression]
        match = STEP_OUTPUT.match(expression)
        if match:
            return self.outputs.get(match.group(1), {}).get(match.group(2), "")
        raise AssertionError(f"the test does not know the expression {expression!r}; add it to its table")

    def substitute(self, text: str) -> str:
        return EXPRESSION.sub(lambda match: self.value(match.group(1)), text)

    def condition(self, text: str) -> bool:
        key = EXPRESSION.sub(lambda match: match.group(1), text).strip()
        assert key in self.conditions, f"the test does not know the condition {key!r}; add it to its table"
        return self.conditions[key](self)

    # --- running -----------------------------------------------------------------------------

    def run_job(self, workflow: Mapping[str, Any], job: str) -> list[StepResult]:
        """Every step of ``job`` in order, as GitHub would, until one fails (then the rest is skipped
        unless its `if:` says to run anyway)."""
        spec = workflow["jobs"][job]
        shell = workflow.get("defaults", {}).get("run", {}).get("shell")
        env = {**workflow.get("env", {}), **spec.get("env", {})}
        failed = False
        for step in spec["steps"]:
            if "if" in step:
                if not self.condition(str(step["if"])):
                    continue
            elif failed:
                continue
            result = self.run_step(step, shell, env)
            failed = failed or result.code != 0
        return self.results

    def run_step(self, step: Mapping[str, Any], shell: str | None, env: Mapping[str, Any]) -> StepResult:
        uses = str(step.get("uses", ""))
        if GITSYNC_ACTION.match(uses):
            return self.record(self.run_action())
        if uses.startswith("actions/checkout@"):
            return self.record(StepResult("checkout", 0, "", {}))
        if uses.startswith("actions/upload-artifact@"):
            kept = self.root / str(step["with"]["path"])
            return self.record(StepResult(f"upload {kept.name}", 0 if kept.is_file() else 1, "", {}))
        assert "run" in step, f"the test does not know how to run the step {step!r}"
        return self.record(self.run_script(step, step.get("shell", shell), {**env, **step.get("env", {})}))

    def run_action(self) -> StepResult:
        """The composite action at the repository root: its `run:` steps (setup-python is GitHub's)."""
        output = ""
        for step in load(ACTION)["runs"]["steps"]:
            if str(step.get("uses", "")).startswith("actions/setup-python@"):
                continue
            result = self.run_script(step, step["shell"], {"GITHUB_ACTION_PATH": str(ROOT)})
            output += result.output
            if result.code != 0:
                return StepResult("gitsync action", result.code, output, {})
        return StepResult("gitsync action", 0, output, {})

    def run_script(self, step: Mapping[str, Any], shell: str | None, env: Mapping[str, Any]) -> StepResult:
        script = self.work / "step.sh"
        script.write_text(self.substitute(run_commands(step)))
        output_file = self.work / "github-output"
        output_file.write_text("")
        full_env = {**self.base_env(output_file), **{k: self.substitute(str(v)) for k, v in env.items()}}
        argv = [part.replace("{0}", str(script)) for part in SHELLS[shell]]
        done = subprocess.run(
            argv, cwd=self.root, env=full_env, capture_output=True, text=True, timeout=180, check=False
        )
        outputs = dict(line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line)
        if "id" in step:
            self.outputs[str(step["id"])] = outputs
        name = str(step.get("name", step.get("id", "run")))
        return StepResult(name, done.returncode, done.stdout + done.stderr, outputs)

    def base_env(self, output_file: Path) -> dict[str, str]:
        """What the runner gives every step: PATH (fakes first), GitHub's variables, the fakes' files."""
        return {
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(self.work),
            "LANG": "C.UTF-8",
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "FAKE_GH_LOG": str(self.gh_log),
            "FAKE_PIP_LOG": str(self.pip_log),
            **self.env,
        }

    def record(self, result: StepResult) -> StepResult:
        self.results.append(result)
        return result

    # --- what happened -----------------------------------------------------------------------

    def step(self, name: str) -> StepResult:
        return next(result for result in self.results if result.name == name)

    def gh_calls(self) -> list[dict[str, Any]]:
        if not self.gh_log.exists():
            return []
        return [json.loads(line) for line in self.gh_log.read_text().splitlines()]
