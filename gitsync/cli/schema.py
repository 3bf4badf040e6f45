"""``gitsync schema pull`` and ``gitsync schema path``: parse, call the feature (``gitsync.schemapull``,
``gitsync.manifest.schemafile``), report, return the exit code."""

from __future__ import annotations

import os
from pathlib import Path

import click

from gitsync.api.client import ConnectClient
from gitsync.cli.clients import client_for
from gitsync.cli.options import get_options, global_options
from gitsync.manifest import load_targets
from gitsync.manifest.connector import CONNECTOR_SCHEMA_DIR
from gitsync.manifest.schemafile import SCHEMA_FILES, find_schema_file, schema_dirs
from gitsync.manifest.target import Target
from gitsync.schemapull import pull_schemas, select_connectors


@click.group()
def schema() -> None:
    """JSON Schemas: pull connectors' (schemas/connectors/), or print where gitsync's own are installed."""


@schema.command("pull")
@click.argument("names", nargs=-1, metavar="[CONNECTOR...]")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to write to (default: schemas/connectors/ next to gitsync.yaml).",
)
@click.option("--staged", is_flag=True, help="Named connectors not in any manifest are staged (drafts).")
@global_options
def pull(names: tuple[str, ...], out: Path | None, staged: bool) -> int:
    """Write the configuration schema of each connector the manifests use (or of those named)."""
    options = get_options()
    targets = load_targets(options.config, Path.cwd(), os.environ, options.targets)
    wanted = select_connectors(targets, names, staged=staged, env=os.environ, report=_to_stderr)
    folder = out if out is not None else targets[0].base_dir / CONNECTOR_SCHEMA_DIR
    failures = pull_schemas(wanted, folder, open_client=_client, report=_to_stderr)
    for failure in failures:
        _to_stderr(f"error: {failure}")
    return 1 if failures else 0


@schema.command("path")
@click.argument("which", type=click.Choice(sorted(SCHEMA_FILES)), default="deployment")
def path(which: str) -> int:
    """Print the absolute path of the installed deployment (or config) JSON Schema, for editor modelines."""
    # WHICH is an argument, not a --config switch: --config FILE is a global option after any command name.
    dirs = schema_dirs()
    found = find_schema_file(SCHEMA_FILES[which], dirs)
    if found is None:
        places = ", ".join(str(folder) for folder in dirs)
        _to_stderr(
            f"error: {SCHEMA_FILES[which]} is not a file in this installation (looked in {places}); "
            "reinstall gitsync from a wheel or a clone (pip install gitsync-connect)"
        )
        return 1
    click.echo(str(found))
    return 0


def _client(target: Target) -> ConnectClient:
    return client_for(target, os.environ)


def _to_stderr(line: str) -> None:
    click.echo(line, err=True)
