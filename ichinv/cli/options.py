"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

RepoOpt = Annotated[
    Path | None,
    typer.Option(
        "--repo",
        help="Root folder of the inventory (default: found by walking up from the current folder).",
        show_default=False,
    ),
]


def load_settings(repo: Path | None):  # type: ignore[no-untyped-def]
    """Settings of the inventory at `repo` (or found from the current folder)."""
    from ichinv.io import settings

    return settings.load(repo)
