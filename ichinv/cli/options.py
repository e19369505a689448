"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from ichinv.io.settings import Settings

RepoOpt = Annotated[
    Path | None,
    typer.Option(
        "--repo",
        help="Root folder of the inventory (default: found by walking up from the current folder).",
        show_default=False,
    ),
]


def load_settings(repo: Path | None) -> Settings:
    """Settings of the inventory at `repo` (or found from the current folder)."""
    from ichinv.io import settings

    return settings.load(repo)
