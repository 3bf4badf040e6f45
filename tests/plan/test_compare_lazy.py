"""A plan of noops (the usual CI run) never imports deepdiff: it only explains a difference (SPEC §7)."""

from __future__ import annotations

import subprocess
import sys


def test_deepdiff_is_imported_at_the_first_difference_only() -> None:
    # deepdiff reports in no fixed order (configuration_reasons sorts): compare the reasons sorted
    script = (
        "import sys\n"  # deepdiff reports in no fixed order; configuration_reasons sorts
        "from gitsync.plan import compare\n"
        "same = compare._reasons({'a': {'b': '1'}}, {'a': {'b': '1'}})\n"
        "print('SAME', same, 'deepdiff' in sys.modules)\n"
        "changed = compare._reasons({'a': {'b': '1'}}, {'a': {'b': '2', 'c': '3'}})\n"
        "print('CHANGED', sorted((r.path, r.before, r.after) for r in changed), 'deepdiff' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert "SAME [] False\n" in done.stdout, done.stderr
    assert "CHANGED [('a.b', '1', '2'), ('a.c', None, '3')] True\n" in done.stdout, done.stderr
