"""Fixtures of the field-form tests: an inventory with the templates, and its form."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import REPO_ROOT, Result

Run = Callable[..., Result]


@pytest.fixture
def field_inventory(inventory: Path) -> Path:
    shutil.copytree(REPO_ROOT / "templates", inventory / "templates")
    return inventory


@pytest.fixture
def form(field_inventory: Path, run: Run) -> bytes:
    result = run("form", "--output", str(field_inventory.parent / "form.xlsx"))
    assert result.exit_code == 0, result.stderr
    return (field_inventory.parent / "form.xlsx").read_bytes()
