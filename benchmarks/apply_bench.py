"""Apply benchmark (SPEC §7): wall time and requests per Deployment of `gitsync apply`.

    python benchmarks/apply_bench.py [--creates 200] [--redeploys 1000] [--deploy-time 1.0] [--runs 3]
                                     [--concurrency 8] [--json]

Runs the emulator in this process on loopback (real time: a deploy takes ``--deploy-time`` seconds) and
`gitsync apply --yes --format json` as a subprocess, as CI would on merge to main. Two cases:

- **creates**: N manifests, no live Deployment: N creates, each waited for until ``Deployed``. Target:
  wall time under 3 × one deploy time (waiting is concurrent, calls are bounded by ``--concurrency``).
- **redeploys**: N live Deployments whose manifests changed one standard value: N redeploys, each waited for.

Reported per case (median of ``--runs``, a fresh emulator each run): the subprocess wall time and its parts
as the emulator saw them: start-up and reading manifests (until the first API request), planning (until the
first write), applying (first write to the last status read; "sending" is first to last write) and the
report (until the process ended); the ratio of the wall time and of the apply part to 3 × the deploy time;
and the API requests per Deployment from the emulator's stats, split into writes, status reads and the
plan's own reads (token, query pages, connectors). A run whose report is not every Deployment
``applied`` and ``Deployed``, or a plan afterwards that is not all noop, is a failed check (exit 1): the
wrong work was timed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import yaml

from gitsync.emulator import EmulatorApp, serve

PROJECT = "bench"
CONNECTOR: dict[str, Any] = {
    "key": "bench-connector",
    "version": 1,
    "name": "Bench",
    "configurations": [
        {
            "applicationName": "service",
            "applicationType": "service",
            "standardConfiguration": [{"key": "MODE", "description": "mode", "required": True}],
            "securedConfiguration": [{"key": "TOKEN", "description": "token"}],
        }
    ],
}
ENV = {"BENCH_TOKEN": "t0k3n", "BENCH_SECRET": "s3cr3t", "NO_COLOR": "1"}
CREATE_ROUTE = "POST /{projectKey}/deployments"
UPDATE_ROUTE = "POST /{projectKey}/deployments/key={key}"
READ_ROUTE = "GET /{projectKey}/deployments/key={key}"


def _draft(key: str, mode: str, token: str) -> dict[str, Any]:
    return {
        "key": key,
        "connector": {"key": CONNECTOR["key"]},
        "region": "europe-west1.gcp",
        "configurations": [
            {
                "applicationName": "service",
                "standardConfiguration": [{"key": "MODE", "value": mode}],
                "securedConfiguration": [{"key": "TOKEN", "value": token}],
            }
        ],
    }


def _keys(count: int) -> list[str]:
    return [f"dep-{index:05d}" for index in range(count)]


def _write_repo(root: Path, url: str, keys: list[str], mode: str) -> None:
    """gitsync.yaml with one target on the emulator, and one manifest per key with MODE=``mode``."""
    credentials = {"clientId": "bench", "clientSecret": "${BENCH_SECRET}"}
    target = {"projectKey": PROJECT, "region": "europe-west1.gcp", "manifests": ["deployments"]}
    target |= {"credentials": credentials, "connectUrl": url, "authUrl": url}
    (root / "gitsync.yaml").write_text(yaml.safe_dump({"targets": {"bench": target}}))
    (root / "deployments").mkdir()
    for key in keys:
        document = _draft(key, mode, "${BENCH_TOKEN}")
        (root / "deployments" / f"{key}.yaml").write_text(yaml.safe_dump(document, sort_keys=False))


def _seed_live(url: str, keys: list[str]) -> None:
    """Live Deployments (``Deployed``, MODE=old) for the redeploy case, in batches."""
    seeded = [
        {"projectKey": PROJECT, "status": "Deployed", "draft": _draft(key, "old", "t0k3n")} for key in keys
    ]
    for start in range(0, len(seeded), 2000):
        batch = {"deployments": seeded[start : start + 2000]}
        httpx.post(f"{url}/_emulator/seed", json=batch, timeout=300).raise_for_status()


class Timeline:
    """A WSGI wrapper that notes when each API request (admin routes aside) was answered, and if a write."""

    def __init__(self, app: EmulatorApp) -> None:
        self.app = app
        self.requests: list[float] = []
        self.writes: list[float] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        answer = self.app(environ, start_response)
        path, method = str(environ.get("PATH_INFO", "")), environ["REQUEST_METHOD"]
        if not path.startswith("/_emulator/"):
            now = time.perf_counter()  # list.append is atomic: the server's threads may share these
            self.requests.append(now)
            if method in ("POST", "DELETE") and path != "/oauth/token":
                self.writes.append(now)
        return answer


def _gitsync(root: Path, *args: str) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Run gitsync in ``root``: when it started, when it ended (perf_counter) and what it did."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "gitsync", *args],
        cwd=root,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    return started, time.perf_counter(), result


def _check(result: subprocess.CompletedProcess[str], action: str, count: int) -> None:
    """Refuse a run whose report is not ``count`` × ``action`` applied and Deployed: the wrong work timed."""
    if result.returncode != 0:
        raise SystemExit(f"gitsync apply failed ({result.returncode}):\n{result.stderr[-3000:]}")
    report = json.loads(result.stdout)
    wanted = (action, "applied", "Deployed")
    done = [r for r in report["results"] if (r["action"], r["outcome"], r["status"]) == wanted]
    if len(done) != count:
        raise SystemExit(f"the report is not {count} × {action} applied and Deployed: {report['summary']}")


def _one_run(case: str, count: int, deploy_time: float, concurrency: int) -> dict[str, float]:
    """One apply of ``count`` creates or redeploys against a fresh emulator; its measurements."""
    keys = _keys(count)
    app = EmulatorApp({"connectors": [CONNECTOR]}, deploy_time=deploy_time)
    timeline = Timeline(app)
    with tempfile.TemporaryDirectory() as tmp, serve(timeline, port=0) as server:
        if case == "redeploys":
            _seed_live(server.url, keys)
        _write_repo(Path(tmp), server.url, keys, mode="new")
        args = ("apply", "--yes", "--format", "json", "--concurrency", str(concurrency))
        started, ended, result = _gitsync(Path(tmp), *args)
        _check(result, case.removesuffix("s"), count)
        requests: dict[str, int] = httpx.get(f"{server.url}/_emulator/stats", timeout=30).json()["requests"]
        parts = _parts(started, ended, timeline)  # before the plan below adds its own requests
        plan = _gitsync(Path(tmp), "plan", "--detailed-exitcode")[2]
        if plan.returncode != 0:
            raise SystemExit(f"a plan after apply is not all noop ({plan.returncode}): {plan.stdout[-999:]}")
    return parts | _counts(requests, count)


def _parts(started: float, ended: float, timeline: Timeline) -> dict[str, float]:
    """The wall time and its parts, from the moments the emulator answered."""
    first, last = min(timeline.requests), max(timeline.requests)
    return {
        "seconds": ended - started,
        "startup_seconds": first - started,
        "plan_seconds": min(timeline.writes) - first,
        "apply_seconds": last - min(timeline.writes),
        "sending_seconds": max(timeline.writes) - min(timeline.writes),
        "report_seconds": ended - last,
    }


def _counts(requests: Mapping[str, int], count: int) -> dict[str, float]:
    writes = requests.get(CREATE_ROUTE, 0) + requests.get(UPDATE_ROUTE, 0)
    reads = requests.get(READ_ROUTE, 0)
    total = sum(requests.values())
    return {
        "requests": total,
        "per_deployment": total / count,
        "writes_per_deployment": writes / count,
        "reads_per_deployment": reads / count,
        "plan_requests": total - writes - reads,
    }


def bench(case: str, count: int, deploy_time: float, runs: int, concurrency: int) -> dict[str, Any]:
    """The median of ``runs`` runs of one case (each measurement's own median)."""
    measured = [_one_run(case, count, deploy_time, concurrency) for _ in range(runs)]
    result: dict[str, Any] = {"case": case, "count": count, "deploy_time": deploy_time, "runs": runs}
    for name in measured[0]:
        result[name] = statistics.median(run[name] for run in measured)
    result["target_seconds"] = 3 * deploy_time
    result["ratio"] = result["seconds"] / result["target_seconds"]
    result["apply_ratio"] = result["apply_seconds"] / result["target_seconds"]
    return result


def _line(r: Mapping[str, Any]) -> str:
    target = f"3 × deploy time = {r['target_seconds']:g} s"
    return (
        f"apply, {r['count']} {r['case']}, {r['deploy_time']:g} s deploy time, median of {r['runs']}:\n"
        f"  wall {r['seconds']:.2f} s (ratio {r['ratio']:.2f} to {target}) = start-up and manifests "
        f"{r['startup_seconds']:.2f} + plan {r['plan_seconds']:.2f} + apply {r['apply_seconds']:.2f} "
        f"(ratio {r['apply_ratio']:.2f}; sending {r['sending_seconds']:.2f}) "
        f"+ report {r['report_seconds']:.2f}\n"
        f"  {r['per_deployment']:.2f} requests per Deployment: {r['writes_per_deployment']:.2f} writes, "
        f"{r['reads_per_deployment']:.2f} status reads, {r['plan_requests']:.0f} plan requests in all"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--creates", type=int, default=200)
    parser.add_argument("--redeploys", type=int, default=1000)
    parser.add_argument("--deploy-time", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--json", action="store_true", help="one JSON document instead of lines")
    args = parser.parse_args()
    results = [
        bench("creates", args.creates, args.deploy_time, args.runs, args.concurrency),
        bench("redeploys", args.redeploys, args.deploy_time, args.runs, args.concurrency),
    ]
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for result in results:
            print(_line(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
