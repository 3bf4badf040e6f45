"""Fuzz show: random JSON and mutated saved plans; a damaged plan is one clear error, never exit 4."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from fuzz_support import JSON, assert_handled, mutate, run_cli, scratch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render_builders import every_action_plan

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FORMATS = st.sampled_from(["text", "json", "markdown"])
SAVED = every_action_plan().to_dict()


def _show(text: str, fmt: str) -> tuple[int, str]:
    with scratch() as folder:
        (folder / "plan.json").write_text(text, encoding="utf-8", errors="surrogatepass")
        code, _, err = run_cli(["show", "--format", fmt, "plan.json"])
    return code, err


def _damaged(data: Any, draw: Any) -> Any:
    """``data`` with one random sub-tree replaced by random JSON (or a key dropped)."""
    if not isinstance(data, dict | list) or not data or draw(st.integers(0, 4)) == 0:
        return draw(JSON)
    keys = list(data) if isinstance(data, dict) else list(range(len(data)))
    key = draw(st.sampled_from(keys))
    copy = dict(data) if isinstance(data, dict) else list(data)
    if isinstance(copy, dict) and draw(st.integers(0, 5)) == 0:
        del copy[key]
        return copy
    copy[key] = _damaged(data[key], draw)
    return copy


@FAST
@given(JSON, FORMATS)
def test_random_json(value: Any, fmt: str) -> None:
    assert_handled(*_show(json.dumps(value), fmt))


@FAST
@given(st.data(), FORMATS)
def test_damaged_saved_plans(data: st.DataObject, fmt: str) -> None:
    assert_handled(*_show(json.dumps(_damaged(SAVED, data.draw)), fmt))


@FAST
@given(st.data(), FORMATS)
def test_mutated_saved_plan_text(data: st.DataObject, fmt: str) -> None:
    assert_handled(*_show(mutate(json.dumps(SAVED, indent=1), data), fmt))


@settings(max_examples=3, deadline=None)
@given(st.sampled_from([{**SAVED, "changes": "x"}, {**SAVED, "targets": [[]]}, [[[[[]]]]]]))
def test_the_real_process_answers_damaged_plans(value: Any) -> None:
    with scratch() as folder:
        (folder / "plan.json").write_text(json.dumps(value))
        command = [sys.executable, "-m", "gitsync", "show", "plan.json"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, cwd=folder)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: plan.json"), result.stderr
    assert "Traceback" not in result.stderr
