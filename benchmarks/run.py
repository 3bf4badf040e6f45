"""Run every benchmark (SPEC §7) one after the other: `python benchmarks/run.py [NAME...]`.

Each benchmark is a script `benchmarks/<name>_bench.py` with its own options; add one to BENCHMARKS and it
runs here too. Exit 1 if any benchmark failed one of its checks.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ("validate", "plan", "apply")


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    failed = []
    for name in names:
        print(f"== {name}", flush=True)
        if subprocess.run([sys.executable, str(HERE / f"{name}_bench.py")], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
