"""``gitsync emulator``: serve the local Connect API (SPEC §6) until interrupted."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import Any

import click

from gitsync.emulator import EmulatorApp, SeedError, load_seed, serve
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
    "--redeploy-mode", type=click.Choice(["replace", "merge"]), default="replace", show_default=True,
    help="UNCONFIRMED API behaviour: a redeploy replaces each sent value list, or merges per key.",
)  # fmt: skip
@click.option(
    "--delete-while-busy", type=click.Choice(["allow", "reject"]), default="allow", show_default=True,
    help="UNCONFIRMED API behaviour: delete while Queued/Deploying/Undeploying.",
)  # fmt: skip
def emulator(seed_file: Path | None, host: str, port: int, **settings: Any) -> int:
    """Serve a local Connect API for tests and demos; prints its base URL first."""
    app = EmulatorApp(_seed(seed_file), **settings)
    server = serve(app, host=host, port=port)
    click.echo(server.url)
    sys.stdout.flush()
    _log_requests()
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
        raise GitsyncError(f"{exc}; fix the seed file (format: README, 'The emulator')") from exc


def _log_requests() -> None:
    """One line per request on stderr; stdout carries only the URL."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger = logging.getLogger("gitsync.emulator")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
