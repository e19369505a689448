"""The typer application every command registers on, wrapped in the error boundary."""

from __future__ import annotations

import importlib
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from ichinv.cli.boundary import boundary
from ichinv.cli.commands import COMMANDS

_on_demand = False
"""True when commands are loaded as they are run (the console script), False when every
command is loaded as the application is built (tests and other in-process callers)."""


def load_commands_on_demand() -> None:
    """Load each command's module only when that command runs (see ichinv.cli.commands)."""
    global _on_demand
    _on_demand = True


class _Unloaded(TyperCommand):
    """A command whose module is not imported yet: enough for `ichinv --help` to list it."""

    def __init__(self, name: str, module: str, summary: str) -> None:
        super().__init__(name=name, help=summary)
        self.module = module


_BUILT: dict[int, Any] = {}
"""Click commands built from commands registered on demand, by id of their typer info."""


def _build(info: Any, *, group: bool) -> Any:
    """The click command of a typer command (or group) registered on demand, built once."""
    if id(info) not in _BUILT:
        short, markup = app.pretty_exceptions_short, app.rich_markup_mode
        _BUILT[id(info)] = (
            typer.main.get_group_from_info(
                info,
                pretty_exceptions_short=short,
                rich_markup_mode=markup,
                suggest_commands=app.suggest_commands,
            )
            if group
            else typer.main.get_command_from_info(
                info, pretty_exceptions_short=short, rich_markup_mode=markup
            )
        )
    return _BUILT[id(info)]


class _Group(TyperGroup):
    """Runs every command inside the error boundary; lists commands in the order of
    ichinv.cli.commands; imports a command's module only when the command is needed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        known: dict[str, Any] = dict(self.commands)
        self.commands = {
            name: known.pop(name, None) or _Unloaded(name, f"ichinv.cli.{module}", summary)
            for name, (module, summary) in COMMANDS.items()
        } | known
        if not _on_demand:
            for name in list(self.commands):
                self._load(name)

    def _load(self, name: str) -> Any:
        command = self.commands.get(name)
        if not isinstance(command, _Unloaded):
            return command
        try:
            importlib.import_module(command.module)
        except ModuleNotFoundError as exc:
            if exc.name != command.module:
                raise
            # Listed before it was written: tests/cli/test_startup.py says so.
            del self.commands[name]
            return None
        built = [_build(info, group=False) for info in app.registered_commands] + [
            _build(info, group=True) for info in app.registered_groups
        ]
        for new in built:
            if new.name and isinstance(self.commands.get(new.name), _Unloaded | None):
                self.commands[new.name] = new
        loaded = self.commands.get(name)
        return None if isinstance(loaded, _Unloaded) else loaded

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return self._load(cmd_name) if cmd_name in self.commands else None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # List every command from what is known of it, without loading any.
        rows = [(name, command) for name, command in self.commands.items() if not command.hidden]
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(n, c.get_short_help_str(limit)) for n, c in rows])

    def invoke(self, ctx: Any) -> Any:
        with boundary():
            return super().invoke(ctx)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)


app = typer.Typer(
    cls=_Group,
    name="ichinv",
    help="Keep a national inventory of intangible cultural heritage as reviewed, versioned data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from ichinv import __version__

        typer.echo(f"ichinv {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Keep a national inventory of intangible cultural heritage as reviewed, versioned data."""
