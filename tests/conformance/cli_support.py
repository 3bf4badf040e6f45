"""Find (or, in CI, install) the pinned official Connect CLI, log it in against an emulator, run it.

The CLI's auth URL is hard-coded to ``https://auth.{region}.commercetools.com`` (facts §6), so it is never
asked to log in: its credentials file ``$HOME/.commercetools/credentials`` (CLI providers.js,
ctp-client-authentication-token.js) is written into a temporary HOME with a token the emulator issued, valid
long enough that the CLI never refreshes it. ``CTP_CLI_CONNECT_API_URL`` points it at the emulator
(connect-api-client-factory.js).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

HERE = Path(__file__).parent
INSTALL = HERE / "install.sh"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def installed_cli() -> Path | None:
    """The installed ``commercetools`` binary, or None; in CI the install script runs first."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return None
    # outside CI only look: a local test run never downloads 200 MB from the npm registry by itself
    env = {**os.environ, **({} if in_ci() else {"GITSYNC_CONFORMANCE_CHECK": "1"})}
    result = subprocess.run(
        ["bash", str(INSTALL)], capture_output=True, text=True, env=env, timeout=600, check=False
    )
    binary = Path(result.stdout.strip() or "/nonexistent") / "node_modules" / ".bin" / "commercetools"
    return binary if result.returncode == 0 and binary.exists() else None


def missing_reason() -> str | None:
    """Why the conformance test cannot drive the official CLI here, or None."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node/npm not found"
    if installed_cli() is None:
        return f"the pinned Connect CLI is not installed (run {INSTALL.relative_to(HERE.parent.parent)})"
    return None


def write_credentials(home: Path, token: str, project_key: str, region: str) -> None:
    """The CLI's stored client-credentials login, as its own serializer writes it."""
    now_ms = int(time.time() * 1000)
    login = {
        "authentication": "client-credentials",
        "clientId": "conformance",
        "clientSecret": "not-a-real-secret",
        "projectKey": project_key,
        "scope": f"manage_project:{project_key}",
        "region": region,
        "accessToken": token,
        "refreshToken": None,
        "issuedAt": now_ms,
        "expiresAt": now_ms + 24 * 3600 * 1000,
    }
    folder = home / ".commercetools"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "credentials").write_text(json.dumps(login), encoding="utf-8")


def run_cli(
    binary: Path, home: Path, url: str, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """One CLI command; its output without colour codes."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "CTP_CLI_CONNECT_API_URL": url,
        "NO_COLOR": "1",
        "FORCE_COLOR": "0",
    }
    result = subprocess.run(
        [str(binary), *args], input=stdin, capture_output=True, text=True, env=env, timeout=60, check=False
    )
    result.stdout, result.stderr = ANSI.sub("", result.stdout), ANSI.sub("", result.stderr)
    return result
