"""The command-line interface: a thin layer of typer commands over the library.

Heavy libraries (jsonschema, GitPython, Jinja2) are imported inside the commands, and each
command's module is imported only when the command runs (ichinv.cli.commands lists them), so
that `ichinv --help`, `ichinv --version` and every command start fast.
"""

from __future__ import annotations

import atexit
import gc
import os
import signal
import sys

TYPE_CHECKING = False  # not typing's: importing it is a first Ctrl-C window (see `main`)
if TYPE_CHECKING:
    from typing import NoReturn

__all__ = ["main", "run"]
"""The application itself is `ichinv.cli.app.app`: this package imports it when `run` starts,
once `main` has taken Ctrl-C in hand."""


def main() -> NoReturn:
    """Console-script entry point. Ctrl-C outside a command (while the command line is read,
    or while the process ends) says "interrupted" and exits 130 at once; inside, the error
    boundary does the same once the command's cleanups ran (ichinv.cli.boundary)."""
    signal.signal(signal.SIGINT, _interrupted)
    _leave(run())


def _interrupted(signum: int, frame: object) -> None:
    """Ctrl-C outside a command: nothing is being written (every command writes inside the
    boundary) and no cleanup is due, so no traceback of whatever Python was doing."""
    try:  # in the language of messages when it is known; a module half imported has none
        words = sys.modules["ichinv.core.i18n"]._("interrupted")
    except Exception:  # noqa: BLE001 - the handler must end the process whatever it meets
        words = "interrupted"
    try:
        os.write(2, f"{words}\n".encode("utf-8", "backslashreplace"))
    except OSError:
        pass
    os._exit(130)


def run() -> object:
    """Run the command line of `sys.argv` as the console script does; its exit status (what
    SystemExit would carry)."""
    # A command keeps what it builds (records, their parsed data, findings) until it ends, and
    # the cyclic collector's default (a pass every 700 new objects, each full pass over all of
    # them) spent a third of a province packet's time on objects that hold no cycles. Far fewer
    # passes, as mypy does for the same reason; memory measured unchanged (README "Performance").
    gc.set_threshold(200_000, 30, 30)
    from ichinv.cli.app import app, load_commands_on_demand
    from ichinv.cli.output import nowhere
    from ichinv.core import trace

    if sys.stderr is None:  # `2>&-`: nowhere to say anything; the exit code still tells
        sys.stderr = nowhere()
    if sys.stdout is None or not _writable(sys.stdout):  # `>&-`, `1</dev/null`
        _no_standard_output()
    # Standard output carries data (records' text, JSON, CSV, packets): UTF-8 whatever the
    # locale or PYTHONIOENCODING says. With `PYTHONIOENCODING=ascii` it was written as
    # `\u0418…` escapes with exit 0, text no reader could take for what the records hold.
    # Standard error, read by a person, keeps the terminal's encoding, escaping what it
    # cannot show.
    for stream, encoding in ((sys.stdout, "utf-8"), (sys.stderr, None)):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding=encoding, errors="backslashreplace")
    load_commands_on_demand()
    trace.reset()
    try:
        app(prog_name="ichinv")
        status: object = 0
    except SystemExit as exc:
        status = exc.code
    except OSError as exc:
        # What `--help`, `--version` or click's own messages could not write (a full disk),
        # outside any command's boundary, said as the boundary says it. A reader gone never
        # gets here: click answers it itself, so `_Group.make_context` does first.
        from ichinv.cli.boundary import failure

        status = failure(exc)
    finally:
        if trace.enabled():
            print(trace.report(), file=sys.stderr)
    return status


def _leave(status: object) -> NoReturn:
    """End the process with `status` (as SystemExit would) without freeing, one by one, the
    objects the command built: after a province packet of 10,000 records that took 0.15 s of
    its 0.8 s (measured), for memory the system takes back at once. What an exit must still do
    is done first: the exit handlers (temporary folders, worker pools) and the streams'
    buffers. Every file ichinv writes is closed by then (ichinv.io.atomic); a cache database is
    committed where it is written (an uncommitted change is dropped at any exit)."""
    if status is None:
        code = 0
    elif isinstance(status, int):
        code = status
    else:
        print(status, file=sys.stderr)
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            # The reader went away, the disk is full or the stream is closed: the command
            # flushed its answer and said so already (ichinv.cli.output, boundary).
            pass
    os._exit(code)


def _writable(stream: object) -> bool:
    """Whether the file descriptor under `stream` is open for writing (as far as the system
    tells: True when it cannot)."""
    try:
        import fcntl

        flags = fcntl.fcntl(stream.fileno(), fcntl.F_GETFL)  # type: ignore[attr-defined]
    except (ImportError, AttributeError, OSError, ValueError):
        return True
    return flags & os.O_ACCMODE != os.O_RDONLY


def _no_standard_output() -> None:
    """Standard output closed (`>&-`): say so, in the language of messages, and exit 2 (the
    environment's doing), instead of an "internal error" at the first write."""
    from ichinv.cli.boundary import EXIT_USAGE, choose_language, report
    from ichinv.core.errors import UsageError
    from ichinv.core.i18n import _

    args = sys.argv[1:]
    asked = next(
        (
            a.partition("=")[2] if "=" in a else (args[i + 1] if i + 1 < len(args) else None)
            for i, a in enumerate(args)
            if a == "--lang" or a.startswith("--lang=")
        ),
        None,
    )
    try:
        choose_language(asked if asked in ("kk", "ru", "en") else None)
    except UsageError:
        pass  # an unknown ICHINV_LANG: English
    report(
        _(
            "standard output is closed or not open for writing: there is nowhere to write the answer"
        ),
        _("send it to a file or to /dev/null instead of closing it (`>&-`)"),
    )
    raise SystemExit(EXIT_USAGE)
