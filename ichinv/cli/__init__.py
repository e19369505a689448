"""The command-line interface: a thin layer of typer commands over the library.

Heavy libraries (jsonschema, GitPython, Jinja2) are imported inside the commands, and each
command's module is imported only when the command runs (ichinv.cli.commands lists them), so
that `ichinv --help`, `ichinv --version` and every command start fast.
"""

from __future__ import annotations

import gc
import sys

from ichinv.cli.app import app, load_commands_on_demand
from ichinv.core import trace

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    # A command keeps what it builds (records, their parsed data, findings) until it ends, and
    # the cyclic collector's default (a pass every 700 new objects, each full pass over all of
    # them) spent a third of a province packet's time on objects that hold no cycles. Far fewer
    # passes, as mypy does for the same reason; memory measured unchanged (README "Performance").
    gc.set_threshold(200_000, 30, 30)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    load_commands_on_demand()
    trace.reset()
    try:
        app(prog_name="ichinv")
    finally:
        if trace.enabled():
            print(trace.report(), file=sys.stderr)
