"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

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


def as_ids(value: Any) -> Any:
    """Parameter callback: ids as the inventory spells them (`kz-23 ` → `KZ-23`); a list
    stays a list. Every id option and argument takes ids in any case."""
    if isinstance(value, str):
        return value.strip().upper()
    if isinstance(value, list | tuple):
        return [v.strip().upper() if isinstance(v, str) else v for v in value]
    return value


def load_settings(repo: Path | None) -> Settings:
    """Settings of the inventory at `repo` (or found from the current folder)."""
    from ichinv.io import settings

    return settings.load(repo)
