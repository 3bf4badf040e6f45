"""Plan benchmark (SPEC §7): wall time and request count of `gitsync plan`, and its peak memory.

    python benchmarks/plan_bench.py [--deployments 1000] [--memory-deployments 10000] [--latency 0.02]

Runs the emulator in this process on loopback, seeds N live Deployments over 3 connectors with matching
manifests (a plan of all noop, the usual CI case), and runs `gitsync plan --format json` as a subprocess,
as a user would. Targets: requests ≤ 1 token + ⌈N/500⌉ pages + C connectors; 1,000 Deployments under 2 s
at 20 ms latency; 10,000 Deployments under 300 MB peak (max RSS of the plan process).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

from gitsync.emulator import EmulatorApp, serve

CONNECTORS = ("alpha", "beta", "gamma")


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


def bench(count: int, latency: float) -> dict[str, Any]:
    """Plan ``count`` Deployments against an emulator with ``latency``; wall time, requests, peak RSS."""
    app = EmulatorApp({"connectors": [_connector(key) for key in CONNECTORS]}, latency=latency)
    with tempfile.TemporaryDirectory() as tmp, serve(app, port=0) as server:
        _prepare(server.url, Path(tmp), count)
        before = httpx.get(f"{server.url}/_emulator/stats").json()["total"]
        elapsed, _ = _run_plan(Path(tmp))
        requests = httpx.get(f"{server.url}/_emulator/stats").json()["total"] - before
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    budget = 1 + math.ceil(count / 500) + len(CONNECTORS)
    return {"count": count, "seconds": elapsed, "requests": requests, "budget": budget, "peak_mb": peak_mb}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deployments", type=int, default=1000)
    parser.add_argument("--memory-deployments", type=int, default=10000)
    parser.add_argument("--latency", type=float, default=0.02)
    args = parser.parse_args()
    speed = bench(args.deployments, args.latency)
    print(
        f"plan of {speed['count']} deployments at {args.latency * 1000:.0f} ms latency: "
        f"{speed['seconds']:.2f} s (target < 2 s, ratio {speed['seconds'] / 2:.2f}); "
        f"{speed['requests']} requests (budget {speed['budget']})"
    )
    memory = bench(args.memory_deployments, 0.0)
    print(
        f"plan of {memory['count']} deployments: peak RSS {memory['peak_mb']:.0f} MB "
        f"(target < 300 MB, ratio {memory['peak_mb'] / 300:.2f}); {memory['seconds']:.2f} s; "
        f"{memory['requests']} requests (budget {memory['budget']})"
    )
    # the request budget is exact arithmetic, so it is a check; times and memory are reported as ratios
    over = [run for run in (speed, memory) if run["requests"] > run["budget"]]
    for run in over:
        print(f"FAILED: {run['count']} deployments took {run['requests']} requests, budget {run['budget']}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
