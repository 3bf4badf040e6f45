"""``gitsync emulator``: serve the local Connect API (SPEC §6) until interrupted."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import Any

import click

from gitsync.api.urls import is_loopback
from gitsync.emulator import EmulatorApp, EmulatorServer, SeedError, load_seed, serve
from gitsync.errors import GitsyncError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|m|h)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, None: 1.0}


def _duration(ctx: click.Context, param: click.Parameter, value: str) -> float:
    """``2s``, ``500ms``, ``1m`` or plain seconds (``0.2``), as seconds."""
    found = _DURATION.match(value)
    if found is None:
        raise click.BadParameter(f"'{value}' is not a duration; use e.g. 2s, 500ms, 1m or 0.2 (seconds)")
    return float(found.group(1)) * _UNIT_SECONDS[found.group(2)]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="0 = a free port."
)
@click.option("--seed", "seed_file", type=click.Path(path_type=Path, dir_okay=False), help="YAML seed file.")
@click.option(
    "--deploy-time", default="2s", show_default=True, callback=_duration, help="Time a deploy takes."
)
@click.option(
    "--latency", default="0ms", show_default=True, callback=_duration, help="Added to every API request."
)
@click.option(
    "--error-rate", default=0.0, show_default=True, type=click.FloatRange(0, 1), help="Share of 429/502/503."
)
@click.option("--random-seed", type=int, default=None, help="Makes --error-rate faults repeatable.")
@click.option(
    "--redeploy-mode", type=click.Choice(["merge", "replace"]), default="merge", show_default=True,
    help="UNCONFIRMED API behaviour: a redeploy merges per key (a key not sent keeps its value), or replaces "
    "each sent value list.",
)  # fmt: skip
@click.option(
    "--delete-while-busy", type=click.Choice(["allow", "reject"]), default="allow", show_default=True,
    help="UNCONFIRMED API behaviour: delete while Queued/Deploying/Undeploying.",
)  # fmt: skip
@click.option(
    "--duplicate-key", type=click.Choice(["field", "conflict"]), default="field", show_default=True,
    help="UNCONFIRMED API behaviour: a taken key is 400 DuplicateField, or 409 DuplicateField.",
)  # fmt: skip
@click.option(
    "--rollback-route", type=click.Choice(["revision", "rollback"]), default="revision", show_default=True,
    help="UNCONFIRMED API route: rollback is POST …/revisions/{revision}, or …/{revision}/rollback.",
)  # fmt: skip
def emulator(seed_file: Path | None, host: str, port: int, **settings: Any) -> int:
    """Serve a local Connect API for tests and demos; prints its base URL first."""
    seed = _seed(seed_file)
    app = _app(seed, seed_file, settings)
    server = _serve(app, host, port)
    click.echo(server.url)
    sys.stdout.flush()
    _log_requests()
    click.echo(_banner(server.url, seed_file, seed, settings), err=True)
    if not is_loopback(host):
        click.echo(f"warning: listening on {host}, not loopback: anyone who reaches it can use it", err=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _seed(seed_file: Path | None) -> dict[str, Any] | None:
    if seed_file is None:
        return None
    try:
        return load_seed(seed_file)
    except SeedError as exc:
        raise GitsyncError(f"{exc}; fix the seed file (format: docs/emulator.md)") from exc


def _app(seed: dict[str, Any] | None, seed_file: Path | None, settings: dict[str, Any]) -> EmulatorApp:
    """The emulator with its seed applied; a seed that fails deeper checks names the file too."""
    try:
        return EmulatorApp(seed, **settings)
    except SeedError as exc:
        raise GitsyncError(f"{seed_file}: {exc}; fix the seed file (format: docs/emulator.md)") from exc


def _serve(app: EmulatorApp, host: str, port: int) -> EmulatorServer:
    try:
        return serve(app, host=host, port=port)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise GitsyncError(
            f"cannot listen on {host}:{port}: {reason}; choose another --port (0 picks a free one) or --host"
        ) from exc


def _banner(url: str, seed_file: Path | None, seed: dict[str, Any] | None, settings: dict[str, Any]) -> str:
    """One stderr line saying what is served, from what, and how to stop it."""
    counts = ", ".join(_count(seed, name) for name in ("connectors", "deployments"))
    source = f"seed {seed_file} ({counts})" if seed_file else "no seed (any client id/secret gets a token)"
    switches = ", ".join(
        f"--{name.replace('_', '-')} {settings[name]}"
        for name in ("redeploy_mode", "delete_while_busy", "duplicate_key", "rollback_route")
    )
    return (
        f"gitsync emulator: serving the Connect API and /oauth/token at {url} (Ctrl-C stops it)\n"
        f"  {source}; --deploy-time {settings['deploy_time']:g}s; {switches}"
    )


def _count(seed: dict[str, Any] | None, section: str) -> str:
    number = len((seed or {}).get(section) or [])
    return f"{number} {section if number != 1 else section[:-1]}"


def _log_requests() -> None:
    """One line per request on stderr; stdout carries only the URL."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger = logging.getLogger("gitsync.emulator")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
