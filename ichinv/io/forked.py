"""Work done in processes forked from this one, on the machine's other cores.

`worker_count` says how many processes a command may keep busy (`ICHINV_WORKERS`, else one per
core). `Ahead` runs one function in a forked process while this one goes on, and gives its
result when asked; when no second core is to be had, or the process fails in any way, the
function is run here instead, so the answer never depends on whether it was forked.
"""

from __future__ import annotations

import atexit
import os
import pickle
import select
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from ichinv.core import trace

T = TypeVar("T")


PER_CORE = 4
"""The most processes `ICHINV_WORKERS` may ask for, per core available: more only crowd the
machine (100,000 asked for forked 100,000 processes, and the run never ended)."""


def worker_count() -> int:
    """Processes to work with: `ICHINV_WORKERS` when set (at most PER_CORE a core), else one
    per core available.

    Every core, even one that another job is using: the scheduler then shares the cores among
    all runnable processes, so a second worker still adds to this run's share. An earlier
    version left cores it saw busy alone, and a background `git gc` right after a commit made
    a 100,000-record cold run single-process (132 s instead of 80 s, measured).
    """
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    wanted = os.environ.get("ICHINV_WORKERS", "").strip()
    if wanted.isascii() and wanted.isdigit() and int(wanted) > 0:
        return min(int(wanted), PER_CORE * cores)
    return cores


def leave_interrupts_to_the_parent(parent: int) -> None:
    """In a forked process: ignore Ctrl-C. The terminal sends it to every process of the
    command; the parent stops its children and says "interrupted" once (exit 130), where each
    child used to print its own traceback, and a child that died mid-task could leave the
    parent waiting for its results for ever. (Children start with Ctrl-C held back,
    `held_interrupts`: one that comes before this runs is dropped here.) And end with the
    parent: killed however (SIGKILL too), it takes its children along, where they used to
    print a traceback each when they found no one to send results to."""
    # Not SIG_IGN: a program it runs (git) would inherit that through exec, and go on after
    # Ctrl-C (an outside test saw git outlive an interrupted packet). A handler that does
    # nothing is reset by exec.
    signal.signal(signal.SIGINT, _not_ours)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)
    _end_with_parent(parent)


def _not_ours(signum: int, frame: object) -> None:
    """Ctrl-C in a forked process: the parent's to act on."""


def _end_with_parent(parent: int) -> None:
    """Have the system send SIGTERM to this process when its parent ends (Linux; elsewhere the
    parent, ended by SIGTERM inside the command's error boundary, stops its children on its
    way out: ichinv.cli.boundary)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(0)


HELD = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""The signals a command turns into exceptions (KeyboardInterrupt; SystemExit for SIGTERM and
SIGHUP, ichinv.cli.boundary), held back where an exception must not land."""


@contextmanager
def held_interrupts() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP (HELD) held back in this thread while processes are forked or
    threads started (they inherit them held); this thread gets one that came meanwhile when
    they are let go, unless they were held already when this began."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


class Ahead(Generic[T]):
    """`work()` started now in a process forked from this one, on another core, while this
    process goes on; `result()` waits for it and gives what it returned.

    It is forked only when it can help and cannot harm: two cores or more (`worker_count`),
    fork available, no other thread running in this process (a forked child has only the
    forking thread, and a lock another thread held would stay held in it for ever) and no
    cache database open (ichinv.io.cache_files.any_open). Otherwise,
    and whenever the child fails (an exception, a result that cannot be pickled, a child
    killed or gone), `result()` runs `work()` here: slower, never a different answer, and an
    exception it raises is raised here as if nothing had been forked.

    The child works on a copy of this process's memory as it was at the fork: `work` must not
    depend on anything this process changes meanwhile, and what it changes in memory is lost
    (only its result comes back, with what it counted for `ICHINV_TRACE`). What it writes to
    caches is written, as this process would have. It never writes to standard output or
    error, and it ends, unasked, with its parent.
    """

    def __init__(self, work: Callable[[], T], *, spare: bool = False) -> None:
        """`spare`: the child works only on a core nothing else wants (at the lowest priority,
        nice 19): work this process may do itself later, when the child has not done it by
        then (`ready`)."""
        self._work = work
        self._pid: int | None = None
        self._read: int | None = None
        self._done = False
        self._value: T | None = None
        self._error: BaseException | None = None
        if (
            worker_count() < 2
            or not hasattr(os, "fork")
            or threading.active_count() > 1
            or _database_open()
        ):
            return
        read, write = os.pipe()
        parent = os.getpid()
        with held_interrupts():
            try:
                pid = os.fork()
            except OSError:  # no memory or process left for it: work here instead
                os.close(read)
                os.close(write)
                return
            if pid == 0:  # pragma: no cover - the child (its coverage is not collected)
                os.close(read)
                _child(work, write, parent, spare)
        os.close(write)
        self._pid, self._read = pid, read
        _RUNNING.add(self)

    def ready(self) -> bool:
        """Whether `result` would not wait: the child has answered or ended (or none was
        forked)."""
        if self._read is None:
            return True
        return bool(select.select([self._read], [], [], 0)[0])

    def result(self) -> T:
        """What `work()` returned (waiting for the child; running it here if it failed: what
        it raises then is raised here, and again at every later call)."""
        if not self._done:
            answer = self._collect()
            self._done = True
            if answer is None:
                try:
                    self._value = self._work()
                except BaseException as error:
                    self._error = error
                    raise
            else:
                self._value, counted = answer
                trace.merge(counted)
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]

    def _collect(self) -> tuple[T, trace.Counts] | None:
        """The child's answer, or None when it failed or there is none."""
        if self._read is None:
            return None
        chunks: list[bytes] = []
        try:
            while chunk := os.read(self._read, 1 << 20):
                chunks.append(chunk)
        finally:
            self.stop()
        try:
            ok, value, counted = pickle.loads(b"".join(chunks))
        except Exception:  # noqa: BLE001 - cut short, damaged: the work is done here instead
            return None
        return (value, counted) if ok else None

    def stop(self) -> None:
        """End the child, whatever it is doing, and let go of its pipe (done at the latest
        when the command ends)."""
        _RUNNING.discard(self)
        if self._read is not None:
            os.close(self._read)
            self._read = None
        if self._pid is not None:
            pid, self._pid = self._pid, None
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def _database_open() -> bool:
    """Whether a cache database is open here (ichinv.io.cache_files.any_open): a child forked
    now could not use it safely."""
    from ichinv.io import cache_files

    return cache_files.any_open()


_RUNNING: set[Ahead[Any]] = set()
"""Children not waited for yet: stopped when the command ends (`stop_all`)."""


def stop_all() -> None:
    """Stop every child still running (a command ending early: an error, Ctrl-C, SIGTERM)."""
    for ahead in list(_RUNNING):
        ahead.stop()


atexit.register(stop_all)  # run by every way a command ends (ichinv.cli._leave runs them too)


def _child(  # pragma: no cover
    work: Callable[[], Any], write: int, parent: int, spare: bool = False
) -> None:
    """In the forked child: run `work` (`spare`: at the lowest priority), send back what it
    returned, end without cleanups (the parent's exit handlers, buffers and files are the
    parent's)."""
    try:
        leave_interrupts_to_the_parent(parent)
        if spare:
            os.nice(19)
        trace.reset_counts()
        try:
            value = work()
            data = pickle.dumps((True, value, trace.counts()), pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - any failure: the parent does the work itself
            data = pickle.dumps((False, None, None))
        view = memoryview(data)
        while view:
            view = view[os.write(write, view) :]
    finally:
        os._exit(0)
