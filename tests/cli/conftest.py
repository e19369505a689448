"""Fixtures of the command tests that more than one module uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.helpers import REPO_ROOT


@pytest.fixture
def inventory_with_template(inventory: Path) -> Path:
    """The test inventory with this repository's template of a new element (`ichinv new`)."""
    (inventory / "templates").mkdir(exist_ok=True)
    (inventory / "templates" / "new-element.yaml").write_bytes(
        (REPO_ROOT / "templates" / "new-element.yaml").read_bytes()
    )
    return inventory
