"""The typer application every command registers on, wrapped in the error boundary."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from ichinv.cli import usage
from ichinv.cli.boundary import EXIT_OK, boundary, choose_language
from ichinv.cli.commands import COMMANDS
from ichinv.cli.output import reader_gone
from ichinv.core import dates
from ichinv.core.i18n import N_, _
from ichinv.io import one_command

_on_demand = False
"""True when commands are loaded as they are run (the console script), False when every
command is loaded as the application is built (tests and other in-process callers)."""


def load_commands_on_demand() -> None:
    """Load each command's module only when that command runs (see ichinv.cli.commands)."""
    global _on_demand
    _on_demand = True


HELP_WORDS = (N_("Usage:"), N_("Options"), N_("Arguments"), N_("Commands"))
"""Headings of `--help` (click's words, shown in the language of messages)."""

HELP_OPTION = N_("Show this message and exit.")


class _Formatter(typer.Context.formatter_class):  # type: ignore[valid-type,misc]
    """Click's help formatter, with its headings, the help option's text and the `[default:
    …]`/`[required]` notes in the language of messages (the help texts themselves are
    translated where the commands declare them)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix if prefix is not None else _("Usage:") + " ")

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(_(name)):
            yield

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, _notes(text)) for term, text in rows], col_max, col_spacing)


def _notes(text: str) -> str:
    """An option's help with typer's notes (`  [default: text]`, `[required]`) translated."""
    if text == HELP_OPTION:
        return _(HELP_OPTION)
    body, sep, notes = text.rpartition("  [")
    if not sep or not notes.endswith("]"):
        return text
    words = []
    for note in notes[:-1].split("; "):
        if note == "required":
            words.append(_("required"))
        elif note.startswith("default: "):
            words.append(_("default: {value}").format(value=note.removeprefix("default: ")))
        else:
            words.append(note)
    return f"{body}  [{'; '.join(words)}]"


class _Context(typer.Context):
    formatter_class = _Formatter


def _speaking(command: Any) -> Any:
    """`command` (and its sub-commands) formatting help with `_Formatter`."""
    command.context_class = _Context
    for sub in getattr(command, "commands", {}).values():
        _speaking(sub)
    return command


class _Unloaded(TyperCommand):
    """A command whose module is not imported yet: enough for `ichinv --help` to list it."""

    def __init__(self, name: str, module: str, summary: str) -> None:
        super().__init__(name=name, help=_(summary))
        self.module = module


_BUILT: dict[int, Any] = {}
"""Click commands built from commands registered on demand, by id of their typer info."""


def _build(info: Any, *, group: bool) -> Any:
    """The click command of a typer command (or group) registered on demand, built once."""
    if id(info) not in _BUILT:
        short, markup = app.pretty_exceptions_short, app.rich_markup_mode
        _BUILT[id(info)] = _speaking(
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

    context_class = _Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        known: dict[str, Any] = dict(self.commands)
        self.commands = {
            name: known.pop(name, None) or _Unloaded(name, f"ichinv.cli.{module}", summary)
            for name, (module, summary) in COMMANDS.items()
        } | known
        for command in self.commands.values():
            if not isinstance(command, _Unloaded):
                _speaking(command)
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

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        # `--help` and `--version` are written here, before any command's boundary: a reader
        # gone (`ichinv --help | true`) is no error, as for every command (click says 1).
        try:
            return super().make_context(*args, **kwargs)
        except BrokenPipeError:
            reader_gone()
            raise SystemExit(EXIT_OK) from None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # List every command from what is known of it, without loading any.
        rows = [(name, command) for name, command in self.commands.items() if not command.hidden]
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, __ in rows)
            with formatter.section(N_("Commands")):
                formatter.write_dl([(n, c.get_short_help_str(limit)) for n, c in rows])

    def invoke(self, ctx: Any) -> Any:
        with boundary(), one_command.scope():
            choose_language()  # a command's --lang may change it (ichinv.cli.options.speak)
            dates.today()  # a malformed ICHINV_TODAY is exit 2 for every command, as ICHINV_LANG
            try:
                return super().invoke(ctx)
            except usage.UsageError as exc:
                if isinstance(exc, (usage.SpokenUsageError, usage.NoArgsIsHelp)):
                    raise
                raise usage.SpokenUsageError(exc) from None

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)


app = typer.Typer(
    cls=_Group,
    name="ichinv",
    help=_(
        "Keep a national inventory of intangible cultural heritage as reviewed, versioned data."
    ),
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


@app.callback(
    help=_(
        "Keep a national inventory of intangible cultural heritage as reviewed, versioned data."
    ),
)
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=_("Show the version and exit.")
        ),
    ] = False,
) -> None:
    # The options of every command; the help is the decorator's.
    return None
