"""Options every command accepts, before or after the subcommand name (``gitsync --target a plan``
and ``gitsync plan --target a`` mean the same)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
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


# (declarations, GlobalOptions field, click.option keywords): the global options of SPEC §2
GLOBAL_OPTIONS: tuple[tuple[tuple[str, ...], str, dict[str, Any]], ...] = (
    (
        ("--config",),
        "config",
        {
            "type": click.Path(path_type=Path, dir_okay=False),
            "help": "gitsync.yaml to use (default: found walking up).",
        },
    ),
    (
        ("--target",),
        "targets",
        {"multiple": True, "metavar": "NAME", "help": "Only this target (repeatable; default: all)."},
    ),
    (
        ("--only",),
        "only",
        {"multiple": True, "metavar": "GLOB", "help": "Only deployment keys matching GLOB (repeatable)."},
    ),
    (
        ("--exclude",),
        "exclude",
        {"multiple": True, "metavar": "GLOB", "help": "Skip deployment keys matching GLOB (repeatable)."},
    ),
    (
        ("--no-color",),
        "no_color",
        {"is_flag": True, "help": "No colour (also when NO_COLOR is set or output is not a terminal)."},
    ),
    (
        ("-v", "--verbose"),
        "verbose",
        {"is_flag": True, "help": "One line per HTTP call on stderr, secrets redacted."},
    ),
)


def global_options(function: F) -> F:
    """Add the global options (SPEC §2) to a command; read them with ``get_options()``."""
    for declarations, name, keywords in reversed(GLOBAL_OPTIONS):
        option = click.option(*declarations, name, expose_value=False, callback=_callback(name), **keywords)
        function = option(function)
    return function


def get_options() -> GlobalOptions:
    """The merged global options of the running command."""
    ctx = click.get_current_context()
    options = ctx.find_object(GlobalOptions)
    return options if options is not None else ctx.ensure_object(GlobalOptions)


def forced_key_options(function: F) -> F:
    """``--redeploy KEY`` and ``--replace KEY`` (SPEC §2), the same on plan and apply."""
    function = click.option(
        "--replace",
        "replace_keys",
        multiple=True,
        metavar="KEY",
        help="Force a replace (delete, then create) of KEY (repeatable).",
    )(function)
    return click.option(
        "--redeploy",
        "redeploy_keys",
        multiple=True,
        metavar="KEY",
        help="Force a redeploy of KEY (repeatable).",
    )(function)
