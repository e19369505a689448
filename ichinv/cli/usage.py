"""Usage errors of the command line (a mistyped option, a missing argument) in the language
of messages: click words them in English, with the same few sentences; they are shown here
through the catalogues, the option names and values as they were typed."""

from __future__ import annotations

import contextlib
import re
import sys
from typing import IO, Any

import typer

from ichinv.core.errors import typed
from ichinv.core.i18n import N_, _
from ichinv.render.plain import one_line

UsageError: Any = typer.BadParameter.__mro__[1]
"""Click's UsageError (the base of the BadParameter typer exports; typer vendors click)."""

NoArgsIsHelp: Any = sys.modules[UsageError.__module__].NoArgsIsHelpError
"""What click raises for a command group given no command (`ichinv report`): it shows the
group's help as it is, as `ichinv` alone does (exit 2), never as an error holding the help."""

_SENTENCES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), message)
    for pattern, message in (
        (
            r"Invalid value for (?P<option>.+?): (?P<problem>.*)",
            N_("Invalid value for {option}: {problem}"),
        ),
        (r"Invalid value: (?P<problem>.*)", N_("Invalid value: {problem}")),
        (
            r"No such option: (?P<option>\S+) \(Possible options: (?P<options>.*)\)",
            N_("No such option: {option} (Possible options: {options})"),
        ),
        (r"No such option: (?P<option>\S+)", N_("No such option: {option}")),
        (r"Missing argument (?P<name>.+?)\.", N_("Missing argument {name}.")),
        (r"Missing option (?P<name>.+?)\.", N_("Missing option {name}.")),
        (r"Missing command\.", N_("Missing command.")),
        (
            r"No such command (?P<name>.+?)\. Did you mean (?P<options>.*)\?",
            N_("No such command {name}. Did you mean {options}?"),
        ),
        (r"No such command (?P<name>.+?)\.", N_("No such command {name}.")),
        (
            r"Got unexpected extra argument\(s\) \((?P<arguments>.*)\)",
            N_("Got unexpected extra arguments ({arguments})"),
        ),
        (
            r"Option (?P<option>.+) requires an argument\.",
            N_("Option {option} requires an argument."),
        ),
        (
            r"Option (?P<option>.+) does not take a value\.",
            N_("Option {option} does not take a value."),
        ),
        (r"(?P<value>'.*') is not one of (?P<values>.*)\.", N_("{value} is not one of {values}.")),
        (r"(?P<value>'.*') is not a valid integer\.", N_("{value} is not a whole number.")),
    )
)
"""What click says, and how ichinv says it (in English, click's own words)."""


def words(text: str) -> str:
    """Click's sentence `text` in the language of messages (a sentence it does not know as it
    is); the problem inside `Invalid value for …:` is translated in turn, and a value that is
    none of an option's choices gets the closest of them (`did you mean 'json'?`), as the
    filters' values do (ichinv.cli.filters.one_of)."""
    for pattern, message in _SENTENCES:
        match = pattern.fullmatch(text)
        if match is not None:
            values = match.groupdict()
            if "problem" in values:
                values["problem"] = words(values["problem"])
            if "values" in values and "value" in values:
                guess = _closest(values["value"], values["values"])
                if guess is not None:
                    return _("{value} is not one of {values}; did you mean {guess}?").format(
                        guess=guess, **values
                    )
            return _(message).format(**values)
    return text


def _closest(value: str, choices: str) -> str | None:
    """The choice (as click quotes it, `'json'`) closest to `value` (`'jsn'`), in any case;
    None when none is close."""
    found = closest(value.strip("'"), _CHOICE.findall(choices))
    return f"'{found}'" if found is not None else None


def closest(value: str, choices: list[str]) -> str | None:
    """The one of `choices` closest to `value` in any case (`jsn` → `json`, `crafts` →
    `craftsmanship`), as written among them; None when none is close: the "did you mean" of
    an option's value, whether click or ichinv checks it (ichinv.cli.filters)."""
    import difflib

    by_fold = {choice.casefold(): choice for choice in choices}
    close = difflib.get_close_matches(value.casefold(), list(by_fold), 1, 0.4)
    return by_fold[close[0]] if close else None


_CHOICE = re.compile(r"'([^']*)'")


_TOKEN = re.compile(r"'([^']*)'|[^ \t\n'\"(),]+")
"""What click quotes (`'…'`, kept whole: a phone number may hold spaces), or a word between
plain spaces."""


def _unquoted(text: str) -> str:
    """`text` with what click quotes, and each word, that may be a contact (what was typed for
    an option: `--domain ivan@example.org`) as `…`."""

    from ichinv.core.contacts import may_be_contact  # (its patterns cost `--help` 0.2 s)

    def shown(match: re.Match[str]) -> str:
        quoted = match.group(1)
        if quoted is None:
            return typed(match.group())
        value = quoted
        if "\\" in quoted:  # click quotes with repr(): `'8\\xa0700…'` for no-break spaces
            import ast

            with contextlib.suppress(ValueError, SyntaxError):
                value = ast.literal_eval(f"'{quoted}'")
        return "'…'" if may_be_contact(value) else match.group()

    return _TOKEN.sub(shown, text)


class SpokenUsageError(UsageError):  # click's class, found at run time
    """A usage error shown in the language of messages (the place, the usage line and the
    help option named as click does)."""

    def __init__(self, original: Any) -> None:
        super().__init__(original.format_message(), original.ctx)
        self.exit_code = original.exit_code

    def format_message(self) -> str:
        return _unquoted(words(self.message))

    def show(self, file: IO[Any] | None = None) -> None:
        context = self.ctx
        try:
            if context is not None:
                usage = context.get_usage()
                if context.command.get_help_option(context) is not None:
                    usage += "\n" + _("Try {command!r} for help.").format(
                        command=f"{context.command_path} {context.help_option_names[0]}"
                    )
                typer.echo(usage + "\n", err=file is None, file=file)
            typer.echo(
                _("Error: {message}").format(message=one_line(self.format_message())),
                err=file is None,
                file=file,
            )
        except OSError:
            pass  # standard error cannot take it (`2>/dev/full`): the exit code (2) still tells
