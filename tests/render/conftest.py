"""Fixtures of the rendering tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.helpers import REPO_ROOT


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """A copy of ichinv's templates (`--templates` of the packets), for a test to edit."""
    folder = tmp_path / "templates"
    shutil.copytree(REPO_ROOT / "templates", folder)
    return folder
