"""The CLI shell: global options in either place, and the exit codes of SPEC §2."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import click
import pytest

from gitsync.cli import COMMANDS_BY_NAME, run
from gitsync.cli.options import GlobalOptions, get_options, global_options
from gitsync.errors import ConfigError, GuardError

HOSTILE = "evil\u202etxt\x1b[31m\x07\r"
RAW = ("\u202e", "\x1b", "\x07", "\r")

SEEN: list[GlobalOptions] = []


@click.command("probe")
@click.option("--fail", type=click.Choice(["bug", "guard", "interrupt", "hostile"]))
@global_options
def probe(fail: str | None) -> int:
    """A command for these tests: records the options it got, or fails as asked."""
    SEEN.append(get_options())
    if fail == "bug":
        raise ZeroDivisionError("a bug")
    if fail == "guard":
        raise GuardError("maxDeletes 2 exceeded: 3 deletes planned; pass --force to apply anyway")
    if fail == "interrupt":
        raise KeyboardInterrupt
    if fail == "hostile":
        raise ConfigError(f"{HOSTILE}/gitsync.yaml is invalid:\n  {HOSTILE}/a.yaml:1:1: error")
    return 0


@pytest.fixture(autouse=True)
def _probe_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(COMMANDS_BY_NAME, "probe", f"{__name__}:probe")
    SEEN.clear()


def test_global_options_before_and_after_the_command_merge() -> None:
    argv = ["--target", "staging", "--no-color", "probe", "--target", "production", "--only", "pay-*", "-v"]
    assert run(argv) == 0
    (options,) = SEEN
    assert options.targets == ("staging", "production")
    assert options.only == ("pay-*",)
    assert options.no_color and options.verbose
    assert options.color_for(FakeTerminal()) is False


class FakeTerminal:
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert GlobalOptions().color_for(FakeTerminal()) is True
    assert GlobalOptions().color_for(object()) is False
    assert GlobalOptions(no_color=True).color_for(FakeTerminal()) is False
    monkeypatch.setenv("NO_COLOR", "")
    assert GlobalOptions().color_for(FakeTerminal()) is False


def test_usage_errors_exit_64(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["probe", "--no-such-flag"]) == 64
    assert run(["no-such-command"]) == 64
    assert "No such option" in capsys.readouterr().err


def test_a_guard_exits_3_with_its_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["probe", "--fail", "guard"]) == 3
    assert capsys.readouterr().err == (
        "error: maxDeletes 2 exceeded: 3 deletes planned; pass --force to apply anyway\n"
    )


def test_an_interrupt_exits_130(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["probe", "--fail", "interrupt"]) == 130
    assert "interrupted" in capsys.readouterr().err


def test_a_bug_exits_4_with_one_line_and_the_traceback_in_a_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # imported on a bug only
    assert run(["probe", "--fail", "bug"]) == 4
    err = capsys.readouterr().err
    assert "Traceback" not in err
    match = re.fullmatch(
        r"internal error: this is a bug in gitsync; please report it with the file (\S+)\n", err
    )
    assert match is not None, err
    report = Path(match.group(1)).read_text()
    assert "ZeroDivisionError: a bug" in report


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert re.fullmatch(r"gitsync, version \d+\.\d+\.\d+\n", capsys.readouterr().out)


def test_an_error_naming_a_hostile_path_cannot_drive_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["probe", "--fail", "hostile"]) == 1
    err = capsys.readouterr().err
    assert not any(char in err for char in RAW)
    escaped = "evil\\u202etxt\\x1b[31m\\x07\\r"
    # the message's own line break stays: a config error lists one problem a line
    assert err == f"error: {escaped}/gitsync.yaml is invalid:\n  {escaped}/a.yaml:1:1: error\n"


def test_a_usage_error_quoting_what_was_typed_is_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["probe", "--fail", f"x{HOSTILE}"]) == 64
    err = capsys.readouterr().err
    assert "Invalid value for '--fail'" in err and "evil\\u202etxt" in err
    assert not any(char in err for char in RAW)
