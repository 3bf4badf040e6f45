"""Plan benchmark (SPEC §7): wall time and request count of `gitsync plan`, and its peak memory.

    python benchmarks/plan_bench.py [--deployments 1000] [--memory-deployments 10000] [--latency 0.02]
                                    [--runs 5] [--json]

Runs the emulator in this process on loopback, seeds N live Deployments over 3 connectors with matching
manifests (a plan of all noop, the usual CI case), and runs `gitsync plan --format json` as a subprocess,
as a user would (median wall time of RUNS runs against one seeded emulator). Targets: requests ≤ 1 token +
⌈N/500⌉ pages + C connectors; 1,000 Deployments under 0.6 s at 20 ms latency; 10,000 Deployments under
300 MB peak (max RSS of the plan process).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

from gitsync.emulator import EmulatorApp, serve

sys.path.insert(0, str(Path(__file__).resolve().parent))
from validate_bench import compile_bytecode  # a sibling script, not a package

CONNECTORS = ("alpha", "beta", "gamma")
TARGET_SECONDS = 0.6  # SPEC §7: a plan of 1,000 Deployments at 20 ms latency
TARGET_MB = 300  # SPEC §7: a plan of 10,000 Deployments


def _connector(key: str) -> dict[str, Any]:
    app = {
        "applicationName": "service",
        "applicationType": "service",
        "standardConfiguration": [
            {"key": "MODE", "description": "mode", "required": True},
            {"key": "LEVEL", "description": "level", "default": "info"},
        ],
        "securedConfiguration": [{"key": "TOKEN", "description": "token"}],
    }
    return {"key": key, "version": 1, "name": key, "configurations": [app]}


def _draft(key: str, connector: str) -> dict[str, Any]:
    return {
        "key": key,
        "connector": {"key": connector},
        "region": "europe-west1.gcp",
        "configurations": [
            {
                "applicationName": "service",
                "standardConfiguration": [{"key": "MODE", "value": f"mode-{key}"}],
                "securedConfiguration": [{"key": "TOKEN", "value": "${BENCH_TOKEN}"}],
            }
        ],
    }


def _prepare(url: str, root: Path, count: int) -> None:
    drafts = [_draft(f"dep-{index:05d}", CONNECTORS[index % 3]) for index in range(count)]
    seeded = [{"projectKey": "bench", "status": "Deployed", "draft": draft} for draft in drafts]
    for start in range(0, count, 2000):
        batch = {"deployments": seeded[start : start + 2000]}
        httpx.post(f"{url}/_emulator/seed", json=batch, timeout=300).raise_for_status()
    credentials = {"clientId": "bench", "clientSecret": "${BENCH_SECRET}"}
    target: dict[str, Any] = {
        "projectKey": "bench",
        "region": "europe-west1.gcp",
        "manifests": ["deployments"],
    }
    target |= {"credentials": credentials, "connectUrl": url, "authUrl": url}
    (root / "gitsync.yaml").write_text(yaml.safe_dump({"targets": {"bench": target}}))
    (root / "deployments").mkdir()
    for draft in drafts:
        (root / "deployments" / f"{draft['key']}.yaml").write_text(yaml.safe_dump(draft, sort_keys=False))


def _run_plan(root: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {**os.environ, "BENCH_TOKEN": "t0k3n", "BENCH_SECRET": "s3cr3t"}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "gitsync", "plan", "--format", "json"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"gitsync plan failed ({result.returncode}):\n{result.stderr}")
    actions = {change["action"] for change in json.loads(result.stdout)["changes"]}
    if actions != {"noop"}:  # anything else means the seed or manifests are wrong: the wrong plan timed
        raise SystemExit(f"gitsync plan was not all noop: {sorted(actions)}")
    return elapsed, result


def bench(count: int, latency: float, runs: int = 1) -> dict[str, Any]:
    """Plan ``count`` Deployments against an emulator with ``latency``: median wall time of ``runs``, the
    requests of one plan, and the peak RSS of the largest plan process (this process runs no other child)."""
    compile_bytecode()
    app = EmulatorApp({"connectors": [_connector(key) for key in CONNECTORS]}, latency=latency)
    with tempfile.TemporaryDirectory() as tmp, serve(app, port=0) as server:
        _prepare(server.url, Path(tmp), count)
        _run_plan(Path(tmp))  # warm-up: the page cache, as on a second CI step, not the first boot
        before = httpx.get(f"{server.url}/_emulator/stats").json()["total"]
        times = [_run_plan(Path(tmp))[0]]
        requests = httpx.get(f"{server.url}/_emulator/stats").json()["total"] - before
        times += [_run_plan(Path(tmp))[0] for _ in range(runs - 1)]
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    budget = 1 + math.ceil(count / 500) + len(CONNECTORS)
    seconds = statistics.median(times)
    return {
        "count": count,
        "seconds": seconds,
        "runs": runs,
        "requests": requests,
        "budget": budget,
        "peak_mb": peak_mb,
        "latency": latency,
    }


def report(speed: dict[str, Any], memory: dict[str, Any]) -> str:
    """Human-readable lines: time and requests of the speed run, peak memory of the large one."""
    ratio = speed["seconds"] / TARGET_SECONDS
    return (
        f"plan of {speed['count']} deployments at {speed['latency'] * 1000:.0f} ms latency: "
        f"{speed['seconds']:.2f} s, median of {speed['runs']} "
        f"(target < {TARGET_SECONDS} s, ratio {ratio:.2f}); "
        f"{speed['requests']} requests (budget {speed['budget']})\n"
        f"plan of {memory['count']} deployments: peak RSS {memory['peak_mb']:.0f} MB "
        f"(target < {TARGET_MB} MB, ratio {memory['peak_mb'] / TARGET_MB:.2f}); "
        f"{memory['seconds']:.2f} s; {memory['requests']} requests (budget {memory['budget']})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deployments", type=int, default=1000)
    parser.add_argument("--memory-deployments", type=int, default=10000)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=5, help="timed plans of --deployments; the median counts")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    speed = bench(args.deployments, args.latency, args.runs)
    memory = bench(args.memory_deployments, 0.0)
    print(json.dumps({"speed": speed, "memory": memory}, indent=2) if args.json else report(speed, memory))
    # the request budget is exact arithmetic, so it is a check; times and memory are reported as ratios
    over = [run for run in (speed, memory) if run["requests"] > run["budget"]]
    for run in over:
        print(
            f"FAILED: {run['count']} deployments took {run['requests']} requests, budget {run['budget']}",
            file=sys.stderr,
        )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
