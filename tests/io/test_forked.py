"""Work run ahead on another core (ichinv.io.forked.Ahead) gives what running it here gives:
its result, or, when the forked process fails in any way, the work done here instead."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from ichinv.core import trace
from ichinv.io import forked


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICHINV_WORKERS", "2")


def test_the_work_runs_in_another_process_and_its_result_comes_back() -> None:
    here = os.getpid()
    ahead = forked.Ahead(lambda: (os.getpid(), {"rows": [1, 2.5, "三"], "none": None}))
    there, value = ahead.result()
    assert there != here
    assert value == {"rows": [1, 2.5, "三"], "none": None}
    assert ahead.result() == (there, value)  # asked again: the same, nothing run again


def test_on_one_core_the_work_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICHINV_WORKERS", "1")
    assert forked.Ahead(os.getpid).result() == os.getpid()


def test_with_another_thread_running_nothing_is_forked() -> None:
    """A forked child has only the forking thread: a lock another one held would stay held."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert forked.Ahead(os.getpid).result() == os.getpid()
    finally:
        stop.set()
        other.join()


def test_with_a_cache_database_open_nothing_is_forked(tmp_path: Path) -> None:
    """SQLite keeps what it knows of its files' locks per process: a child forked while a
    connection is open would take the parent's locks for its own, were it to open the
    database (ichinv.io.cache_files.any_open)."""
    from ichinv.io import cache_files

    connection = cache_files.connect(tmp_path / "cache.sqlite")
    try:
        assert cache_files.any_open()
        assert forked.Ahead(os.getpid).result() == os.getpid()
    finally:
        connection.close()
    assert not cache_files.any_open()
    assert forked.Ahead(os.getpid).result() != os.getpid()


def test_a_spare_child_works_at_the_lowest_priority_and_says_when_it_is_done() -> None:
    """Work this process would do itself later (templates compiled meanwhile) takes only a
    core nothing else wants; `ready` tells, without waiting, whether it is done."""
    read, write = os.pipe()
    ahead = forked.Ahead(lambda: (os.read(read, 1), os.nice(0))[1], spare=True)
    try:
        time.sleep(0.05)
        assert not ahead.ready()
        os.write(write, b"x")
        deadline = time.monotonic() + 10
        while not ahead.ready() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert ahead.ready()
        assert ahead.result() == 19
    finally:
        os.close(read)
        os.close(write)
    assert forked.Ahead(lambda: os.nice(0)).result() == os.nice(0)  # not spare: as this one


def _only_here(parent: int, then: Any) -> Any:
    def work() -> Any:
        if os.getpid() != parent:
            return then()
        return "done here"

    return work


def _raise() -> None:
    raise RuntimeError("a bug in the child")


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _unpicklable() -> Any:
    return lambda: None


@pytest.mark.parametrize("failure", [_raise, _killed, _unpicklable, lambda: os._exit(3)])
def test_when_the_child_fails_the_work_is_done_here(failure: Any) -> None:
    assert forked.Ahead(_only_here(os.getpid(), failure)).result() == "done here"


def test_an_error_of_the_work_is_raised_here_each_time_it_is_asked_for() -> None:
    calls: list[int] = []

    def work() -> None:
        calls.append(os.getpid())
        raise ValueError("no baseline")

    ahead = forked.Ahead(work)
    for __ in range(2):
        with pytest.raises(ValueError, match="no baseline"):
            ahead.result()
    assert calls == [os.getpid()]  # run here once (the child's run is not seen here)


def test_what_the_child_counted_is_counted_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICHINV_TRACE", "1")
    trace.reset()
    trace.count("parse", "elements/a.yaml")

    def work() -> int:
        trace.count("parse", "elements/b.yaml")
        trace.count("compare", "2013..working-tree")
        return 1

    assert forked.Ahead(work).result() == 1
    assert trace.totals() == {"parse": 2, "compare": 1}
    assert trace.most("parse") == 1
    trace.reset()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_stopping_ends_the_child_at_once_and_leaves_no_process() -> None:
    ahead = forked.Ahead(lambda: time.sleep(60))
    child = ahead._pid
    assert child is not None and _alive(child)
    started = time.monotonic()
    forked.stop_all()  # what the end of a command does (an error, Ctrl-C, SIGTERM)
    assert time.monotonic() - started < 5
    assert not _alive(child)  # reaped, not a zombie


@pytest.mark.parametrize(("asked", "expected"), [("1", 1), ("3", 3), ("100000", None), ("", None)])
def test_workers_asked_for_are_bounded_by_the_cores(
    asked: str, expected: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    cores = len(os.sched_getaffinity(0))
    monkeypatch.setenv("ICHINV_WORKERS", asked)
    wanted = expected if expected is not None else cores * (forked.PER_CORE if asked else 1)
    assert forked.worker_count() == min(wanted, forked.PER_CORE * cores)


def test_a_program_the_child_runs_still_stops_at_ctrl_c() -> None:
    # The child leaves Ctrl-C to its parent; it used to ignore it (SIG_IGN), which a program it
    # runs inherits through exec: an outside test saw git outlive an interrupted packet.
    import subprocess

    def ignored_by_git() -> bool:
        status = subprocess.run(
            ["cat", "/proc/self/status"],  # noqa: S607 - the test's own reading of its child
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        mask = next(line.split()[1] for line in status.splitlines() if line.startswith("SigIgn"))
        return bool(int(mask, 16) & (1 << (signal.SIGINT - 1)))

    if not Path("/proc/self/status").exists():
        pytest.skip("needs Linux /proc")
    assert forked.Ahead(ignored_by_git).result() is False
