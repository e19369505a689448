"""Atomic writes when the system refuses: a plain error naming the path, the target as it was,
no temporary file left; folders never made on the way; leftovers of killed writes removed;
files that may hold personal data 0600 whatever the umask."""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ichinv.core.errors import WriteRefused
from ichinv.io import atomic
from ichinv.io.atomic import make_folder, write_bytes_atomic, write_text_atomic
from ichinv.io.os_errors import FileSystemError
from tests.support.faults import permissions_enforced, refuse, temporaries

# --- the target and its folder -----------------------------------------------------------------


def test_a_missing_folder_is_refused_not_created(tmp_path: Path) -> None:
    target = tmp_path / "typo" / "deeper" / "list.csv"
    with pytest.raises(FileSystemError) as caught:
        write_text_atomic(target, "x")
    assert caught.value.message == (
        f"cannot write {target}: the folder {tmp_path / 'typo'} does not exist"
    )
    assert caught.value.hint is not None and "mkdir -p" in caught.value.hint
    assert list(tmp_path.iterdir()) == []


def test_a_file_in_the_way_of_the_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "elements").write_text("not a folder", encoding="utf-8")
    target = tmp_path / "elements" / "KZ-2026-0001.yaml"
    with pytest.raises(FileSystemError, match=r"elements is a file, not a folder"):
        write_text_atomic(target, "x")


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_folder_where_the_file_goes_is_refused(tmp_path: Path, overwrite: bool) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(FileSystemError, match=r"cannot write .*out: it is a folder"):
        write_text_atomic(tmp_path / "out", "x", overwrite=overwrite)
    assert (tmp_path / "out").is_dir() and temporaries(tmp_path) == []


def test_a_device_or_pipe_is_never_replaced(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(FileSystemError, match="not a regular file"):
        write_text_atomic(pipe, "x", overwrite=True)
    assert pipe.is_fifo()


def test_a_loop_of_symbolic_links(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to("loop")
    with pytest.raises(FileSystemError, match="loop of symbolic links"):
        write_text_atomic(tmp_path / "loop" / "x.csv", "x")


def test_a_name_too_long(tmp_path: Path) -> None:
    target = tmp_path / ("a" * 300 + ".csv")
    with pytest.raises(FileSystemError, match="name is too long") as caught:
        write_text_atomic(target, "x")
    assert caught.value.hint is not None and "shorter name" in caught.value.hint
    assert temporaries(tmp_path) == []


def test_a_file_that_appears_while_writing_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.csv"
    link = os.link

    def someone_else_first(src: str, dst: str) -> None:
        Path(dst).write_text("theirs", encoding="utf-8")
        link(src, dst)

    monkeypatch.setattr(os, "link", someone_else_first)
    with pytest.raises(WriteRefused, match="created by someone else"):
        write_text_atomic(target, "ours")
    assert target.read_text(encoding="utf-8") == "theirs"
    assert temporaries(tmp_path) == []


# --- the system refuses ------------------------------------------------------------------------

REFUSALS = [
    (errno.ENOSPC, "write", "no space left on the device"),
    (errno.ENOSPC, "fsync", "no space left on the device"),
    (errno.EDQUOT, "write", "disk quota is exceeded"),
    (errno.EIO, "fsync", "input/output error"),
    (errno.EROFS, "open", "the file system is read-only"),
    (errno.EROFS, "replace", "the file system is read-only"),
    (errno.EACCES, "open", "permission denied"),
    (errno.EPERM, "replace", "not permitted"),  # an immutable file (chattr +i)
    (errno.EPERM, "open", "not permitted"),  # an immutable folder
]


@pytest.mark.parametrize(
    ("code", "at", "words", "overwrite"),
    [
        (code, at, words, overwrite)
        for code, at, words in REFUSALS
        for overwrite in (False, True)
        # A replacement is renamed into place; a new file is linked (never over another).
        if (at, overwrite) not in {("replace", False), ("link", True)}
    ],
)
def test_a_refusal_leaves_the_target_as_it_was_and_no_temporary_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    at: str,
    words: str,
    overwrite: bool,
) -> None:
    target = tmp_path / "record.yaml"
    if overwrite:
        target.write_text("old\n", encoding="utf-8")
    refused = refuse(monkeypatch, tmp_path, code, at)
    with pytest.raises(FileSystemError) as caught:
        write_text_atomic(target, "new\n", overwrite=overwrite)
    assert refused[0] == at
    assert caught.value.message.startswith(f"cannot write {target}: ")
    assert words in caught.value.message
    assert caught.value.hint
    assert caught.value.errno == code
    monkeypatch.undo()
    assert (target.read_text(encoding="utf-8") if target.exists() else None) == (
        "old\n" if overwrite else None
    )
    assert temporaries(tmp_path) == []


def test_a_file_system_without_hard_links_still_gets_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = refuse(monkeypatch, tmp_path, errno.EPERM, "link")
    write_text_atomic(tmp_path / "a.csv", "x")
    assert refused == ["link"]
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == "x"
    assert temporaries(tmp_path) == []


def test_an_error_only_a_bug_causes_is_not_dressed_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse(monkeypatch, tmp_path, errno.EBADF, "write")
    with pytest.raises(OSError) as caught:
        write_text_atomic(tmp_path / "a.csv", "x")
    assert not isinstance(caught.value, FileSystemError) and caught.value.errno == errno.EBADF
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_written(tmp_path: Path) -> None:
    if not permissions_enforced(tmp_path):
        pytest.skip("file permissions do not stop this user (root): the refusals above cover it")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(FileSystemError, match="permission denied"):
            write_text_atomic(folder / "a.csv", "x")
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == []


# --- folders -------------------------------------------------------------------------------------


def test_make_folder_makes_one_level_and_refuses_a_missing_parent(tmp_path: Path) -> None:
    make_folder(tmp_path / "packets")
    make_folder(tmp_path / "packets")  # already there: fine
    assert (tmp_path / "packets").is_dir()
    with pytest.raises(FileSystemError, match="does not exist"):
        make_folder(tmp_path / "typo" / "packets")
    assert not (tmp_path / "typo").exists()


def test_make_folder_within_makes_the_layout_below_a_folder(tmp_path: Path) -> None:
    make_folder(tmp_path / "docs" / "kk" / "fields", within=tmp_path / "docs")
    assert (tmp_path / "docs" / "kk" / "fields").is_dir()
    with pytest.raises(FileSystemError, match="does not exist"):
        make_folder(tmp_path / "no" / "docs" / "kk", within=tmp_path / "no" / "docs")


def test_make_folder_refuses_a_file_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "packets").write_text("x", encoding="utf-8")
    with pytest.raises(FileSystemError, match="a file of that name is in the way"):
        make_folder(tmp_path / "packets")


def test_make_folder_refusals_are_plain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    refuse(monkeypatch, tmp_path, errno.EROFS, "mkdir")
    with pytest.raises(FileSystemError) as caught:
        make_folder(tmp_path / "packets")
    assert caught.value.message == (
        f"cannot create the folder {tmp_path / 'packets'}: the file system is read-only"
    )


# --- leftovers of killed writes ------------------------------------------------------------------

STALE = time.time() - atomic.STALE_AFTER - 60


def _leftover(folder: Path, name: str, *, when: float = STALE) -> Path:
    path = folder / name
    path.write_text("contacts of a killed write", encoding="utf-8")
    os.utime(path, (when, when))
    return path


def test_stale_leftovers_of_the_target_are_removed_and_nothing_else(tmp_path: Path) -> None:
    ours = _leftover(tmp_path, ".KZ-2013-0001.yaml.k3j_x9a0.tmp")
    fresh = _leftover(tmp_path, ".KZ-2013-0001.yaml.abcdefgh.tmp", when=time.time())
    other_target = _leftover(tmp_path, ".KZ-2013-0002.yaml.k3j_x9a0.tmp")
    look_alikes = [
        _leftover(tmp_path, ".KZ-2013-0001.yaml.tmp"),
        _leftover(tmp_path, ".KZ-2013-0001.yaml.short.tmp"),
        _leftover(tmp_path, ".KZ-2013-0001.yaml.ABCDEFGH.tmp"),
        _leftover(tmp_path, "KZ-2013-0001.yaml.abcdefgh.tmp"),
        _leftover(tmp_path, ".KZ-2013-0001.yaml.abcdefgh.tmp.bak"),
    ]
    folder_alike = tmp_path / ".KZ-2013-0001.yaml.zzzzzzzz.tmp"
    folder_alike.mkdir()
    os.utime(folder_alike, (STALE, STALE))
    link_alike = tmp_path / ".KZ-2013-0001.yaml.yyyyyyyy.tmp"
    link_alike.symlink_to(other_target)

    write_text_atomic(tmp_path / "KZ-2013-0001.yaml", "id: KZ-2013-0001\n")

    assert not ours.exists()
    for kept in (fresh, other_target, *look_alikes, folder_alike, link_alike):
        assert os.path.lexists(kept), kept.name


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away"
)
def test_leftovers_of_another_user_are_left_alone(tmp_path: Path) -> None:
    theirs = _leftover(tmp_path, ".a.csv.k3j_x9a0.tmp")
    os.chown(theirs, 65534, 65534)
    write_text_atomic(tmp_path / "a.csv", "x")
    assert theirs.exists()


def test_a_leftover_that_goes_stale_later_in_a_long_run_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_text_atomic(tmp_path / "a.csv", "1")  # the folder is listed now
    later = _leftover(tmp_path, ".a.csv.k3j_x9a0.tmp", when=time.time())
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + atomic.STALE_AFTER + 1)
    write_text_atomic(tmp_path / "a.csv", "2", overwrite=True)
    assert not later.exists()


# --- modes ---------------------------------------------------------------------------------------


@pytest.fixture(params=[0o022, 0o000, 0o077], ids=lambda m: f"umask-{m:03o}")
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_private_files_are_0600_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    write_bytes_atomic(tmp_path / "committee.csv", b"contacts", private=True)
    write_bytes_atomic(tmp_path / "public.csv", b"names")
    assert _mode(tmp_path / "committee.csv") == 0o600
    assert _mode(tmp_path / "public.csv") == 0o666 & ~umask


def test_private_folders_are_0700_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    make_folder(tmp_path / "private" / "elements", within=tmp_path / "private", private=True)
    assert _mode(tmp_path / "private") == 0o700
    assert _mode(tmp_path / "private" / "elements") == 0o700


def test_a_private_file_replacing_one_others_could_read_is_0600(tmp_path: Path) -> None:
    target = tmp_path / "list.csv"
    target.write_bytes(b"public names")
    target.chmod(0o644)
    write_bytes_atomic(target, b"contacts", overwrite=True, private=True)
    assert _mode(target) == 0o600


def test_a_private_file_keeps_a_mode_chosen_for_a_committee_group(tmp_path: Path) -> None:
    target = tmp_path / "KZ-2013-0001.yaml"
    target.write_bytes(b"contacts")
    target.chmod(0o640)
    write_bytes_atomic(target, b"more contacts", overwrite=True, private=True)
    assert _mode(target) == 0o640


def test_a_public_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "KZ-2013-0001.yaml"
    target.write_bytes(b"id: KZ-2013-0001\n")
    target.chmod(0o664)
    write_bytes_atomic(target, b"id: KZ-2013-0001\n", overwrite=True)
    assert _mode(target) == 0o664


@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[Path]:
    """A file marked immutable (chattr +i): even root may not replace it."""
    import shutil
    import subprocess

    target = tmp_path / "frozen.csv"
    target.write_text("old", encoding="utf-8")
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    done = subprocess.run(["chattr", "+i", str(target)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("cannot mark a file immutable here (needs root and a file system that can)")
    try:
        yield target
    finally:
        subprocess.run(["chattr", "-i", str(target)], check=False)


def test_an_immutable_file(immutable: Path) -> None:
    with pytest.raises(FileSystemError, match="not permitted") as caught:
        write_text_atomic(immutable, "new", overwrite=True)
    assert caught.value.hint is not None and "chattr -i" in caught.value.hint
    assert immutable.read_text(encoding="utf-8") == "old"
    assert temporaries(immutable.parent) == []


# --- interrupted while the temporary file is made ----------------------------------------------


@pytest.mark.parametrize("overwrite", [False, True])
def test_ctrl_c_as_the_temporary_file_is_made_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overwrite: bool
) -> None:
    """An outside test: Ctrl-C inside tempfile.mkstemp (the file made, its name not yet
    returned) left an empty `.NAME.XXXXXXXX.tmp` in elements/ and in a built site."""
    target = tmp_path / "KZ-2026-0001.yaml"
    if overwrite:
        target.write_text("old\n", encoding="utf-8")
    real_open = os.open

    def made_then_interrupted(name: str, flags: int, mode: int = 0o777) -> int:
        descriptor = real_open(name, flags, mode)
        os.close(descriptor)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "open", made_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_text_atomic(target, "new\n", overwrite=overwrite)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == (
        ["KZ-2026-0001.yaml"] if overwrite else []
    )
    if overwrite:
        assert target.read_text(encoding="utf-8") == "old\n"


def test_a_temporary_name_someone_else_holds_is_passed_over_never_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "list.csv"
    taken = tmp_path / ".list.csv.aaaaaaaa.tmp"
    taken.write_text("another writer's\n", encoding="utf-8")
    names = iter(["aaaaaaaa", "bbbbbbbb"])
    monkeypatch.setattr(atomic, "_random_part", lambda: next(names))
    write_text_atomic(target, "x\n")
    assert target.read_text(encoding="utf-8") == "x\n"
    assert taken.read_text(encoding="utf-8") == "another writer's\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".list.csv.aaaaaaaa.tmp", "list.csv"]
