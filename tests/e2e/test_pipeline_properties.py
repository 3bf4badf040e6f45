"""Properties of the whole pipeline (issue 13 item 4) for random desired and live states within the model.

Each example: an emulator on loopback (real clock, short deploy time) seeded with a random live state made
of the seed connectors' Deployments, a repository with random manifests for some of the same keys, and the
CLI run in this process (``gitsync.cli.run``). Then:

- every plan has exactly one action per (target, key), for the union of desired and live keys;
- no secured value and not the client secret (canaries) in any rendered plan (text, json, markdown), the
  saved plan, the dry-run output, or the apply report (text or json);
- ``apply`` then ``plan`` is all ``noop``, in both emulator redeploy modes. Under ``merge`` a key that is
  live but no longer desired and has no connector default cannot be removed by a redeploy: the plan must be
  an ``error`` naming ``--replace`` for exactly the Deployments the model predicts, nothing is sent, and
  ``apply --replace KEY`` for those converges.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

from apply_e2e_support import live_emulator
from e2e_support import ADYEN, OTHER, write_repo
from hypothesis import given, settings
from hypothesis import strategies as st

from gitsync.cli import run

PROJECT = "acme"
TARGET = "t"
REGION = "europe-west1.gcp"
CANARIES = {
    "ADYEN_API_KEY": "canary-api-Zq81-never-print",
    "HMAC_KEY": "canary-hmac-Pw22-never-print",
    "SHARED": "canary-shared-Lk93-never-print",
    "CTP_CLIENT_SECRET": "canary-client-Xv47-never-print",
}
SECURED_VARIABLE = {"ADYEN_API_KEY": "ADYEN_API_KEY", "HMAC_KEY": "HMAC_KEY", "SHARED_SECRET": "SHARED"}
SCHEDULES = ("*/5 * * * *", "0 1 * * *", "15 3 * * 1-5")
KEYS = ("pay-a", "pay-b", "pay-c", "wk-a", "wk-b")
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20) | st.sampled_from(
    ["${A}", "$${", "${", "true", "~", "- x", "# y", "ünïcødé ✓", "a\nb"]
)
SETTINGS = settings(max_examples=5, deadline=None)


def _defaults(connector: Mapping[str, Any]) -> set[tuple[str, str, str]]:
    """(application or "", section, key) of every key with a connector default: merge resets those."""
    found = set()
    sections = [(c["applicationName"], c) for c in connector["configurations"]]
    sections.append(("", connector["globalConfiguration"]))
    for app, section in sections:
        for kind in ("standardConfiguration", "securedConfiguration"):
            found |= {(app, kind, e["key"]) for e in section.get(kind, []) if "default" in e}
    return found


DEFAULTS = {"adyen": _defaults(ADYEN), "other": _defaults(OTHER)}


@dataclass(frozen=True)
class State:
    """One Deployment's values in the model: connector, type, and (app or "", section, key) → value."""

    connector: str
    type: str | None
    values: Mapping[tuple[str, str, str], str]
    schedule: str | None


@st.composite
def states(draw: st.DrawFn, key: str) -> State:
    """Values within the connector's rules: required keys always, optional ones at random."""
    std, sec = "standardConfiguration", "securedConfiguration"
    values: dict[tuple[str, str, str], str] = {}
    schedule = None
    if key.startswith("wk"):
        if draw(st.booleans()):
            values[("worker", std, "MODE")] = draw(TEXT)
        return State("other", draw(st.sampled_from([None, "sandbox", "production"])), values, None)
    values[("processor", std, "MERCHANT")] = draw(TEXT.filter(bool))  # required: the API refuses ""
    values[("processor", sec, "ADYEN_API_KEY")] = "secured"
    optional = [("processor", std, "ADYEN_ENV"), ("processor", sec, "HMAC_KEY"), ("", std, "LOG_LEVEL")]
    optional += [("", sec, "SHARED_SECRET"), ("sync", std, "BATCH")]
    for place in draw(st.lists(st.sampled_from(optional), unique=True)):
        values[place] = "secured" if place[1] == sec else draw(TEXT)
    if draw(st.booleans()):
        schedule = draw(st.sampled_from(SCHEDULES))
    return State("adyen", draw(st.sampled_from([None, "sandbox", "production"])), values, schedule)


@st.composite
def worlds(draw: st.DrawFn) -> tuple[dict[str, State], dict[str, State]]:
    """(desired, live): random subsets of the keys, each with its own random values."""
    desired = {k: draw(states(k)) for k in draw(st.lists(st.sampled_from(KEYS), unique=True, min_size=1))}
    live = {k: draw(states(k)) for k in draw(st.lists(st.sampled_from(KEYS), unique=True))}
    return desired, live


def _escape(text: str) -> str:
    """A literal value in a manifest: ``${`` written as ``$${``."""
    return text.replace("${", "$${")


def _sections(state: State, secured: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    apps: dict[str, dict[str, Any]] = {}
    glob: dict[str, Any] = {"standardConfiguration": [], "securedConfiguration": []}
    first = "processor" if state.connector == "adyen" else "worker"
    apps[first] = {"applicationName": first, "standardConfiguration": [], "securedConfiguration": []}
    if state.schedule is not None or any(app == "sync" for app, _, _ in state.values):
        apps["sync"] = {"applicationName": "sync", "standardConfiguration": [], "securedConfiguration": []}
        if state.schedule is not None:
            apps["sync"]["schedule"] = state.schedule
    for (app, kind, key), value in sorted(state.values.items()):
        entry = {"key": key, "value": secured(key) if kind == "securedConfiguration" else value}
        (apps[app] if app else glob)[kind].append(entry)
    return list(apps.values()), glob


def _manifest(key: str, state: State) -> dict[str, Any]:
    apps, glob = _sections(state, lambda name: "${" + SECURED_VARIABLE[name] + "}")
    for section in [*apps, glob]:
        for entry in section["standardConfiguration"]:
            entry["value"] = _escape(entry["value"])
    document: dict[str, Any] = {"key": key, "connector": {"key": state.connector}, "region": REGION}
    if state.type is not None:
        document["type"] = state.type
    document["configurations"] = apps
    if glob["standardConfiguration"] or glob["securedConfiguration"]:
        document["globalConfiguration"] = glob
    return document


def _seed(key: str, state: State) -> dict[str, Any]:
    apps, glob = _sections(state, lambda name: "live-secured-value")
    draft: dict[str, Any] = {"key": key, "connector": {"key": state.connector}, "region": REGION}
    if state.type is not None:
        draft["type"] = state.type
    draft["configurations"] = apps
    if glob["standardConfiguration"] or glob["securedConfiguration"]:
        draft["globalConfiguration"] = glob
    return {"projectKey": PROJECT, "status": "Deployed", "draft": draft}


def merge_blocked(desired: Mapping[str, State], live: Mapping[str, State]) -> set[str]:
    """Keys whose plan must be an error now or (under merge) after the redeploy it rides: a live key, no
    longer desired, with no connector default."""
    blocked = set()
    for key, want in desired.items():
        have = live.get(key)
        if have is None or have.connector != want.connector:
            continue
        removed = set(have.values) - set(want.values)
        if not any(app == "" for app, _, _ in want.values):
            # no globalConfiguration in the manifest: not managed, the redeploy leaves it as it is
            removed = {place for place in removed if place[0] != ""}
        if removed - DEFAULTS[want.connector]:
            blocked.add(key)
    return blocked


@dataclass
class Cli:
    root: Path

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run([*argv, "--config", str(self.root / "gitsync.yaml")])
        assert "Traceback" not in err.getvalue(), err.getvalue()
        return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def world(mode: str, desired: Mapping[str, State], live: Mapping[str, State]) -> Iterator[Cli]:
    seed = {"connectors": [ADYEN, OTHER], "deployments": [_seed(k, s) for k, s in live.items()]}
    env = {**CANARIES, "NO_COLOR": "1"}
    with (
        live_emulator(seed, redeploy_mode=mode) as emulator,
        tempfile.TemporaryDirectory() as tmp,
        mock.patch.dict(os.environ, env),
    ):
        manifests = {f"{TARGET}/{k}.yaml": _manifest(k, s) for k, s in desired.items()}
        root = write_repo(
            Path(tmp), emulator.url, {TARGET: {"projectKey": PROJECT, "prune": True}}, manifests
        )
        yield Cli(root)


def assert_no_canary(*texts: str) -> None:
    for text in texts:
        for name, canary in CANARIES.items():
            assert canary not in text, f"{name}'s value leaked"


def assert_one_action_per_key(plan: Mapping[str, Any], keys: set[str]) -> None:
    seen = [(change["target"], change["key"]) for change in plan["changes"]]
    assert len(seen) == len(set(seen)), seen
    assert set(seen) == {(TARGET, key) for key in keys}


def _not_noop(plan: Mapping[str, Any]) -> list[Any]:
    return [
        (c["key"], c["action"], c.get("reasons"), c.get("error"))
        for c in plan["changes"]
        if c["action"] != "noop"
    ]


def plan_everywhere(cli: Cli, keys: set[str]) -> dict[str, Any]:
    """The plan in every format and saved; all free of canaries, one action per key. Returns the json."""
    code, out, err = cli("plan", "--format", "json", "--out", str(cli.root / "saved.json"))
    plan: dict[str, Any] = json.loads(out)
    assert code in (0, 1), err
    assert_one_action_per_key(plan, keys)
    saved = (cli.root / "saved.json").read_text()
    assert_one_action_per_key(json.loads(saved), keys)
    texts = [out, err, saved]
    for fmt in ("text", "markdown"):
        texts.extend(cli("plan", "--format", fmt)[1:])
    texts.extend(cli("apply", "--dry-run")[1:])
    assert_no_canary(*texts)
    return plan


def _errors(plan: Mapping[str, Any]) -> dict[str, str]:
    errors = {c["key"]: c["error"] for c in plan["changes"] if c["action"] == "error"}
    for key, error in errors.items():
        assert "set live but not in the manifest" in error and f"--replace {key}" in error, error
    return errors


def apply_ok(cli: Cli, fmt: str, errors: Mapping[str, str]) -> None:
    """apply; when the plan has (removed-key) errors: refused with nothing sent, then with --replace."""
    code, out, err = cli("apply", "--yes", "--format", fmt, "--timeout", "1m")
    assert_no_canary(out, err)
    if errors:
        assert code == 1 and "nothing was sent" in err, out + err
        replace = [arg for key in sorted(errors) for arg in ("--replace", key)]
        code, out, err = cli("apply", "--yes", "--format", fmt, "--timeout", "1m", *replace)
        assert_no_canary(out, err)
    assert code == 0, out + err


def assert_converges(mode: str, desired: dict[str, State], live: dict[str, State], fmt: str) -> None:
    with world(mode, desired, live) as cli:
        plan = plan_everywhere(cli, set(desired) | set(live))
        replaced = {c["key"] for c in plan["changes"] if c["action"] == "replace"}
        blocked = merge_blocked(desired, live) - replaced
        first = _errors(plan)
        assert set(first) <= blocked, first
        apply_ok(cli, fmt, first)
        code, out, err = cli("plan", "--format", "json", "--detailed-exitcode")
        after = json.loads(out)
        assert_one_action_per_key(after, set(desired))
        second = _errors(after)
        # a removed key that rode along a real redeploy: gone under replace, still live under merge
        assert set(second) == (blocked - set(first) if mode == "merge" else set()), second
        if second:
            apply_ok(cli, fmt, second)
            code, out, err = cli("plan", "--format", "json", "--detailed-exitcode")
            after = json.loads(out)
        assert (code, _not_noop(after)) == (0, []), err


# the report's two formats: one per redeploy mode, so each property run covers both with real content
@SETTINGS
@given(worlds())
def test_apply_then_plan_is_noop_under_replace(world_: tuple[dict[str, State], dict[str, State]]) -> None:
    assert_converges("replace", *world_, "text")


@SETTINGS
@given(worlds())
def test_apply_then_plan_is_noop_under_merge(world_: tuple[dict[str, State], dict[str, State]]) -> None:
    assert_converges("merge", *world_, "json")
