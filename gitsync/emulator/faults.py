"""Faults on demand: random ones from ``error_rate`` (seeded, so runs repeat) and targeted ones for tests."""

from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import dataclass
from typing import Any

from gitsync.emulator.errors import ApiError, error, invalid_json

JSON = dict[str, Any]

RANDOM_STATUSES = (429, 502, 503)
FAULT_CODES = {
    429: "TooManyRequests",
    500: "General",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}


@dataclass
class Fault:
    """One targeted fault: answer ``status`` to matching requests, ``times`` times (0 = forever)."""

    method: str
    path: str
    status: int
    times: int = 1
    after: bool = False  # perform the action, then answer the error: the "outcome unknown" case
    retry_after: int | None = None
    delay: float = 0.0

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and (self.path == path or fnmatch.fnmatchcase(path, self.path))

    def error(self) -> ApiError:
        """The answer this fault gives."""
        retry_after = (
            self.retry_after if self.retry_after is not None else (1 if self.status == 429 else None)
        )
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        code = FAULT_CODES.get(self.status, "General")
        return ApiError(
            self.status, [error(code, f"Injected fault: {code} ({self.status}).")], headers=headers
        )


def parse_fault(raw: Any) -> Fault:
    """A fault from ``POST /_emulator/faults``; InvalidJsonInput names what is wrong."""
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("path"), str)
        or not isinstance(raw.get("status"), int)
    ):
        raise invalid_json("each fault needs a string 'path' and an integer 'status'")
    unknown = set(raw) - {"method", "path", "status", "times", "after", "retryAfter", "delay"}
    if unknown:
        raise invalid_json(f"unknown fault field(s): {', '.join(sorted(unknown))}")
    return Fault(
        method=str(raw.get("method", "*")).upper(),
        path=raw["path"],
        status=raw["status"],
        times=int(raw.get("times", 1)),
        after=bool(raw.get("after", False)),
        retry_after=raw.get("retryAfter"),
        delay=float(raw.get("delay", 0.0)),
    )


class FaultBook:
    """Targeted faults plus the seeded random ones; thread-safe."""

    def __init__(self, error_rate: float, random_seed: int | None) -> None:
        self.error_rate, self.random_seed = error_rate, random_seed
        self._faults: list[Fault] = []
        self._random = random.Random(random_seed)
        self._lock = threading.Lock()

    def add(self, faults: list[Fault]) -> None:
        with self._lock:
            self._faults.extend(faults)

    def reset(self) -> None:
        """No targeted faults, and the random sequence starts over."""
        with self._lock:
            self._faults.clear()
            self._random = random.Random(self.random_seed)

    def pending(self) -> list[JSON]:
        with self._lock:
            return [dict(vars(f)) for f in self._faults]

    def take(self, method: str, path: str, *, random_ok: bool) -> Fault | None:
        """The fault this request meets, if any; a targeted fault is used up one time."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    if fault.times > 0:
                        fault.times -= 1
                        if fault.times == 0:
                            self._faults.remove(fault)
                    return fault
            if random_ok and self.error_rate > 0 and self._random.random() < self.error_rate:
                return Fault(method, path, self._random.choice(RANDOM_STATUSES))
        return None
