"""The ``gitsync`` command line: parse → build → execute, and the only place that maps errors to exit codes.

Subcommands live in their own modules and are imported only when invoked, so ``gitsync validate`` (the
pre-commit path) never imports the HTTP or diff libraries.
"""

from __future__ import annotations

import gc
import importlib
import io
import os
import signal
import sys
from types import FrameType
from typing import Any, NoReturn

import click

from gitsync import __version__
from gitsync.api.cancel import CancelToken
from gitsync.cli.options import GlobalOptions, global_options
from gitsync.errors import GitsyncError
from gitsync.render.escape import clean_lines

EXIT_USAGE = 64
EXIT_INTERNAL = 4
EXIT_INTERRUPTED = 130

# name → "module:attribute" of a click.Command; imported on first use.
COMMANDS_BY_NAME: dict[str, str] = {
    "validate": "gitsync.cli.validate:validate",
    "schema": "gitsync.cli.schema:schema",
    "plan": "gitsync.cli.plan:plan",
    "show": "gitsync.cli.show:show",
    "emulator": "gitsync.cli.emulator:emulator",
    "import": "gitsync.cli.import_cmd:import_",
    "apply": "gitsync.cli.apply:apply",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported when invoked, to keep start-up fast."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS_BY_NAME)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS_BY_NAME.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="gitsync")
@global_options
def cli(**_: Any) -> None:
    """Declarative GitOps for commercetools Connect Deployments."""


# The command's one interrupt switch: every API client of this process watches it (gitsync.api.cancel).
INTERRUPT = CancelToken()
SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """First Ctrl-C / SIGTERM: stop sending and unwind; a second one: leave at once."""
    if INTERRUPT.cancelled:
        os.write(2, b"interrupted\n")
        os._exit(EXIT_INTERRUPTED)
    INTERRUPT.cancel()
    raise KeyboardInterrupt


def _write_crash_report() -> str:
    import tempfile  # only for a bug: start-up (a pre-commit hook's) does not pay for it
    import traceback

    fd, path = tempfile.mkstemp(prefix="gitsync-crash-", suffix=".txt")
    with os.fdopen(fd, "w") as report:
        report.write(f"gitsync {__version__}\n{' '.join(sys.argv)}\n\n")
        report.write(traceback.format_exc())
    return path


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (SPEC §2) instead of exiting; signal handlers are restored."""
    previous = {signum: signal.signal(signum, _interrupt) for signum in SIGNALS}
    try:
        return _run(argv)
    finally:
        for signum, handler in previous.items():
            if handler is not None:
                signal.signal(signum, handler)


def _run(argv: list[str] | None) -> int:
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:  # the signal came while an error was being reported
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED


def _dispatch(argv: list[str] | None) -> int:
    try:
        result = cli.main(args=argv, prog_name="gitsync", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):  # click turns Ctrl-C inside a command into Abort
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    except click.UsageError as exc:
        _show(exc)
        return EXIT_USAGE
    except click.ClickException as exc:
        _show(exc)
        return 1
    except GitsyncError as exc:
        # an error may name a hostile path or value: escaped, it cannot drive the terminal (render.escape)
        click.echo(f"error: {clean_lines(str(exc))}", err=True)
        return exc.exit_code
    except Exception:  # the one place a bug is caught: keep the traceback off the screen
        path = _write_crash_report()
        click.echo(
            f"internal error: this is a bug in gitsync; please report it with the file {path}", err=True
        )
        return EXIT_INTERNAL
    return result if isinstance(result, int) else 0


def _show(exc: click.ClickException) -> None:
    """Click's own report, escaped: its message may quote what was typed (an option value, a name)."""
    report = io.StringIO()
    exc.show(file=report)
    click.echo(clean_lines(report.getvalue()), err=True, nl=False)


# A plan or validate of 1,000 files allocates millions of small objects that all live to the end; with
# CPython's default first threshold (700) the cyclic collector ran hundreds of times over them, about a
# tenth of the CPU time (SPEC §7). Collections still happen, only less often: memory stays bounded.
GC_THRESHOLDS = (20_000, 50, 100)


def main() -> NoReturn:
    gc.set_threshold(*GC_THRESHOLDS)
    for signum in SIGNALS:
        signal.signal(signum, _interrupt)
    code = _run(None)
    if code == EXIT_INTERRUPTED:
        # Worker threads may still be blocked on a silent or trickling server, and Python joins them at
        # exit; they can send nothing more (the switch is off), so leave without waiting (issue 7.7).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    # Interpreter shutdown runs the cyclic collector over every object still alive: about 9 ms of a 70 ms
    # pre-commit run (SPEC §7), to free memory the process is about to give back whole. Frozen objects are
    # left to the exit; atexit handlers and buffered output are flushed as usual.
    gc.freeze()
    sys.exit(code)


__all__ = ["INTERRUPT", "GlobalOptions", "cli", "main", "run"]
