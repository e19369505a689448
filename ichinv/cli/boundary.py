"""The one place where failures become messages and exit codes; no traceback reaches the user."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from ichinv.core.errors import IchinvError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


def report(message: str, hint: str | None = None) -> None:
    """Print an error (and its hint) on standard error."""
    typer.echo(f"error: {message}", err=True)
    if hint:
        typer.echo(f"hint: {hint}", err=True)


@contextmanager
def boundary() -> Iterator[None]:
    """Map IchinvError to exit 2, interruption to 130 and any bug to exit 3 with one line.

    An OSError no command turned into words becomes exit 2 too when the operating system
    refused for a reason of the user's or the machine's (ichinv.io.os_errors.escaped).
    """
    try:
        yield
    except (typer.Exit, typer.Abort, typer.TyperException):
        raise
    except IchinvError as exc:
        report(exc.message, exc.hint)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(EXIT_OK) from None
    except Exception as exc:
        if os.environ.get("ICHINV_DEBUG"):
            raise
        if isinstance(exc, OSError):
            from ichinv.io.os_errors import escaped

            plain = escaped(exc)
            if plain is not None:
                # The system refused (a file vanished, a full disk): the user's or the
                # machine's doing, not a bug. Anything else an OSError says is reported as one.
                report(plain.message, plain.hint)
                raise typer.Exit(plain.exit_code) from None
        report(
            f"internal error: {type(exc).__name__}: {exc}",
            "this is a bug in ichinv; re-run with ICHINV_DEBUG=1 for details and report it",
        )
        raise typer.Exit(EXIT_INTERNAL) from None
