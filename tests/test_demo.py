"""The README's first quick-start command, examples/demo.sh, runs validate → plan → apply → plan again end to
end on the embedded emulator, even when port 8080 (the emulator's default) is taken by another process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def port_8080_taken() -> Iterator[None]:
    """Hold 127.0.0.1:8080 for the block, unless another process already does (then it is taken anyway)."""
    holder = _reusing_socket()
    try:
        try:
            holder.bind(("127.0.0.1", 8080))
            holder.listen(1)
        except OSError:
            pass  # taken by someone else: just as good for this test
        with _reusing_socket() as probe:  # binds as a server would (SO_REUSEADDR): it must fail
            try:
                probe.bind(("127.0.0.1", 8080))
            except OSError:
                yield
                return
        raise AssertionError("port 8080 is free: the test would prove nothing")
    finally:
        holder.close()


def _reusing_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return sock


def test_demo_runs_validate_plan_apply_and_plan_again_on_the_emulator(tmp_path: Path) -> None:
    # TMPDIR: the script's log, pulled schemas and saved plan stay in this test's directory
    env = {**os.environ, "GITSYNC_VENV": sys.prefix, "NO_COLOR": "1", "TMPDIR": str(tmp_path)}
    env.pop("GITSYNC_DEMO_PORT", None)
    with port_8080_taken():
        result = subprocess.run(
            ["bash", str(ROOT / "examples" / "demo.sh")],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "==> emulator at http://127.0.0.1:" in out
    assert "==> emulator at http://127.0.0.1:8080\n" not in out
    assert "7 files checked, no problems" in out + result.stderr
    assert "~ redeploy store-locator" in out
    assert "Plan: 6 to create, 1 to redeploy" in out
    assert "<!-- gitsync-plan -->" in out
    assert "Apply: 7 applied." in out
    assert "==> gitsync plan --config examples/gitsync.emulator.yaml --detailed-exitcode\nNo changes." in out
    assert "planning again\n    shows no changes" in out
    assert "Traceback" not in out + result.stderr
    assert (tmp_path / "gitsync-demo-plan.json").is_file()
    env_file = (ROOT / "examples" / ".env.example").read_text().splitlines()
    secrets = [line.partition("=") for line in env_file if "=" in line and not line.startswith("#")]
    secret_words = ("SECRET", "PASSWORD", "API_KEY", "HMAC", "TOKEN")
    planted = [value for name, _, value in secrets if value and any(w in name for w in secret_words)]
    assert len(planted) >= 8
    for value in planted:
        assert value not in out + result.stderr
