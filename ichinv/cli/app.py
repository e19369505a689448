"""The typer application every command registers on, wrapped in the error boundary."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ichinv.cli.boundary import boundary


class _Group(TyperGroup):
    """Runs every command inside the error boundary; lists commands in the order declared."""

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
