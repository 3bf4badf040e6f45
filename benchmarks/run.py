"""Every SPEC §7 figure in one table: `python benchmarks/run.py [--quick]`.

Runs each benchmark script (`benchmarks/<name>_bench.py --json`) as a subprocess and prints one row per
figure: what gitsync measured, the peer (check-jsonschema) or the bound it is held to, their ratio (below
1.0 is within the target, or faster than the peer) and the SPEC §7 target for that ratio. The machine it
ran on heads the table (with its load: absolute times on a shared machine are noise, ratios much less).
A benchmark that is not in this checkout yet (apply_bench.py is another branch's) shows "not measured".
Exit 1 if a benchmark failed one of its checks (a forbidden import, a request budget) or could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Row:
    """One figure of the table."""

    figure: str
    gitsync: str
    peer: str
    ratio: float | None
    target: str


def run_bench(name: str, args: Sequence[str]) -> tuple[Any, str | None]:
    """(JSON output, None) of ``<name>_bench.py --json``; (…, why not) when it is absent or failed."""
    script = HERE / f"{name}_bench.py"
    if not script.exists():
        return None, f"not measured ({script.name} is not in this checkout)"
    done = subprocess.run(
        [sys.executable, str(script), "--json", *args], capture_output=True, text=True, check=False
    )
    try:
        result = json.loads(done.stdout)
    except json.JSONDecodeError:
        sys.stderr.write(done.stderr[-3000:])
        return None, f"not measured ({script.name} exited {done.returncode} without a result)"
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
        return result, f"{script.name} failed a check (exit {done.returncode})"
    return result, None


def validate_rows(result: dict[str, Any]) -> list[Row]:
    many, one = result["many"], result["one"]
    forbidden = result["forbidden_imports"]
    return [
        Row(
            f"validate {result['count']:,} manifests",
            f"{many['gitsync']:.3f} s",
            f"check-jsonschema {many['check_jsonschema']:.3f} s",
            many["ratio"],
            "≤ 0.15",
        ),
        Row(
            "validate 1 file (pre-commit start-up)",
            f"{one['gitsync']:.3f} s",
            f"check-jsonschema {one['check_jsonschema']:.3f} s",
            one["ratio"],
            "≤ 0.35",
        ),
        Row("validate imports httpx/deepdiff/pydantic", ", ".join(forbidden) or "none", "none", None, "none"),
    ]


def plan_rows(result: dict[str, Any]) -> list[Row]:
    speed, memory = result["speed"], result["memory"]
    rows = [
        Row(
            f"plan {speed['count']:,} Deployments, {speed['latency'] * 1000:.0f} ms latency",
            f"{speed['seconds']:.2f} s",
            "bound 0.6 s",
            speed["seconds"] / 0.6,
            "< 1",
        )
    ]
    for run in (speed, memory):
        rows.append(
            Row(
                f"plan {run['count']:,} requests",
                str(run["requests"]),
                f"1 + ⌈N/500⌉ + C = {run['budget']}",
                run["requests"] / run["budget"],
                "≤ 1",
            )
        )
    rows.append(
        Row(
            f"plan {memory['count']:,} Deployments, peak memory",
            f"{memory['peak_mb']:.0f} MB",
            "bound 300 MB",
            memory["peak_mb"] / 300,
            "< 1",
        )
    )
    return rows


def apply_rows(result: list[dict[str, Any]]) -> list[Row]:
    creates = next(case for case in result if case["case"] == "creates")
    return [
        Row(
            f"apply {creates['count']} creates, {creates['deploy_time']:g} s deploy time",
            f"{creates['seconds']:.2f} s",
            f"bound 3 × deploy time = {creates['target_seconds']:g} s",
            creates["ratio"],
            "< 1",
        )
    ]


# name → (extra arguments, rows of its result, the figures it stands for when it could not run)
BENCHMARKS: dict[str, tuple[tuple[str, ...], Callable[[Any], list[Row]], tuple[str, ...]]] = {
    "validate": ((), validate_rows, ("validate 1,000 manifests", "validate 1 file")),
    "plan": ((), plan_rows, ("plan 1,000 Deployments", "plan requests", "plan 10,000 peak memory")),
    "apply": ((), apply_rows, ("apply 200 creates",)),
}
QUICK = {
    "validate": ("--count", "200", "--runs", "3"),
    "plan": ("--memory-deployments", "2000", "--runs", "3"),
    "apply": ("--redeploys", "10", "--runs", "1"),
}


def machine() -> str:
    """Where the numbers come from: CPU, cores, OS, Python, and how busy the machine was."""
    cpu = platform.processor() or platform.machine()
    model = Path("/proc/cpuinfo")
    if model.exists():
        lines = model.read_text().splitlines()
        names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
        cpu = names[0] if names else cpu
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; load average {load} (1/5/15 min)"
    )


def table(rows: Sequence[Row]) -> str:
    """A Markdown table (also readable in a terminal)."""
    lines = ["| figure | gitsync | peer or bound | ratio | target |", "| --- | --- | --- | --- | --- |"]
    for row in rows:
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else "—"
        lines.append(f"| {row.figure} | {row.gitsync} | {row.peer} | {ratio} | {row.target} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"benchmarks to run: {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer runs (a smoke test)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{started}; before: {machine()}", flush=True)
    rows: list[Row] = []
    failed = []
    for name in args.names or BENCHMARKS:
        extra, to_rows, figures = BENCHMARKS[name]
        result, problem = run_bench(name, QUICK.get(name, ()) if args.quick else extra)
        missing = [Row(figure, "not measured", "—", None, "—") for figure in figures]
        rows += to_rows(result) if result is not None else missing
        if problem is not None:
            print(f"{name}: {problem}", file=sys.stderr)
            failed += [name] if "not in this checkout" not in problem else []
    print(f"after: {machine()}\n\n{table(rows)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
