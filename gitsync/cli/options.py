"""Options every command accepts, before or after the subcommand name (``gitsync --target a plan``
and ``gitsync plan --target a`` mean the same)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class GlobalOptions:
    """What the global options say, merged from the group and the subcommand."""

    config: Path | None = None
    targets: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    no_color: bool = False
    verbose: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def color_for(self, stream: Any) -> bool:
        """Colour only on a terminal, never with --no-color or NO_COLOR set."""
        if self.no_color or "NO_COLOR" in os.environ:
            return False
        return bool(getattr(stream, "isatty", lambda: False)())

    @property
    def color_stdout(self) -> bool:
        return self.color_for(sys.stdout)


def _merge(ctx: click.Context, name: str, value: Any) -> None:
    options = ctx.find_object(GlobalOptions)
    if options is None:
        options = ctx.ensure_object(GlobalOptions)
    if name in ("targets", "only", "exclude"):
        setattr(options, name, (*getattr(options, name), *value))
    elif value:
        setattr(options, name, value)


def _callback(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        _merge(ctx, name, value)

    return callback


def global_options(function: F) -> F:
    """Add the global options (SPEC §2) to a command; read them with ``get_options()``."""
    decorators = [
        click.option(
            "--config",
            type=click.Path(path_type=Path, dir_okay=False),
            expose_value=False,
            callback=_callback("config"),
            help="gitsync.yaml to use (default: found walking up).",
        ),
        click.option(
            "--target",
            "targets",
            multiple=True,
            metavar="NAME",
            expose_value=False,
            callback=_callback("targets"),
            help="Only this target (repeatable; default: all).",
        ),
        click.option(
            "--only",
            multiple=True,
            metavar="GLOB",
            expose_value=False,
            callback=_callback("only"),
            help="Only deployment keys matching GLOB (repeatable).",
        ),
        click.option(
            "--exclude",
            multiple=True,
            metavar="GLOB",
            expose_value=False,
            callback=_callback("exclude"),
            help="Skip deployment keys matching GLOB (repeatable).",
        ),
        click.option(
            "--no-color",
            is_flag=True,
            expose_value=False,
            callback=_callback("no_color"),
            help="No colour (also when NO_COLOR is set or output is not a terminal).",
        ),
        click.option(
            "-v",
            "--verbose",
            is_flag=True,
            expose_value=False,
            callback=_callback("verbose"),
            help="One line per HTTP call on stderr, secrets redacted.",
        ),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def get_options() -> GlobalOptions:
    """The merged global options of the running command."""
    ctx = click.get_current_context()
    options = ctx.find_object(GlobalOptions)
    return options if options is not None else ctx.ensure_object(GlobalOptions)
