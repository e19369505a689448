"""Commands that change several records change all of them or none, and never undo a change
made meanwhile (by another ichinv, or an editor saving the file)."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ichinv.io import strict_yaml as yamlload
from ichinv.io import transaction
from tests.support.faults import temporaries
from tests.support.helpers import REPO_ROOT, Result, element_yaml

Run = Callable[..., Result]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def fail_nth_temporary(monkeypatch: pytest.MonkeyPatch, nth: int, code: int = errno.ENOSPC) -> None:
    """Creating ichinv's `nth` temporary file fails with `code` (a disk filling up)."""
    real = os.open
    count = [0]

    def open_(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        if flags & os.O_CREAT and os.fsdecode(path).endswith(".tmp"):
            count[0] += 1
            if count[0] == nth:
                raise OSError(code, os.strerror(code), os.fsdecode(path))
        return real(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", open_)


@pytest.fixture
def elements(inventory: Path) -> Path:
    """The base inventory's KZ-2013-0002, plus KZ-2026-0002..0004 that refer to KZ-2013-0005."""
    folder = inventory / "elements"
    (folder / "KZ-2013-0005.yaml").write_text(element_yaml("KZ-2013-0005"), encoding="utf-8")
    for number in (2, 3, 4):
        element_id = f"KZ-2026-000{number}"
        (folder / f"{element_id}.yaml").write_text(
            element_yaml(element_id, related=[{"id": "KZ-2013-0005", "relation": "see-also"}]),
            encoding="utf-8",
        )
    return folder


def test_a_full_disk_during_merge_changes_neither_record(
    elements: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(elements)
    with monkeypatch.context() as faults:
        fail_nth_temporary(faults, 2)  # the second record's new text
        failed = run("merge", "KZ-2026-0002", "--into", "KZ-2013-0002", "--reason", "test merge")
    assert failed.exit_code == 2
    assert "no space left on the device; nothing was changed" in failed.stderr
    assert snapshot(elements) == before and temporaries(elements) == []
    assert Path.cwd() == elements.parent
    again = run("merge", "KZ-2026-0002", "--into", "KZ-2013-0002", "--reason", "test merge")
    assert again.exit_code == 0, again.stderr


def test_renumber_that_cannot_write_one_referrer_changes_nothing(
    elements: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(elements)
    fail_nth_temporary(monkeypatch, 3)  # the new file, then the referrers
    failed = run("renumber", "KZ-2013-0005", "--force", "--to", "KZ-2013-0099")
    assert failed.exit_code == 2 and "nothing was changed" in failed.stderr
    assert snapshot(elements) == before and temporaries(elements) == []


def test_migrate_that_cannot_write_one_record_changes_none(
    inventory: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """migrate wrote its records one by one: one that could not be written left those before
    it migrated, unsaid. Now all or none, as merge and renumber."""
    provinces = inventory / "provinces"
    before = snapshot(provinces)
    assert run("migrate", "--check").stdout.startswith("would migrate provinces/KZ-23.yaml")
    with monkeypatch.context() as faults:
        fail_nth_temporary(faults, 3, errno.EACCES)
        failed = run("migrate")
    assert failed.exit_code == 2
    assert "permission denied; nothing was changed" in failed.stderr
    assert snapshot(provinces) == before and temporaries(provinces) == []
    again = run("migrate")
    assert again.exit_code == 0, again.stderr
    assert "5 records migrated" in again.stdout


def test_a_rename_that_fails_after_others_puts_them_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [tmp_path / f"{name}.yaml" for name in "abc"]
    for path in files:
        path.write_bytes(b"old " + path.name.encode())
    changes = [transaction.Change(p, b"new", p.read_bytes()) for p in files]
    real = os.replace
    renamed: list[str] = []

    def replace(src: Any, dst: Any) -> None:
        if os.fsdecode(src).endswith(".tmp") and os.fsdecode(dst).endswith("c.yaml"):
            raise OSError(errno.EIO, os.strerror(errno.EIO), os.fsdecode(dst))
        renamed.append(os.fsdecode(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(transaction.os_errors.FileSystemError) as caught:
        transaction.apply(changes)
    assert "the files already changed were put back, so nothing was changed" in (
        caught.value.message
    )
    assert [p.read_bytes() for p in files] == [b"old a.yaml", b"old b.yaml", b"old c.yaml"]
    assert temporaries(tmp_path) == []


def _signal_main_thread(signum: int) -> None:
    """Send `signum` to this process's main thread, as ichinv's commands get every signal (the
    threads beside it never take one; under pytest-xdist, a signal to the process could be
    taken by one of its threads, and handled a few instructions later)."""
    import signal
    import threading

    ident = threading.main_thread().ident
    assert ident is not None
    signal.pthread_kill(ident, signum)


def _signal_after_each_rename(monkeypatch: pytest.MonkeyPatch, signum: int) -> None:
    """Each file put in place (os.replace) is followed by `signum`, sent to the main thread."""
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        real(src, dst)
        _signal_main_thread(signum)

    monkeypatch.setattr(os, "replace", replace)


def _old_files(folder: Path, count: int) -> list[Path]:
    files = [folder / f"{number}.yaml" for number in range(count)]
    for path in files:
        path.write_bytes(b"old")
    return files


class _Ended(Exception):
    """What SIGTERM raises in the signal test (the command line's raises SystemExit(143))."""


@pytest.mark.parametrize("where", ["link", "replace"])
@pytest.mark.parametrize("nth", [1, 2, 5])
def test_a_signal_while_files_are_put_in_place_takes_effect_once_all_are(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    where: str,
    nth: int,
) -> None:
    """An outside attack: Ctrl-C or SIGTERM while a renumber put its 400 files in place left
    some renamed and some not (references naming an id no record held, beyond repair by a
    second run), with the hard links kept to put them back; an import and a `private split`
    likewise. Now the signal takes effect once every file is in place, and says so."""
    import signal

    files = [tmp_path / f"{number}.yaml" for number in range(6)]
    for path in files:
        path.write_bytes(b"old " + path.name.encode())
    changes = [transaction.Change(p, b"new", p.read_bytes()) for p in files]
    real = {"link": os.link, "replace": os.replace}[where]
    calls = [0]

    def signalled(*args: Any, **kwargs: Any) -> None:
        calls[0] += 1
        real(*args, **kwargs)
        if calls[0] == nth:  # just after the nth: between two steps of the rename phase
            _signal_main_thread(signal.SIGTERM)

    def ended(signum: int, frame: object) -> None:
        raise _Ended

    monkeypatch.setattr(os, where, signalled)
    before = signal.signal(signal.SIGTERM, ended)
    try:
        with pytest.raises(_Ended):
            transaction.apply(changes)
    finally:
        signal.signal(signal.SIGTERM, before)
    assert [p.read_bytes() for p in files] == [b"new"] * len(files)
    assert temporaries(tmp_path) == []
    assert "interrupted once every file of the change was written" in capsys.readouterr().err


def test_a_signal_during_a_failing_change_leaves_its_error_to_say_what_happened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An outside review: a signal held while a rename failed was raised in place of the
    error naming the files put back (or left changed): the user heard only "interrupted"."""
    import signal

    files = [tmp_path / f"{number}.yaml" for number in range(3)]
    for path in files:
        path.write_bytes(b"old")
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        if os.fsdecode(dst).endswith("1.yaml"):
            _signal_main_thread(signal.SIGTERM)
        if os.fsdecode(src).endswith(".tmp") and os.fsdecode(dst).endswith("2.yaml"):
            raise OSError(errno.EIO, os.strerror(errno.EIO), os.fsdecode(dst))
        real(src, dst)

    def ended(signum: int, frame: object) -> None:
        raise _Ended

    monkeypatch.setattr(os, "replace", replace)
    before = signal.signal(signal.SIGTERM, ended)
    try:
        with pytest.raises(transaction.os_errors.FileSystemError) as caught:
            transaction.apply([transaction.Change(p, b"new", b"old") for p in files])
    finally:
        signal.signal(signal.SIGTERM, before)
    assert "put back, so nothing was changed" in caught.value.message
    assert [p.read_bytes() for p in files] == [b"old"] * 3
    assert "interrupted once" not in capsys.readouterr().err


def test_a_signal_ignored_stays_ignored_and_unsaid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An outside review: under `nohup` (SIGHUP ignored), a hangup while files were put in
    place was said to have interrupted a command that went on to succeed."""
    import signal

    files = _old_files(tmp_path, 3)
    _signal_after_each_rename(monkeypatch, signal.SIGHUP)
    before = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        transaction.apply([transaction.Change(p, b"new", b"old") for p in files])
    finally:
        signal.signal(signal.SIGHUP, before)
    assert [p.read_bytes() for p in files] == [b"new"] * 3
    assert capsys.readouterr().err == ""


def test_a_hangup_ends_a_command_with_its_cleanups() -> None:
    """An outside review: SIGHUP (a terminal closed) ended the process at once, outside the
    moment files are put in place, leaving a write's temporary file; it now ends the
    command as SIGTERM does, its cleanups run (status 129)."""
    import signal

    from ichinv.cli.boundary import boundary

    cleaned = []
    with pytest.raises(SystemExit) as caught, boundary():
        try:
            _signal_main_thread(signal.SIGHUP)
        finally:
            cleaned.append(True)
    assert caught.value.code == 129 and cleaned == [True]
    assert signal.getsignal(signal.SIGHUP) is not signal.default_int_handler


def test_signals_while_files_are_put_in_place_leave_every_handler_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An outside review: holding the signals by swapping their handlers could leave one
    recording for ever (a later Ctrl-C taken and never acted on); they are held by the
    thread's signal mask instead, and every handler is the one it was."""
    import signal

    from ichinv.io import forked

    files = _old_files(tmp_path, 2)

    def ended(signum: int, frame: object) -> None:
        raise _Ended

    before = {held: signal.signal(held, ended) for held in forked.HELD}
    _signal_after_each_rename(monkeypatch, signal.SIGTERM)
    try:
        with pytest.raises(_Ended):
            transaction.apply([transaction.Change(p, b"new", b"old") for p in files])
        assert all(signal.getsignal(held) is ended for held in forked.HELD)
        with pytest.raises(_Ended), forked.held_interrupts():
            # Inside an outer hold, a signal is left to it: it takes effect when that ends.
            transaction.apply([transaction.Change(p, b"newer", b"new") for p in files])
    finally:
        for held, handler in before.items():
            signal.signal(held, handler)
    assert [p.read_bytes() for p in files] == [b"newer"] * 2


def test_a_signal_while_files_are_staged_changes_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Staging (each new file written and flushed to disk: seconds for hundreds) is not held:
    a signal then leaves every file as it was, and no temporary file."""
    import signal

    files = [tmp_path / f"{number}.yaml" for number in range(4)]
    for path in files:
        path.write_bytes(b"old")
    real = os.fsync
    calls = [0]

    def fsync(descriptor: int) -> None:
        real(descriptor)
        calls[0] += 1
        if calls[0] == 2:
            _signal_main_thread(signal.SIGTERM)

    def ended(signum: int, frame: object) -> None:
        raise _Ended

    monkeypatch.setattr(os, "fsync", fsync)
    before = signal.signal(signal.SIGTERM, ended)
    try:
        with pytest.raises(_Ended):
            transaction.apply([transaction.Change(p, b"new", b"old") for p in files])
    finally:
        signal.signal(signal.SIGTERM, before)
    assert [p.read_bytes() for p in files] == [b"old"] * len(files)
    assert temporaries(tmp_path) == []


def test_one_change_says_only_what_failed_with_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`apply_one` (fmt's writes, file by file): the error names the file and the cause, and
    leaves saying what else was changed to the command."""
    path = tmp_path / "a.yaml"
    path.write_bytes(b"old")
    with monkeypatch.context() as faults:
        fail_nth_temporary(faults, 1)
        with pytest.raises(transaction.os_errors.FileSystemError) as caught:
            transaction.apply_one(transaction.Change(path, b"new", b"old"))
    assert caught.value.message == f"cannot write {path}: no space left on the device"
    with pytest.raises(transaction.ChangedMeanwhile) as changed:
        transaction.apply_one(transaction.Change(path, b"new", b"what was read"))
    assert changed.value.message == (
        f"{path} changed while ichinv was working, so it was not written"
    )
    assert path.read_bytes() == b"old" and temporaries(tmp_path) == []


def test_what_was_put_in_a_files_place_is_never_read_whole_or_waited_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before its file is replaced, a change reads it again to see it unchanged: it read it
    whole (a large file put there meanwhile, a device) and waited on a pipe for ever; it reads
    no more than tells and never waits, and either is a change made meanwhile."""
    path = tmp_path / "a.yaml"
    path.write_bytes(b"old" + b"x" * 10_000_000)
    asked: list[int] = []
    real = os.read

    def read(descriptor: int, size: int) -> bytes:
        asked.append(size)
        return real(descriptor, size)

    with monkeypatch.context() as counting:
        counting.setattr(os, "read", read)
        with pytest.raises(transaction.ChangedMeanwhile):
            transaction.apply_one(transaction.Change(path, b"new", b"old"))
    assert sum(asked) <= 4
    path.unlink()
    os.mkfifo(path)
    # The pipe comes once the new bytes are staged (staging refuses one found before).
    monkeypatch.setattr(transaction.atomic, "check_target", lambda *a, **k: None)
    with pytest.raises(transaction.ChangedMeanwhile):  # no one writes to it: it waited
        transaction.apply_one(transaction.Change(path, b"new", b"old"))
    with pytest.raises(transaction.ChangedMeanwhile):  # a new file's place taken meanwhile
        transaction.apply_one(transaction.Change(path, b"new", None))
    assert path.is_fifo() and temporaries(tmp_path) == []
    path.unlink()
    path.symlink_to("/dev/zero")  # read whole, it never ends
    with pytest.raises(transaction.ChangedMeanwhile):
        transaction.apply_one(transaction.Change(path, b"new", b"old"))


def test_files_that_cannot_be_put_back_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [tmp_path / f"{name}.yaml" for name in "ab"]
    for path in files:
        path.write_bytes(b"old")
    changes = [transaction.Change(p, b"new", b"old") for p in files]
    real = os.replace
    failing: list[str] = []

    def replace(src: Any, dst: Any) -> None:
        if failing or os.fsdecode(dst).endswith("b.yaml"):  # the device gives up from b on
            failing.append(os.fsdecode(dst))
            raise OSError(errno.EIO, os.strerror(errno.EIO), os.fsdecode(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(transaction.atomic, "write_bytes_atomic", _refused)
    with pytest.raises(transaction.os_errors.FileSystemError) as caught:
        transaction.apply(changes)
    assert caught.value.message.endswith(
        f"these files were changed and could not be put back: {files[0]}"
    )
    assert files[0].read_bytes() == b"new" and files[1].read_bytes() == b"old"


def _refused(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.EIO, "refused")


def test_a_record_changed_while_ichinv_works_is_left_as_it_was_changed(
    elements: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ichinv.edit import lifecycle

    record = elements / "KZ-2013-0002.yaml"
    saved = record.read_text(encoding="utf-8").replace("Айтыс", "Айтыс (edited)", 1)
    real = lifecycle._apply_decision

    def editor_saves_meanwhile(*args: Any, **kwargs: Any) -> None:
        record.write_text(saved, encoding="utf-8")
        real(*args, **kwargs)

    monkeypatch.setattr(lifecycle, "_apply_decision", editor_saves_meanwhile)
    failed = run("retire", "KZ-2013-0002", "--reason", "r")
    assert failed.exit_code == 2
    assert "changed while ichinv was working, so nothing was written" in failed.stderr
    assert "run the command again" in failed.stderr
    assert record.read_text(encoding="utf-8") == saved and temporaries(elements) == []


def _ichinv(root: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "ICHINV_LANG": "en"}
    return subprocess.Popen(  # noqa: S603 - this Python, fixed arguments
        [sys.executable, "-m", "ichinv", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(processes: list[subprocess.Popen[str]]) -> list[tuple[int, str]]:
    return [(p.wait(timeout=120), p.communicate()[1]) for p in processes]


def _record(folder: Path, element_id: str) -> dict[str, Any]:
    data: dict[str, Any] = yamlload.load((folder / f"{element_id}.yaml").read_bytes())[0]
    return data


def test_parallel_retirements_of_one_element_keep_the_one_that_succeeded(
    elements: Path,
) -> None:
    root = elements.parent
    reasons = [f"reason {n}" for n in range(4)]
    done = _finish([_ichinv(root, "retire", "KZ-2013-0002", "--reason", r) for r in reasons])
    succeeded = [r for r, (code, __) in zip(reasons, done, strict=True) if code == 0]
    assert len(succeeded) == 1, done
    assert all(code == 2 and "is retired, not active" in err for code, err in done if code)
    assert _record(elements, "KZ-2013-0002")["status_change"]["reason"] == succeeded[0]


def test_retire_and_merge_side_by_side_lose_neither_change(elements: Path) -> None:
    root = elements.parent
    retire = _ichinv(root, "retire", "KZ-2013-0002", "--reason", "r")
    merge = _ichinv(root, "merge", "KZ-2026-0003", "--into", "KZ-2013-0002", "--reason", "m")
    (retired, __), (merged, merge_err) = _finish([retire, merge])
    target = _record(elements, "KZ-2013-0002")
    assert retired == 0 and target["status"] == "retired"
    if merged == 0:  # merged first: the retirement kept the merged-from entry
        assert {"id": "KZ-2026-0003", "relation": "merged-from"} in target["related"]
        assert _record(elements, "KZ-2026-0003")["status"] == "merged"
    else:  # retired first: the merge was refused, and changed nothing
        assert merged == 2 and "--into KZ-2013-0002 is retired" in merge_err
        assert _record(elements, "KZ-2026-0003")["status"] == "active"
