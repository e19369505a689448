"""A record swapped for a pipe after a command listed it: the editing commands read records as
every command reads them (ichinv.inventory.record_files.read: at most max_file_size bytes, a
regular file only, never waiting), so the record is named as one that cannot be read (exit 1),
never a hang (found by a review: they read with Path.read_bytes(), which waits on a pipe for
ever and reads a device without end)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.helpers import REPO_ROOT, build_inventory, element_yaml

RECORD = "elements/KZ-2013-0002.yaml"
NOT_READ = (
    f"error: the record of KZ-2013-0002 cannot be read: {RECORD}: {RECORD} is not a regular "
    "file (a device, pipe or broken link); it was not read"
)

PRIVATE = '[tool.ichinv]\nvisibility = "public"\nprivate_overlay = "../private"\n'
ENV = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "ICHINV_LANG": "en"}

SWAPPING = """
import os, sys, importlib
from ichinv.cli import main

record, where, *argv = sys.argv[1:]
module_name, name = where.split(":")
module = importlib.import_module(module_name)
listing = getattr(module, name)
swapped = False


def listed(*args, **kwargs):
    found = listing(*args, **kwargs)
    found = list(found) if name == "load_all" else found
    global swapped
    if not swapped:  # the record becomes a pipe no one writes to, once listed
        swapped = True
        os.unlink(record)
        os.mkfifo(record)
    return found


setattr(module, name, listed)
sys.argv = ["ichinv", *argv]
main()
"""


def _swapped_meanwhile(root: Path, where: str, *args: str) -> tuple[int, str]:
    """`ichinv ARGS…` in another process, RECORD made a pipe right after `where` (the function
    that lists the records) returns: its exit code and what it said (standard output, then
    standard error); 30 seconds at most (a hang before)."""
    done = subprocess.run(
        [sys.executable, "-c", SWAPPING, str(root / RECORD), where, *args],
        cwd=root,
        capture_output=True,
        timeout=30,
        check=False,
        env=ENV,
    )
    return done.returncode, (done.stdout + done.stderr).decode("utf-8", "replace")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    made = build_inventory(tmp_path / "inventory")
    (made / "elements/KZ-2013-0003.yaml").write_text(element_yaml("KZ-2013-0003"), "utf-8")
    return made


@pytest.mark.parametrize(
    "args",
    [
        ("retire", "KZ-2013-0002", "--reason", "Not practised."),
        ("merge", "KZ-2013-0002", "--into", "KZ-2013-0003", "--reason", "One practice."),
        ("renumber", "KZ-2013-0002", "--allow-incomplete-history"),
    ],
    ids=lambda args: args[0],
)
def test_an_edited_record_swapped_for_a_pipe_is_named_not_waited_on(
    root: Path, args: tuple[str, ...]
) -> None:
    code, said = _swapped_meanwhile(root, "ichinv.inventory.record_files:load_all", *args)
    assert code == 1, said
    assert NOT_READ in said, said
    assert "Traceback" not in said


def test_a_record_swapped_for_a_pipe_is_named_by_fmt_and_private_split(root: Path) -> None:
    code, said = _swapped_meanwhile(root, "ichinv.inventory.record_files:discover", "fmt")
    assert code == 1, said
    assert f"cannot format {RECORD}: {RECORD} is not a regular file" in said, said
    (root / RECORD).unlink()
    shutil.copy(REPO_ROOT / "tests/support/base_inventory" / RECORD, root / RECORD)
    (root / "pyproject.toml").write_text(PRIVATE, encoding="utf-8")
    where = "ichinv.inventory.record_files:discover"
    code, said = _swapped_meanwhile(root, where, "private", "split", "KZ-2013-0002")
    assert code == 1, said
    assert NOT_READ in said, said
    assert "Traceback" not in said


def test_an_imported_record_swapped_for_a_pipe_is_named_not_waited_on(root: Path) -> None:
    export = root.parent / "export.csv"
    done = subprocess.run(
        [sys.executable, "-m", "ichinv", "export", "--audience", "committee", "-o", str(export)],
        cwd=root,
        capture_output=True,
        timeout=60,
        check=False,
        env=ENV,
    )
    assert done.returncode == 0, done.stderr
    text = export.read_text(encoding="utf-8")
    assert "Айтыс" in text
    export.write_text(text.replace("Айтыс", "Айтыс (edited)", 1), encoding="utf-8")
    code, said = _swapped_meanwhile(root, "ichinv.inventory.view:load", "import", str(export))
    assert code == 1, said
    assert NOT_READ in said, said
    assert "Traceback" not in said


def test_a_pipe_among_the_records_does_not_hold_up_a_command_about_another_id(
    root: Path,
) -> None:
    """A pipe in elements/ (not a record's name) is looked into for the id it may hold when a
    command is asked about an id it does not find; that look never waits on it (it did: retire
    of an unknown id hung)."""
    os.mkfifo(root / "elements/notes.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "ichinv", "retire", "KZ-2013-0077", "--reason", "gone"],
        cwd=root,
        capture_output=True,
        timeout=30,
        check=False,
        env=ENV,
    )
    said = (done.stdout + done.stderr).decode("utf-8", "replace")
    assert done.returncode == 2, said
    assert "KZ-2013-0077" in said, said
    assert "Traceback" not in said
