"""Saved plans: the JSON document of SPEC §3.1 on disk, written atomically and read back with clear errors.

A saved plan is what a reviewer approved; ``apply --plan`` must never act on a half-written or foreign file,
so writes go through a temporary file and ``os.replace``, and reads check the format version. Reads and
writes touch regular files only (gitsync.files): a FIFO, device or folder is refused, never read or replaced.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gitsync.errors import PlanFileError
from gitsync.files import FileRefusedError, read_regular, write_atomic
from gitsync.plan.model import Change, Plan
from gitsync.plan.secured import marking_problem

MAX_PLAN_BYTES = 256 * 1024 * 1024
"""A plan of 10,000 Deployments is a few MiB; a bigger file (or /dev/zero) is not a plan."""
MAX_PLAN_DEPTH = 64
"""gitsync writes about 12 levels (plan, change, request body, configurations, entries)."""
PLAN_FILE_MODE = 0o600
"""Owner only: a plan names projects, keys and configuration values (never secrets, but still private)."""


def save_plan(plan: Plan, path: Path) -> None:
    """Write ``plan.to_dict()`` to ``path`` atomically (temporary file, then replace), mode 0o600.

    ``path`` may be new, a regular file, or a symlink to one (written through: the link stays); a device,
    FIFO, directory or broken symlink is refused, never replaced (gitsync.files).
    """
    text = json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n"
    try:
        write_atomic(path, text, mode=PLAN_FILE_MODE, follow_symlinks=True)
    except FileRefusedError as exc:
        raise PlanFileError(f"cannot write the plan to {path}: {exc.strerror}") from exc
    except OSError as exc:
        raise PlanFileError(f"cannot write the plan to {path}: {exc.strerror}; check the path") from exc


def load_plan(path: Path) -> Plan:
    """Read a saved plan; every problem is a ``PlanFileError`` naming the file and what to do."""
    data = _read_json(path)
    if not isinstance(data, dict):
        raise PlanFileError(f"{path}: not a gitsync plan (a JSON object was expected); {_AGAIN}")
    try:
        plan = Plan.from_dict(data)
    except PlanFileError as exc:
        raise PlanFileError(f"{path}: {exc}") from exc
    # a hand-edited plan can hold any JSON shape: turn what the model trips on into one clear error
    except (AttributeError, KeyError, TypeError, ValueError, OverflowError) as exc:  # int(Infinity): Overflow
        raise PlanFileError(f"{path}: the plan file is damaged ({_damage(exc)}); {_AGAIN}") from exc
    wrong = _first_wrong_field(plan)
    if wrong is not None:
        raise PlanFileError(f"{path}: the plan file is damaged ({wrong} is not text); {_AGAIN}")
    marking = _first_wrong_marking(plan)
    if marking is not None:
        raise PlanFileError(f"{path}: the plan file is damaged ({marking}); {_AGAIN}")
    return plan


_AGAIN = "run `gitsync plan --out FILE` again"


def _damage(exc: Exception) -> str:
    """What a hand edit broke, in a user's words rather than Python's."""
    if isinstance(exc, KeyError):
        return f"the field {exc.args[0]!r} is missing"
    return "a field holds the wrong kind of value (a list, object, number or text where another belongs)"


def _read_json(path: Path) -> Any:
    try:
        text = read_regular(path, MAX_PLAN_BYTES).decode("utf-8")
    except FileNotFoundError as exc:
        raise PlanFileError(f"{path}: no such plan file; create it with `gitsync plan --out {path}`") from exc
    except UnicodeDecodeError as exc:
        raise PlanFileError(f"{path}: not a gitsync plan (not UTF-8 text); {_AGAIN}") from exc
    except OSError as exc:  # also a FIFO, a device or a folder (FileRefusedError): refused, never read
        raise PlanFileError(f"{path}: cannot read the plan file: {exc.strerror}; check the path") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFileError(
            f"{path}:{exc.lineno}:{exc.colno}: the plan file is not valid JSON ({exc.msg}); {_AGAIN}"
        ) from exc
    except ValueError as exc:  # an integer of over 4,300 digits
        raise PlanFileError(f"{path}: not a gitsync plan (a number is too long); {_AGAIN}") from exc
    except RecursionError as exc:  # json recurses once per nesting level
        raise PlanFileError(f"{path}: not a gitsync plan (JSON nested too deep); {_AGAIN}") from exc
    if _deeper_than(data, MAX_PLAN_DEPTH):  # renderers recurse into values: keep them far from the limit
        raise PlanFileError(
            f"{path}: not a gitsync plan (JSON nested over {MAX_PLAN_DEPTH} levels); {_AGAIN}"
        )
    return data


def _deeper_than(data: Any, limit: int) -> bool:
    """True when ``data`` nests more than ``limit`` levels (walked without recursion)."""
    level: list[Any] = [data]
    for _ in range(limit + 1):
        level = [
            child
            for node in level
            if isinstance(node, dict | list)
            for child in (node.values() if isinstance(node, dict) else node)
        ]
        if not level:
            return False
    return True


def _first_wrong_field(plan: Plan) -> str | None:
    """The first field that should be text but is not (renderers and apply rely on it), or None."""
    if not isinstance(plan.created_at, str):
        return "createdAt"
    for target in plan.targets:
        if not all(isinstance(value, str) for value in (target.name, target.project_key, target.region)):
            return f"target {target.name!r}"
    for change in plan.changes:
        wrong = _wrong_in_change(change)
        if wrong is not None:
            return f"{wrong} of deployment {change.key!r}"
    return None


def _first_wrong_marking(plan: Plan) -> str | None:
    """The first request whose secured-value marking does not fit its body (apply would send wrongly)."""
    for change in plan.changes:
        for name, request in (("request", change.request), ("deleteRequest", change.delete_request)):
            wrong = marking_problem(request) if request is not None else None
            if wrong is not None:
                return f"{name} of deployment {change.key!r}: {wrong}"
    return None


def _wrong_in_change(change: Change) -> str | None:
    required: dict[str, object] = {"target": change.target, "key": change.key}
    optional: dict[str, object] = {
        "source": change.source,
        "error": change.error,
        "manifestDigest": change.manifest_digest,
    }
    if change.live is not None:
        required.update({"live.id": change.live.id, "live.status": change.live.status})
    for name, request in (("request", change.request), ("deleteRequest", change.delete_request)):
        if request is not None:
            required.update({f"{name}.method": request.method, f"{name}.path": request.path})
    for index, reason in enumerate(change.reasons):
        required[f"reasons[{index}].path"] = reason.path
        optional[f"reasons[{index}].note"] = reason.note
    wrong = [name for name, value in required.items() if not isinstance(value, str)]
    wrong += [name for name, value in optional.items() if value is not None and not isinstance(value, str)]
    return wrong[0] if wrong else None
