"""The command-line interface: a thin layer of typer commands over the library.

Heavy libraries (jsonschema, GitPython, Jinja2) are imported inside the commands, so that
`ichinv --help` and `ichinv --version` start fast.
"""

from __future__ import annotations

import sys

from ichinv.cli import diff as _diff  # noqa: F401 - registers the command
from ichinv.cli import log as _log  # noqa: F401 - registers the command
from ichinv.cli import validate as _validate  # noqa: F401 - registers the command
from ichinv.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    app(prog_name="ichinv")
