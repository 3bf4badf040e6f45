"""Benchmark: `gitsync validate` against `check-jsonschema` (SPEC §7), as subprocess wall-time ratios.

Generates COUNT manifests (the example connectors' shapes) into a temporary repository with a gitsync.yaml
and the example connector schemas, then times, as median of RUNS (the two commands in alternation, so a
busy machine slows both alike):
  - validate COUNT files: `gitsync validate manifests` vs `check-jsonschema --schemafile ... <files>`
  - validate 1 file (the pre-commit start-up cost): the same two commands on one file
and checks with `python -X importtime` that the validate path imports no HTTP or diff library.
Ratios below 1.0 mean gitsync is faster. Run: `python benchmarks/validate_bench.py [--count N] [--runs N]`.
"""

from __future__ import annotations

import argparse
import compileall
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schemas" / "deployment.schema.json"
CONNECTOR_SCHEMAS = ROOT / "examples" / "schemas" / "connectors"
FORBIDDEN_IMPORTS = ("httpx", "deepdiff", "pydantic")

CONFIG = """targets:
  bench:
    projectKey: acme-bench
    region: europe-west1.gcp
    manifests: [manifests]
"""

MANIFESTS = (
    """# yaml-language-server: $schema=../../schemas/deployment.schema.json
key: payments-{n}
connector: {{key: adyen-connector, version: 7}}
type: sandbox
region: europe-west1.gcp
globalConfiguration:
  standardConfiguration:
    - {{key: CTP_PROJECT_KEY, value: acme-bench}}
  securedConfiguration:
    - {{key: CTP_CLIENT_ID, value: "${{CLIENT_ID_{n}}}"}}
    - {{key: CTP_CLIENT_SECRET, value: "${{CLIENT_SECRET_{n}}}"}}
configurations:
  - applicationName: processor
    standardConfiguration:
      - {{key: ADYEN_ENVIRONMENT, value: TEST}}
      - {{key: ADYEN_MERCHANT_ACCOUNT, value: Merchant{n}}}
    securedConfiguration:
      - {{key: ADYEN_API_KEY, value: "${{ADYEN_API_KEY_{n}}}"}}
  - applicationName: notification
    standardConfiguration: []
    securedConfiguration:
      - {{key: ADYEN_HMAC_KEY, value: "${{ADYEN_HMAC_KEY_{n}}}"}}
lifecycle: {{preventDestroy: true}}
""",
    """key: export-{n}
connector: {{key: order-export-job, version: latest}}
region: europe-west1.gcp
configurations:
  - applicationName: exporter
    schedule: "{minute} * * * *"
    standardConfiguration:
      - {{key: EXPORT_BUCKET, value: "gs://bucket-{n}"}}
      - {{key: EXPORT_FORMAT, value: csv}}
""",
    """key: store-locator-{n}
connector: {{key: store-locator-app, version: 2}}
type: production
region: europe-west1.gcp
configurations:
  - applicationName: store-locator
    standardConfiguration:
      - {{key: CUSTOM_APPLICATION_ID, value: app{n}}}
      - {{key: ENTRY_POINT_URI_PATH, value: stores-{n}}}
""",
)


def generate(folder: Path, count: int) -> list[Path]:
    """Write a repository of ``count`` valid manifests; return the manifest paths."""
    (folder / "gitsync.yaml").write_text(CONFIG)
    shutil.copytree(CONNECTOR_SCHEMAS, folder / "schemas" / "connectors")
    manifests = folder / "manifests"
    manifests.mkdir()
    paths = []
    for n in range(count):
        path = manifests / f"deployment-{n:05d}.yaml"
        path.write_text(MANIFESTS[n % len(MANIFESTS)].format(n=n, minute=n % 60))
        paths.append(path)
    return paths


def compile_bytecode() -> None:
    """Write gitsync's bytecode, as installing a wheel does: with PYTHONDONTWRITEBYTECODE set (as in some
    dev shells) a source checkout would otherwise compile every module on every run, and the peer, installed
    with its bytecode, would not."""
    compileall.compile_dir(ROOT / "gitsync", quiet=1)


def timed(command: Sequence[str], cwd: Path) -> float:
    """Wall time of one run, which must exit 0 (a failing run would time the wrong thing)."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:4])} … exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return elapsed


def paired_times(first: Sequence[str], second: Sequence[str], cwd: Path, runs: int) -> tuple[float, float]:
    """Median wall times of ``runs`` runs of each command, in alternation (A B, B A, …) after one warm-up of
    each: on a shared machine a burst of load then hits both, and the ratio stays meaningful."""
    for command in (first, second):  # warm the page cache: the first run of either reads from disk
        timed(command, cwd)
    times: tuple[list[float], list[float]] = ([], [])
    for run in range(runs):
        order = (0, 1) if run % 2 == 0 else (1, 0)
        for index in order:
            times[index].append(timed((first, second)[index], cwd))
    return statistics.median(times[0]), statistics.median(times[1])


def imported_modules(command: Sequence[str], cwd: Path) -> set[str]:
    """Top-level modules imported by ``python -X importtime`` running ``command``'s gitsync arguments."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "gitsync", *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:  # a failed run imports less: the check would pass for the wrong reason
        raise SystemExit(f"gitsync {' '.join(command)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def measure(count: int, runs: int) -> dict[str, Any]:
    """Run every measurement and return the numbers (seconds, ratios, forbidden imports)."""
    gitsync = [sys.executable, "-m", "gitsync", "validate"]
    checker = [str(Path(sys.executable).with_name("check-jsonschema")), "--schemafile", str(SCHEMA)]
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="gitsync-bench-") as tmp:
        folder = Path(tmp)
        paths = generate(folder, count)
        files = [str(path.relative_to(folder)) for path in paths]
        many = paired_times([*gitsync, "manifests"], [*checker, *files], folder, runs)
        one = paired_times([*gitsync, files[0]], [*checker, files[0]], folder, runs)
        modules = imported_modules(["validate", files[0]], folder)
    return {
        "count": count,
        "runs": runs,
        "many": {"gitsync": many[0], "check_jsonschema": many[1], "ratio": many[0] / many[1]},
        "one": {"gitsync": one[0], "check_jsonschema": one[1], "ratio": one[0] / one[1]},
        "forbidden_imports": sorted(modules.intersection(FORBIDDEN_IMPORTS)),
    }


def report(result: dict[str, Any]) -> str:
    """Human-readable lines: times, ratios (< 1.0: gitsync faster), and the import check."""
    lines = []
    for name, label in (("many", f"{result['count']} files"), ("one", "1 file")):
        row = result[name]
        lines.append(
            f"validate {label}: gitsync {row['gitsync']:.3f}s,"
            f" check-jsonschema {row['check_jsonschema']:.3f}s, ratio {row['ratio']:.2f}"
        )
    forbidden = result["forbidden_imports"]
    lines.append(
        "validate imports: "
        + (f"FORBIDDEN {', '.join(forbidden)}" if forbidden else "no httpx/deepdiff/pydantic")
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="manifests to generate (default 1000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per command; the median is reported")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    result = measure(args.count, args.runs)
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 1 if result["forbidden_imports"] else 0


if __name__ == "__main__":
    sys.exit(main())
