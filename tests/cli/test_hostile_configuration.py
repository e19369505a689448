"""The files that configure an inventory (settings, schemas and their translation tables,
templates, their translation tables, the site's assets) come with pull requests, which may
commit symbolic links: each is read confined to its folder, bounded, and never from a pipe or a
device (ichinv.io.confined). A refused file is named, with exit 2: never a hang, never an
internal error out of memory (found by an outside tester: a link to /dev/zero ended five
commands in MemoryError, a link to a pipe hung `packet`, and a link out of the folder was read)."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import REPO_ROOT, Result, build_inventory

Run = Callable[..., Result]

INPUTS = {
    # kind: (the file, the command that reads it)
    "labels": ("templates/i18n/en.yaml", ("packet",)),
    "template": ("templates/packets/index.md.j2", ("packet",)),
    "site asset": ("templates/site/assets/site.css", ("site", "-o", "../site")),
    "schema": ("schema/element.schema.json", ("validate",)),
    "schema translations": ("schema/i18n/kk.json", ("schema-docs", "--check")),
    "settings": ("pyproject.toml", ("validate",)),
}

TEXT_LIMIT = 1024 * 1024
ASSET_LIMIT = 10 * 1024 * 1024


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small base inventory with the real templates, as the current folder."""
    made = build_inventory(tmp_path / "inventory")
    shutil.copytree(REPO_ROOT / "templates", made / "templates")
    monkeypatch.chdir(made)
    return made


def _refused(code: int, err: str, rel: str, reason: str) -> None:
    assert code == 2, err
    assert f"{rel} {reason}" in err, err
    assert "internal error" not in err and "Traceback" not in err, err


def _subprocess(root: Path, *args: str) -> tuple[int, str]:
    """`ichinv ARGS…` in another process, with 1.5 GB of memory and 30 seconds at most (what
    the command did before: read /dev/zero without end, or wait on a pipe for ever)."""

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    done = subprocess.run(
        [sys.executable, "-m", "ichinv", *args],
        cwd=root,
        capture_output=True,
        timeout=30,
        check=False,
        preexec_fn=limited,  # noqa: PLW1509 - no thread runs yet in the test process's child
    )
    return done.returncode, done.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize("kind", INPUTS)
def test_a_link_out_of_its_folder_is_not_read(root: Path, run: Run, kind: str) -> None:
    rel, command = INPUTS[kind]
    outside = root.parent / "outside"
    shutil.copy(root / rel, outside)
    (root / rel).unlink()
    (root / rel).symlink_to(outside)
    result = run(*command)
    _refused(result.exit_code, result.stderr, rel, "is a symbolic link to")
    assert f"outside {root}" in result.stderr  # the folder it may not leave


@pytest.mark.parametrize("kind", INPUTS)
def test_a_link_to_a_device_is_not_read(root: Path, kind: str) -> None:
    rel, command = INPUTS[kind]
    (root / rel).unlink()
    (root / rel).symlink_to("/dev/zero")
    code, err = _subprocess(root, *command)
    _refused(code, err, rel, "is a symbolic link to /dev/zero")


@pytest.mark.parametrize("kind", INPUTS)
def test_a_pipe_is_not_read(root: Path, kind: str) -> None:
    rel, command = INPUTS[kind]
    (root / rel).unlink()
    os.mkfifo(root / rel)  # no one writes to it: opening it to read would wait for ever
    code, err = _subprocess(root, *command)
    _refused(code, err, rel, "is not a regular file")


@pytest.mark.parametrize("kind", INPUTS)
def test_an_oversized_file_is_not_read(root: Path, run: Run, kind: str) -> None:
    rel, command = INPUTS[kind]
    limit = ASSET_LIMIT if kind == "site asset" else TEXT_LIMIT
    with (root / rel).open("ab") as file:
        file.write(b"\n" * limit)
    result = run(*command)
    _refused(result.exit_code, result.stderr, rel, f"is {(root / rel).stat().st_size:,} bytes")
    assert f"more than the {limit:,} bytes" in result.stderr


def test_a_link_inside_its_folder_is_followed(root: Path, run: Run) -> None:
    """kk.yaml -> ru.yaml: a link between two files of the templates folder."""
    table = root / "templates" / "i18n" / "kk.yaml"
    table.unlink()
    table.symlink_to("ru.yaml")
    result = run("packet", "--lang", "kk")
    assert result.exit_code == 0, result.stderr
    title = run("packet", "--lang", "ru").stdout.splitlines()[0]
    assert result.stdout.splitlines()[0] == title  # the Russian labels, through the link


def test_a_file_the_site_does_not_use_is_not_read(root: Path) -> None:
    """The site digests every file under templates/site/ (to know when to build again), read
    within the same bounds: a pipe or a device there that no template uses neither hangs nor
    stops it."""
    os.mkfifo(root / "templates" / "site" / "unused.html.j2")
    (root / "templates" / "site" / "huge.html.j2").symlink_to("/dev/zero")
    code, err = _subprocess(root, "site", "-o", "../site")
    assert code == 0, err


@pytest.mark.parametrize("folder", ["templates", "schema"])
def test_a_folder_linked_out_of_the_inventory_is_not_read(
    root: Path, run: Run, tmp_path: Path, folder: str
) -> None:
    moved = tmp_path / "elsewhere"
    (root / folder).rename(moved)
    (root / folder).symlink_to(moved)
    result = run("packet" if folder == "templates" else "validate")
    _refused(result.exit_code, result.stderr, f"{root / folder}", "is a symbolic link to")


def test_templates_named_as_a_file_are_said_to_be_no_folder(root: Path, run: Run) -> None:
    """An outside attack: `packet --templates FILE` said the folder "does not exist"."""
    (root / "notes.txt").write_text("x", encoding="utf-8")
    result = run("packet", "--templates", str(root / "notes.txt"))
    assert result.exit_code == 2
    assert "notes.txt is not a folder" in result.stderr
    assert "does not exist" in run("packet", "--templates", str(root / "nothing")).stderr
