"""Secured values are marked in planned requests, round-trip through saved plans, and a damaged marking is
a plan-file error (exit 1), never an internal error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from plan_builders import CONNECTOR, desired, live

from gitsync.errors import PlanFileError
from gitsync.manifest.model import ConfigurationSet, Position
from gitsync.plan.model import FORMAT_VERSION, Change, Plan, Request, SecretRef, TargetInfo
from gitsync.plan.requests import create_request, redeploy_request
from gitsync.plan.saved import load_plan, save_plan
from gitsync.plan.secured import marking_problem, pointer, value_at, with_values
from gitsync.secret import Secret

AT = Position("deployments/pay.yaml", 12, 16)


def marked_desired() -> Any:
    glob = ConfigurationSet(
        standard={"LOG": "${NOT_A_SECRET}"},  # a standard value written $${NOT_A_SECRET}
        secured={"SHARED": Secret("${SHARED}", "")},
        secured_at={"SHARED": AT},
    )
    return desired(glob=glob)


def test_create_marks_every_secured_value_and_only_those() -> None:
    request = create_request("acme", marked_desired(), CONNECTOR)
    fallback = ("deployments/pay.yaml", 1, 1)  # built without a position: the manifest's start
    assert [(ref.pointer, ref.name, ref.file, ref.line, ref.col) for ref in request.secrets] == [
        ("/configurations/0/securedConfiguration/0/value", "API_KEY", *fallback),
        ("/globalConfiguration/securedConfiguration/0/value", "SHARED", "deployments/pay.yaml", 12, 16),
    ]
    assert request.body is not None and request.body["globalConfiguration"]["standardConfiguration"] == [
        {"key": "LOG", "value": "${NOT_A_SECRET}"}
    ]
    assert marking_problem(request) is None


def test_redeploy_marks_inside_the_action() -> None:
    request = redeploy_request("acme", marked_desired(), live(), CONNECTOR, update_connector=False)
    assert [ref.pointer for ref in request.secrets] == [
        "/actions/0/configurationValues/0/securedConfiguration/0/value",
        "/actions/0/globalConfiguration/securedConfiguration/0/value",
    ]
    assert marking_problem(request) is None


def test_pointers_escape_and_values_land_only_at_their_place() -> None:
    body = {"a/b": [{"~": "x"}], "other": "${X}"}
    place = pointer("a/b", 0, "~")
    assert place == "/a~1b/0/~0"
    assert value_at(body, place) == "x"
    assert with_values(body, {place: "y"}) == {"a/b": [{"~": "y"}], "other": "${X}"}
    assert body["a/b"] == [{"~": "x"}]  # a copy: the plan's body stays as planned
    with pytest.raises(KeyError):
        value_at(body, "/a~1b/1")


def saved_plan(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    request = create_request("acme", marked_desired(), CONNECTOR)
    change = Change("staging", "pay", "create", "deployments/pay.yaml", request=request)
    plan = Plan((TargetInfo("staging", "acme", "europe-west1.gcp"),), (change,))
    path = tmp_path / "plan.json"
    save_plan(plan, path)
    loaded = load_plan(path)
    assert loaded == plan and loaded.checksum() == plan.checksum()
    return path, json.loads(path.read_text())


def test_the_marking_round_trips_and_counts_in_the_checksum(tmp_path: Path) -> None:
    path, data = saved_plan(tmp_path)
    assert data["formatVersion"] == FORMAT_VERSION == 2
    assert data["changes"][0]["request"]["secrets"][1] == {
        "pointer": "/globalConfiguration/securedConfiguration/0/value",
        "name": "SHARED",
        "file": "deployments/pay.yaml",
        "line": 12,
        "col": 16,
    }
    before = load_plan(path).checksum()
    data["changes"][0]["request"]["secrets"][1]["line"] = 13
    path.write_text(json.dumps(data))
    assert load_plan(path).checksum() != before


def _set(field: str, value: Any, index: int = 0) -> Callable[[dict[str, Any]], None]:
    def edit(request: dict[str, Any]) -> None:
        request["secrets"][index][field] = value

    return edit


def _body(place: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(request: dict[str, Any]) -> None:
        parent, _, last = place.rpartition("/")
        holder = value_at(request["body"], parent)
        holder[int(last) if isinstance(holder, list) else last] = value

    return edit


SECURED_0 = "/configurations/0/securedConfiguration/0/value"
DAMAGED_MARKINGS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "marking removed": (lambda r: r.pop("secrets"), f"the secured value at {SECURED_0} is not marked"),
    "one entry removed": (lambda r: r["secrets"].pop(0), f"the secured value at {SECURED_0} is not marked"),
    "marked twice": (lambda r: r["secrets"].append(r["secrets"][0]), "marked twice"),
    "a standard value marked": (
        _set("pointer", "/configurations/0/standardConfiguration/0/value"),
        "not a securedConfiguration value",
    ),
    "a pointer to nowhere": (_set("pointer", "/nowhere/0"), "not a securedConfiguration value"),
    "another variable than the body": (_set("name", "OTHER"), "is not \\$\\{OTHER\\}"),
    "a body edited under the marking": (_body(SECURED_0, "${OTHER}"), "is not \\$\\{API_KEY\\}"),
    "a literal where a reference was": (_body(SECURED_0, "hunter2"), "is not \\$\\{API_KEY\\}"),
    "a name that is no variable": (_set("name", "A B"), "is not a variable name"),
    "a line as text": (_set("line", "12"), "not a whole number"),
    "a col that is true": (_set("col", True), "not a whole number"),
    "a pointer as a number": (_set("pointer", 5), "not text"),
    "secrets as text": (lambda r: r.update(secrets="x"), "wrong kind of value"),
    "secrets as null": (lambda r: r.update(secrets=None), "wrong kind of value"),
    "an entry without a name": (lambda r: r["secrets"][0].pop("name"), "the field 'name' is missing"),
}


@pytest.mark.parametrize("case", sorted(DAMAGED_MARKINGS))
def test_a_damaged_marking_is_a_plan_file_error(case: str, tmp_path: Path) -> None:
    edit, message = DAMAGED_MARKINGS[case]
    path, data = saved_plan(tmp_path)
    edit(data["changes"][0]["request"])
    path.write_text(json.dumps(data))
    with pytest.raises(PlanFileError, match=message) as caught:
        load_plan(path)
    assert str(caught.value).startswith(f"{path}: the plan file is damaged (")
    assert "hunter2" not in str(caught.value)


def test_a_marking_without_a_secured_value_is_refused() -> None:
    request = Request("POST", "/acme/deployments", {"key": "a"}, (SecretRef("/key", "A", "f", 1, 1),))
    assert marking_problem(request) == "secret 'A' marks '/key', which is not a securedConfiguration value"


def test_show_exits_1_on_a_damaged_marking_and_on_a_format_1_plan(tmp_path: Path) -> None:
    path, data = saved_plan(tmp_path)
    data["changes"][0]["request"]["secrets"][0]["pointer"] = "/key"
    path.write_text(json.dumps(data))
    env = {**os.environ, "NO_COLOR": "1"}
    command = [sys.executable, "-m", "gitsync", "show", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env, check=False)
    assert (result.returncode, result.stdout) == (1, "")
    assert (
        "the plan file is damaged (request of deployment 'pay': secret 'API_KEY' marks '/key'"
        in result.stderr
    )
    data["formatVersion"] = 1
    path.write_text(json.dumps(data))
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env, check=False)
    assert result.returncode == 1
    assert "formatVersion 1, this gitsync reads 2; run `gitsync plan --out FILE` again" in result.stderr
    assert "Traceback" not in result.stderr
