"""The one place where failures become messages and exit codes; no traceback reaches the user."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer

from ichinv.cli.output import reader_gone
from ichinv.core import i18n
from ichinv.core.errors import IchinvError, UsageError, typed
from ichinv.core.i18n import _
from ichinv.render.plain import one_line

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


def report(message: str, hint: str | None = None, details: Sequence[str] = ()) -> None:
    """Print an error, the files or records it lists (`details`, one an indented line) and its
    hint on standard error, in the language of messages. Each is one line, whatever names or
    values it quotes: line breaks and other control characters in them are shown as escapes
    (`\\n`, `\\x1b`, ichinv.render.plain.one_line), as `validate` shows a file's name, so that
    no name makes a line of its own (a GitHub workflow command `::error …`) or acts on the
    terminal. When standard error cannot take it (`2>/dev/full`), the exit code still tells."""
    try:
        typer.echo(_("error: {message}").format(message=one_line(message)), err=True)
        for detail in details:
            typer.echo(f"  {one_line(detail)}", err=True)
        if hint:
            typer.echo(_("hint: {hint}").format(hint=one_line(hint)), err=True)
    except OSError:
        pass


def choose_language(requested: str | None = None) -> None:
    """Speak `requested` (a command's `--lang`), else the language the environment asks for
    (`ICHINV_LANG`, else the locale, else English): ichinv.core.i18n decides. An
    `ICHINV_LANG` naming a language ichinv does not speak is a usage error (exit 2)."""
    if requested is not None:
        i18n.use(requested)
        return
    try:
        i18n.use(i18n.from_environment())
    except i18n.UnknownLanguage as exc:
        i18n.use(None)
        raise UsageError(
            _("ICHINV_LANG is {value!r}, a language ichinv does not speak").format(
                value=typed(exc.value)
            ),
            hint=_("set ICHINV_LANG to kk, ru or en, or unset it to follow the locale"),
        ) from None


@contextmanager
def boundary() -> Iterator[None]:
    """Map IchinvError to exit 2, interruption to 130 and any bug to exit 3 with one line.

    An OSError no command turned into words becomes exit 2 too when the operating system
    refused for a reason of the user's or the machine's (ichinv.io.os_errors.escaped).
    Inside, Ctrl-C raises KeyboardInterrupt (cleanups run on its way out) whatever handler
    the process had outside (ichinv.cli.main's ends it at once).
    """
    outside = _interrupts_raise()
    ending = _terminations_raise() if outside is not None else None
    hangup = _hangups_raise() if outside is not None else None
    said = False
    try:
        yield
    except typer.Abort as exc:
        # A question (`ichinv new`) got no answer. Click would say "Aborted!" in English and
        # exit 1 whatever the cause; the cause is the exception it replaced.
        if isinstance(exc.__context__, EOFError):
            report(
                _("standard input ended before every question was answered: nothing was written"),
                _("answer each question, or give the answers as options (`--help` lists them)"),
            )
            raise typer.Exit(EXIT_USAGE) from None
        typer.echo(_("interrupted"), err=True)
        said = True
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except (typer.Exit, typer.TyperException):
        raise
    except IchinvError as exc:
        report(exc.message, exc.hint, exc.details)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo(_("interrupted"), err=True)
        said = True
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say.
        reader_gone()
        raise typer.Exit(EXIT_OK) from None
    except Exception as exc:
        if os.environ.get("ICHINV_DEBUG"):
            raise
        raise typer.Exit(failure(exc)) from None
    finally:
        if outside is not None:  # once said, a second Ctrl-C on the way out is not said again
            signal.signal(signal.SIGINT, _end_quietly if said else outside)
        if ending is not None:
            signal.signal(signal.SIGTERM, ending)
        if hangup is not None:
            signal.signal(signal.SIGHUP, hangup)


def _end_quietly(signum: int, frame: object) -> None:
    """Ctrl-C again while an interrupted command ends: it said "interrupted" already."""
    os._exit(EXIT_INTERRUPTED)


def _interrupts_raise() -> Any:
    """Have Ctrl-C raise KeyboardInterrupt; the handler before (None: left as it was, in a
    thread other than the main one, where handlers cannot be set)."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGINT, signal.default_int_handler)


def _terminations_raise() -> Any:
    """Have SIGTERM (a service manager, a CI timeout, `kill`) end the command as SystemExit
    with status 143, so that its cleanups run on the way out: a write in progress removes its
    temporary file (an outside test found them left in a site's folders); the handler before."""
    return signal.signal(signal.SIGTERM, _terminated)


def _hangups_raise() -> Any:
    """Have SIGHUP (the terminal closed, an SSH session dropped) end the command as SIGTERM
    does (status 129), its cleanups run on the way out (it ended the process at once,
    leaving a write's temporary file); left as it is when ignored (`nohup`) or where there is
    no such signal. The handler before, or None when left as it is."""
    hangup = getattr(signal, "SIGHUP", None)
    if hangup is None or signal.getsignal(hangup) is signal.SIG_IGN:
        return None
    return signal.signal(hangup, _terminated)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def failure(exc: Exception) -> int:
    """Say what went wrong with an exception no command turned into words; its exit code.
    An OSError for a reason of the user's or the machine's (a file vanished, a full disk:
    ichinv.io.os_errors.escaped) is said in plain words (exit 2); anything else is a bug
    (exit 3)."""
    if isinstance(exc, OSError):
        from ichinv.io.os_errors import escaped

        plain = escaped(exc)
        if plain is not None:
            report(plain.message, plain.hint)
            return plain.exit_code
    report(
        _("internal error: {error}").format(error=f"{type(exc).__name__}: {exc}"),
        _("this is a bug in ichinv; re-run with ICHINV_DEBUG=1 for details and report it"),
    )
    return EXIT_INTERNAL
