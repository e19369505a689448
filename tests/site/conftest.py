"""Fixtures for `ichinv site`: small inventories with the real templates, the repository's own
inventory built once, and the built files read back."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support.helpers import REPO_ROOT, build_inventory


def copy_repository(root: Path) -> Path:
    """A copy of this repository's inventory (records, schemas, templates, settings) at `root`."""
    root.mkdir(parents=True)
    for name in ("elements", "provinces", "schema", "templates"):
        shutil.copytree(REPO_ROOT / name, root / name)
    shutil.copy(REPO_ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def files_of(site: Path) -> dict[str, bytes]:
    """Every file of a built site: path (with /) → bytes."""
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def published(site: Path) -> dict[str, bytes]:
    """The files of a built site but its marker `.ichinv-site` (the build's bookkeeping)."""
    found = files_of(site)
    found.pop(".ichinv-site", None)
    return found


@pytest.fixture
def site_inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small base inventory with the real templates (site and i18n), as the current folder."""
    root = build_inventory(tmp_path / "inventory")
    shutil.copytree(REPO_ROOT / "templates", root / "templates")
    monkeypatch.chdir(root)
    return root


@pytest.fixture(scope="session")
def repository_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The site of this repository's own inventory, built once by `ichinv site` (in a copy)."""
    from ichinv.cli.app import app

    root = copy_repository(tmp_path_factory.mktemp("repository") / "inventory")
    site = root.parent / "site"
    result = CliRunner().invoke(
        app, ["site", "--repo", str(root), "--output", str(site)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    yield site
