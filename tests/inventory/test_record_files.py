"""Finding record files: what lies in elements/ and provinces/ is a record or a finding, never
skipped unseen."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ichinv.core.model import Finding, RecordKind
from ichinv.inventory import record_files as records
from ichinv.io import settings
from tests.support.helpers import build_inventory, element_yaml


def discovered(root: Path) -> tuple[list[str], list[tuple[str, str]]]:
    files, findings = records.discover(settings.load(root))
    return [f.rel for f in files], [(f.path, f.rule) for f in findings]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return build_inventory(tmp_path / "inventory")


# --- hidden files and leftovers of interrupted writes ------------------------------------------


@pytest.mark.parametrize(
    "name",
    [".KZ-2013-0009.yaml", ".DS_Store", ".gitignore", ".KZ-2013-0009.yaml.swp", ".x"],
)
def test_a_hidden_file_is_a_finding(root: Path, name: str) -> None:
    (root / "elements" / name).write_text(element_yaml("KZ-2013-0009"), encoding="utf-8")
    rels, found = discovered(root)
    assert found == [(f"elements/{name}", "file.hidden")]
    assert f"elements/{name}" not in rels


def test_a_hidden_folder_is_a_finding(root: Path) -> None:
    (root / "provinces" / ".drafts").mkdir()
    (root / "provinces" / ".drafts" / "KZ-99.yaml").write_text("id: KZ-99\n", encoding="utf-8")
    assert discovered(root)[1] == [("provinces/.drafts", "file.hidden")]


def test_only_an_empty_gitkeep_is_allowed(root: Path) -> None:
    keep = root / "elements" / records.KEEP
    keep.write_bytes(b"")
    assert discovered(root)[1] == []
    keep.write_bytes(b"contacts: +7 700 000 00 00\n")
    assert discovered(root)[1] == [("elements/.gitkeep", "file.hidden")]
    keep.unlink()
    keep.symlink_to(root / "elements" / "KZ-2013-0001.yaml")
    assert discovered(root)[1] == [("elements/.gitkeep", "file.hidden")]


@pytest.mark.parametrize(
    ("name", "target"),
    [
        (".KZ-2013-0001.yaml.k2j4x9a1.tmp", "KZ-2013-0001.yaml"),
        (".KZ-2013-0001.yaml.tmp", "KZ-2013-0001.yaml"),
        (".KZ-31.yaml._q8.tmp", "KZ-31.yaml"),
        (".notes.tmp", "notes"),
        ("KZ-2013-0001.yaml.tmp", None),
        (".tmp", None),
        (".KZ-2013-0001.yaml", None),
    ],
)
def test_the_target_of_a_temporary_file(name: str, target: str | None) -> None:
    assert records.temporary_target(name) == target


def test_a_temporary_file_names_the_record_it_was_replacing(root: Path) -> None:
    name = ".KZ-2013-0001.yaml.k2j4x9a1.tmp"
    (root / "elements" / name).write_text(element_yaml("KZ-2013-0001"), encoding="utf-8")
    [finding] = records.discover(settings.load(root))[1]
    assert (finding.path, finding.rule) == (f"elements/{name}", "file.temporary")
    assert "elements/KZ-2013-0001.yaml" in finding.message
    assert ".gitignore" in (finding.hint or "")


def test_what_a_killed_write_leaves_behind_is_found(root: Path) -> None:
    """A write of ichinv.io.atomic stopped dead just before its rename (as by SIGKILL) leaves
    its temporary file, whatever it is named: discover must report it."""
    record = root / "elements" / "KZ-2013-0001.yaml"
    killed = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from ichinv.io import atomic\n"
        "def die(*args, **kwargs):\n"
        "    os._exit(9)\n"
        "os.replace = os.rename = os.link = die\n"
        "atomic.write_bytes_atomic(Path(sys.argv[1]), b'id: KZ-2013-0001\\n', overwrite=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", killed, str(record)], check=False)
    assert done.returncode == 9
    leftovers = sorted(p.name for p in record.parent.iterdir() if p.name.startswith("."))
    assert len(leftovers) == 1
    assert discovered(root)[1] == [(f"elements/{leftovers[0]}", "file.temporary")]


def test_the_repository_ignores_temporary_files(tmp_path: Path) -> None:
    """This repository's .gitignore keeps a leftover out of a commit, in any folder."""
    from tests.support.helpers import REPO_ROOT, init_repo

    repo = init_repo(tmp_path / "repo")
    (tmp_path / "repo" / ".gitignore").write_bytes((REPO_ROOT / ".gitignore").read_bytes())
    (tmp_path / "repo" / "elements").mkdir()
    for name in (".KZ-2013-0001.yaml.k2j4x9a1.tmp", "KZ-2013-0001.yaml"):
        (tmp_path / "repo" / "elements" / name).write_text("id: x\n", encoding="utf-8")
    ignored = repo.git.status("--porcelain", "--ignored", "--untracked-files=all")
    assert "!! elements/.KZ-2013-0001.yaml.k2j4x9a1.tmp" in ignored.splitlines()
    assert "?? elements/KZ-2013-0001.yaml" in ignored.splitlines()


def test_a_name_that_is_not_utf8_is_reported_before_it_is_hidden(root: Path) -> None:
    with open(os.path.join(os.fsencode(root / "elements"), b".KZ-\xff.yaml"), "wb") as out:
        out.write(b"id: x\n")
    assert discovered(root)[1] == [("elements/.KZ-\\xff.yaml", "file.unreadable")]


# --- what the command line names ---------------------------------------------------------------


def test_a_named_folder_is_walked_and_never_yields_nothing(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(root)
    (root / "elements" / "drafts").mkdir()
    (root / "elements" / "drafts" / "notes.txt").write_text("to do\n", encoding="utf-8")
    (root / "elements" / ".KZ-2013-0009.yaml").write_text("id: x\n", encoding="utf-8")
    (root / "docs").mkdir()
    found = settings.load(root)
    files, findings = records.discover(found)
    others = [f.path for f in findings]

    def named(*paths: str) -> set[str]:
        return records.select(found, files, [Path(p) for p in paths], others)

    assert named("elements") == {
        "elements/KZ-2013-0002.yaml",
        "elements/drafts",
        "elements/.KZ-2013-0009.yaml",
    }
    assert named("elements/drafts") == {"elements/drafts"}  # the finding on the folder
    assert named("docs") == {"docs"}  # holds nothing: named itself, to be reported
    assert named(".") == {f.rel for f in files} | set(others)
    assert named("elements/KZ-2013-0002.yaml") == {"elements/KZ-2013-0002.yaml"}
    assert named("elements/nothing.yaml") == {"elements/nothing.yaml"}


# --- what is read ----------------------------------------------------------------------------


def test_a_record_swapped_for_a_folder_is_said_to_be_one(root: Path) -> None:
    """The reader raised IsADirectoryError (file objects refuse a folder's descriptor), and
    the boundary then failed on its number: a traceback from `log` of an element whose record
    path had become a folder."""
    record = root / "elements" / "KZ-2013-0002.yaml"
    record.unlink()
    record.mkdir()
    listed = records.SourceFile.inside(root, RecordKind.ELEMENT, "elements/KZ-2013-0002.yaml")
    found = records.read(listed, 1 << 20)
    assert isinstance(found, Finding)
    assert (found.rule, found.message) == (
        "file.unreadable",
        f"elements/KZ-2013-0002.yaml cannot be read: {os.strerror(errno.EISDIR)}",
    )


@pytest.mark.parametrize("swapped", ["pipe", "device"])
def test_a_record_swapped_for_a_pipe_or_a_device_after_listing_is_not_read(
    root: Path, swapped: str
) -> None:
    """The one reader of records (validate, packets, fmt, migrate, private split, and the
    commands that edit records) opens a record without waiting and reads only a regular file:
    a pipe put in a listed record's place since waited for ever, /dev/zero was read up to the
    size limit. In another process, 30 seconds at most."""
    record = root / "elements" / "KZ-2013-0002.yaml"
    record.unlink()
    if swapped == "pipe":
        os.mkfifo(record)
    else:
        record.symlink_to("/dev/zero")
    reading = (
        "import sys\n"
        "from ichinv.core.model import RecordKind\n"
        "from ichinv.inventory import record_files as records\n"
        "listed = records.SourceFile(RecordKind.ELEMENT, sys.argv[1], sys.argv[2])\n"
        "found = records.read(listed, 1 << 20)\n"
        "print(found.rule, found.message)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", reading, str(record), "elements/KZ-2013-0002.yaml"],
        capture_output=True,
        timeout=30,
        check=False,
        text=True,
        env={**os.environ, "ICHINV_LANG": "en"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "file.unreadable elements/KZ-2013-0002.yaml is not a regular file (a device, pipe or "
        "broken link); it was not read\n"
    )
