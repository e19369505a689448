"""Start-up: `ichinv --help` and every command load only what they need, and say the same.

The console script imports a command's module only when the command runs
(ichinv.cli.commands); in-process callers (these tests' CliRunner) get every command loaded.
Both must show the same help and run the same commands.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from ichinv.cli.app import app
from ichinv.cli.commands import COMMANDS
from tests.support.helpers import REPO_ROOT

HEAVY = (
    *("yaml", "ruamel.yaml", "jsonschema", "fastjsonschema", "git", "jinja2", "openpyxl", "rich"),
    "ichinv.core.contacts",  # its patterns take ~50 ms to compile (0.2 s with all of them)
)


def loaded_after(*argv: str, cwd: Path | None = None) -> dict[str, Any]:
    """Run the console script's command line in a fresh interpreter (ichinv.cli.run: main
    without its fast exit); what it had imported."""
    code = (
        "import json, sys\n"
        "from ichinv.cli import run\n"
        f"sys.argv = ['ichinv', *{list(argv)!r}]\n"
        "code = run()\n"
        "sys.stdout = sys.__stdout__\n"
        "print('\\n@@' + json.dumps({'code': code, 'modules': sorted(sys.modules)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
        env=os.environ | {"COLUMNS": "80"},  # help is then 78 wide
    )
    out, _, tail = done.stdout.rpartition("\n@@")
    return json.loads(tail) | {"stdout": out, "stderr": done.stderr}


def command_modules(modules: list[str]) -> set[str]:
    defining = {f"ichinv.cli.{module}" for module, _ in COMMANDS.values()}
    return defining & set(modules)


def test_the_table_lists_every_command_its_module_and_summary() -> None:
    group = typer.main.get_command(app)
    actual: dict[str, tuple[str, str]] = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        callback = command.callback
        if hasattr(command, "commands"):  # a group of sub-commands: where they are defined
            callback = next(iter(command.commands.values())).callback
        callback = inspect.unwrap(callback)
        summary = " ".join((command.help or "").split("\n\n")[0].split())
        actual[name] = (callback.__module__.removeprefix("ichinv.cli."), summary)
    table = {name: (module, " ".join(text.split())) for name, (module, text) in COMMANDS.items()}
    assert table == actual, (
        "ichinv/cli/commands.py must name every command, its module and the first paragraph "
        "of its help, in --help order"
    )


def test_help_loads_no_command_and_lists_what_the_loaded_cli_lists() -> None:
    lazy = loaded_after("--help")
    assert lazy["code"] == 0
    assert command_modules(lazy["modules"]) == set()
    assert [m for m in HEAVY if m in lazy["modules"]] == []
    assert "importlib.metadata" not in lazy["modules"]
    eager = CliRunner().invoke(app, ["--help"], prog_name="ichinv", terminal_width=78)
    assert lazy["stdout"] == eager.stdout


def test_version_loads_no_command() -> None:
    lazy = loaded_after("--version")
    assert lazy["code"] == 0 and lazy["stdout"].startswith("ichinv ")
    assert command_modules(lazy["modules"]) == set()


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        (("validate", "--format", "json", "--no-cache"), "ichinv.cli.validate"),
        (("report", "--help"), "ichinv.cli.report"),
        (("retire", "--help"), "ichinv.cli.lifecycle"),
    ],
)
def test_a_command_loads_only_its_own_module(
    argv: tuple[str, ...], module: str, inventory: Path
) -> None:
    lazy = loaded_after(*argv, cwd=inventory)
    assert lazy["code"] == 0, lazy["stderr"]
    assert command_modules(lazy["modules"]) == {module}


def test_a_command_that_parses_no_record_does_not_load_the_yaml_parser(
    git_inventory: Path,
) -> None:
    """PyYAML's import compiles its pure-Python reader's patterns (~20 ms, a tenth of a warm
    `validate`): it is loaded at the first record parsed, and a run that finds every record in
    the cache parses none (a packet's translation tables are kept as read too)."""
    cold = loaded_after("validate", "--format", "json", cwd=git_inventory)
    assert cold["code"] == 0, cold["stderr"]
    assert "yaml" in cold["modules"]  # it parsed every record
    packet = ("packet", "--province", "KZ-23", "--templates", str(REPO_ROOT / "templates"))
    assert loaded_after(*packet, cwd=git_inventory)["code"] == 0  # keeps the labels as read
    warm_runs = [("validate", "--format", "json"), ("list",), ("diff-2013", "--format", "json")]
    for argv in [*warm_runs, packet]:
        warm = loaded_after(*argv, cwd=git_inventory)
        assert warm["code"] == 0, warm["stderr"]
        assert "yaml" not in warm["modules"], argv
    (git_inventory / "elements" / "KZ-2013-0002.yaml").write_bytes(
        (git_inventory / "elements" / "KZ-2013-0002.yaml").read_bytes() + b"# edited\n"
    )
    edited = loaded_after("validate", "--format", "json", cwd=git_inventory)
    assert edited["code"] == 0, edited["stderr"]
    assert "yaml" in edited["modules"]  # the edited record is parsed


def test_a_mistyped_command_still_gets_a_suggestion() -> None:
    lazy = loaded_after("valdate")
    assert lazy["code"] == 2
    assert "No such command 'valdate'. Did you mean 'validate'?" in lazy["stderr"]


@pytest.mark.parametrize("group", ["report", "ci", "private"])
def test_a_command_group_without_its_command_shows_its_help_as_ichinv_alone_does(
    group: str,
) -> None:
    """An outside test: `ichinv report` printed `Error: Usage: …` with the whole help inside
    the error. Now each group, like `ichinv` alone, shows its usage and help (exit 2)."""
    alone = loaded_after()
    assert alone["code"] == 2 and alone["stderr"].startswith("Usage: ichinv [OPTIONS]")
    for shown in (loaded_after(group), CliRunner().invoke(app, [group])):
        stderr = shown["stderr"] if isinstance(shown, dict) else shown.stderr
        code = shown["code"] if isinstance(shown, dict) else shown.exit_code
        assert code == 2
        assert stderr.startswith(f"Usage: ichinv {group} [OPTIONS] COMMAND [ARGS]...")
        assert "Error" not in stderr and "Commands:" in stderr


@pytest.mark.parametrize(
    "argv", [["ci", "summary", ""], ["validate", ""], ["fmt", "--check", ""], ["import", ""]]
)
def test_an_empty_path_is_a_usage_error(argv: list[str], inventory: Path) -> None:
    """An outside test: `ci summary ""` said `cannot read .: it is a folder` (empty text read
    as a path is the current folder; `validate ""` checked the whole inventory)."""
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2, result.output
    assert "error: an empty path names no file or folder" in result.stderr
    assert result.stdout == ""


def _interrupted_at(where: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """The console script's `main`, with Ctrl-C pressed `where`: while the command line is
    read (`reading`: before any command's error boundary) or while the process ends
    (`ending`: in an exit handler, after the command)."""
    code = (
        "import atexit, os, signal, sys\n"
        "import ichinv.cli.app as cli_app\n"
        "def press():\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    for _ in range(10**6): pass  # Python runs the handler between instructions\n"
        "loaded = cli_app.load_commands_on_demand\n"
        f"if {where!r} == 'reading':\n"
        "    cli_app.load_commands_on_demand = lambda: (press(), loaded())\n"
        "else:\n"
        "    atexit.register(press)\n"
        "from ichinv.cli import main\n"
        f"sys.argv = ['ichinv', *{list(argv)!r}]\n"
        "main()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=os.environ | {"ICHINV_LANG": "en"},
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("where", ["reading", "ending"])
def test_ctrl_c_outside_a_command_says_interrupted_and_exits_130(where: str) -> None:
    # Found by hand: Python's traceback of whatever it was importing (exit by SIGINT), or,
    # in an exit handler, "Exception ignored" with a traceback and exit 0.
    done = _interrupted_at(where, "--version")
    assert (done.returncode, done.stderr) == (130, "interrupted\n")


def test_a_second_ctrl_c_while_an_interrupted_command_ends_is_not_said_again(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An outside test: Ctrl-C twice printed `interrupted` twice (the boundary's, then the
    outside handler's on the way out); the second now ends the process without a word."""
    import signal

    from ichinv.cli import boundary

    def outside(signum: int, frame: object) -> None:
        raise AssertionError("the outside handler would say it again")

    before = signal.signal(signal.SIGINT, outside)
    try:
        with pytest.raises(typer.Exit) as stopped, boundary.boundary():
            raise KeyboardInterrupt
        assert stopped.value.exit_code == 130
        assert signal.getsignal(signal.SIGINT) is boundary._end_quietly
        with boundary.boundary():  # a command that ends normally leaves the handler it found
            pass
        assert signal.getsignal(signal.SIGINT) is boundary._end_quietly
        signal.signal(signal.SIGINT, outside)
        with boundary.boundary():
            pass
        assert signal.getsignal(signal.SIGINT) is outside
    finally:
        signal.signal(signal.SIGINT, before)
    assert capsys.readouterr().err.count("interrupted") == 1


def test_sigterm_during_a_write_ends_with_143_and_leaves_no_temporary_file(
    git_inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An outside test: SIGTERM (a CI timeout, `kill`) during `site --output` left an empty
    `.NAME.XXXXXXXX.tmp` in the site; the process died without running its cleanups."""
    import signal

    from ichinv.io import atomic

    real = os.fchmod

    def terminated_meanwhile(handle: int, mode: int) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        real(handle, mode)

    monkeypatch.setattr(atomic.os, "fchmod", terminated_meanwhile)
    before = signal.getsignal(signal.SIGTERM)
    files = set(git_inventory.iterdir())
    result = CliRunner().invoke(app, ["export", "--output", "out.json"], catch_exceptions=False)
    assert result.exit_code == 143, result.stderr
    assert set(git_inventory.iterdir()) == files  # neither the export nor a temporary file
    assert signal.getsignal(signal.SIGTERM) is before
