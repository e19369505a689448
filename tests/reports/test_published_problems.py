"""`progress` and `report periodic` are published (the committee's public page, the report to
UNESCO): what they could not read is told on standard error as every public output tells it,
never by a folder's name, where a link leads, or where the private overlay lives. An outside
test found both naming them, where `list` says "its name is not shown"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import reading_data as d
from tests.support.helpers import Result, build_inventory

Run = Callable[..., Result]

OVERLAY = "../home-aigul.kenzhebayeva/priv"
PUBLISHED = {
    "progress": ["progress"],
    "progress json": ["progress", "--format", "json"],
    "report": ["report", "periodic"],
    "report json": ["report", "periodic", "--format", "json"],
}


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An inventory whose private overlay lies outside it, in a folder named after a person."""
    made = build_inventory(
        tmp_path / "inventory", settings=f'[tool.ichinv]\nprivate_overlay = "{OVERLAY}"\n'
    )
    d.write(made, d.element("KZ-2026-0001"), d.element("KZ-2026-0002"))
    (made / OVERLAY / "elements").mkdir(parents=True)
    monkeypatch.chdir(made)
    return made


def _unread_overlay_file(root: Path) -> None:
    (root / OVERLAY / "elements" / "KZ-2026-0002.yaml").write_text("contacts: [\n  x\n")


def test_files_that_cannot_be_read_are_not_named_by_what_may_be_anyones(
    root: Path, run: Run, tmp_path: Path
) -> None:
    elements = root / "elements"
    (elements / "aigul.k@mail.ru").mkdir()  # a folder inside elements/, named like a contact
    d.write(root, d.element("KZ-2026-0902"))
    (elements / "KZ-2026-0902.yaml").rename(elements / "aigul.k@mail.ru" / "KZ-2026-0902.yaml")
    outside = tmp_path / "aigul-home" / "KZ-2026-0903.yaml"  # a link leading out, absolute
    outside.parent.mkdir()
    outside.write_text((elements / "KZ-2026-0001.yaml").read_text("utf-8"), "utf-8")
    (elements / "KZ-2026-0903.yaml").symlink_to(outside)
    copy = (elements / "KZ-2026-0001.yaml").read_text("utf-8")  # a copy not named by an id
    (elements / "aigul.kenzhebayeva copy.yaml").write_text(copy, "utf-8")
    _unread_overlay_file(root)
    for name, args in PUBLISHED.items():
        result = run(*args)
        assert result.exit_code == 1, (name, result.stderr)
        assert "elements/…" in result.stderr, name
        said = result.stdout + result.stderr
        assert "aigul" not in said and str(tmp_path) not in said, (name, result.stderr)
    committee = run("list", "--audience", "committee").stderr  # the committee is told all
    assert "elements/aigul.k" in committee and f"{OVERLAY}/elements/KZ-2026-0002" in committee


def test_an_overlay_file_that_cannot_be_read_is_told_without_where_it_lives(
    root: Path, run: Run
) -> None:
    _unread_overlay_file(root)
    for name in ("report", "report json"):  # it counts what the overlay keeps
        result = run(*PUBLISHED[name])
        assert result.exit_code == 1, (name, result.stderr)
        assert "the private overlay could not be read whole" in result.stderr
        assert "aigul" not in result.stderr and "KZ-2026-0002" not in result.stderr
    for name in ("progress", "progress json"):  # it counts and names public views only
        result = run(*PUBLISHED[name])
        assert (result.exit_code, result.stderr) == (0, ""), name


def test_a_whole_inventory_is_said_to_be_whole(root: Path, run: Run) -> None:
    (root / OVERLAY / "elements" / "KZ-2026-0002.yaml").write_text("{}\n")
    for name, args in PUBLISHED.items():
        result = run(*args)
        assert (result.exit_code, result.stderr) == (0, ""), name
