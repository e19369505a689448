"""Checking files in worker processes, one per core, when there are many to check."""

from __future__ import annotations

import datetime as dt
import gc
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ichinv.core.model import RecordKind
from ichinv.schemas.loader import SchemaSet
from ichinv.validate.file_check import FileCheck, Kept, check_and_keep

PARALLEL_FROM = 2000
"""Check files in worker processes (one per core) when at least this many files are to
be checked: below it, starting the workers costs more than they save."""


def _worker_count() -> int:
    """Processes to check files with: `ICHINV_WORKERS` when set, else one per core available.

    Every core, even one that another job is using: the scheduler then shares the cores among
    all runnable processes, so a second worker still adds to this run's share. An earlier
    version left cores it saw busy alone, and a background `git gc` right after a commit made
    a 100,000-record cold run single-process (132 s instead of 80 s, measured).
    """
    wanted = os.environ.get("ICHINV_WORKERS", "").strip()
    if wanted.isascii() and wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


_STATE: tuple[SchemaSet, Path, dt.date, bool, bool] | None = None
"""What a worker process checks with (inherited when it is forked)."""


def _leave_interrupts_to_the_parent(parent: int) -> None:
    """In a worker: ignore Ctrl-C. The terminal sends it to every process of the command; the
    parent stops the workers and says "interrupted" once (exit 130), where each worker used to
    print its own traceback, and a worker that died mid-task could leave the parent waiting
    for its results for ever. (Workers start with Ctrl-C held back, `_held_interrupts`: one
    that comes before this runs is dropped here.) And end with the parent: killed however
    (SIGKILL too), it takes its workers along, where they used to print a traceback each when
    they found no one to send results to."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _end_with_parent(parent)


def _end_with_parent(parent: int) -> None:
    """Have the system send SIGTERM to this process when its parent ends (Linux; elsewhere the
    parent's SIGTERM handler, `_terminated`, still stops the workers)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(0)


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM while workers run: leave as SystemExit does (the workers are stopped on the
    way out, `Workers.close`), with the status of a process the signal ended (128 + 15)."""
    raise SystemExit(128 + signum)


@contextmanager
def _held_interrupts() -> Iterator[None]:
    """Ctrl-C held back while the workers are forked (they inherit it held until they ignore
    it); this process gets one that came meanwhile when it is let go."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _check_in_worker(item: tuple[RecordKind, str, bytes]) -> tuple[FileCheck, Kept | None]:
    assert _STATE is not None
    schemas, root, day, public, keep = _STATE
    return check_and_keep(item[0], item[1], item[2], schemas, root, day, public=public, keep=keep)


class Workers:
    """Worker processes forked from this one, checking files in order."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool
        try:
            self._on_term: Any = signal.signal(signal.SIGTERM, _terminated)
        except ValueError:  # not the main thread: SIGTERM stays as it is
            self._on_term = None

    @classmethod
    def start(
        cls,
        expected: float,
        schemas: SchemaSet,
        root: Path,
        day: dt.date,
        *,
        public: bool = False,
        keep: bool = False,
    ) -> Workers | None:
        """Workers when `expected` files to check make them pay off (and fork is possible);
        with `keep`, they also encode each record they parse for the record cache."""
        import multiprocessing

        if "ICHINV_WORKERS" in os.environ:
            expected = max(expected, PARALLEL_FROM)  # asked for: even for a few files
        if expected < PARALLEL_FROM:
            return None
        workers = _worker_count()
        if workers < 2:
            return None
        if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover
            return None
        global _STATE
        _STATE = (schemas, root, day, public, keep)
        for schema in schemas.values():
            __ = schema.fast  # compiled once, here, and inherited by every worker
        with _held_interrupts():
            pool = multiprocessing.get_context("fork").Pool(
                workers, initializer=_leave_interrupts_to_the_parent, initargs=(os.getpid(),)
            )
        return cls(pool)

    def map(
        self, items: list[tuple[RecordKind, str, bytes]]
    ) -> Iterator[tuple[FileCheck, Kept | None]]:
        return self._pool.imap(_check_in_worker, items, chunksize=32)

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()
        if self._on_term is not None:
            signal.signal(signal.SIGTERM, self._on_term)
            self._on_term = None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while records are checked.

    Checking allocates many short-lived containers and keeps a growing list of small results;
    the collector scans them again and again (2.4 % of a 10,000-file run, measured; more as
    the list grows) to find no cycles: records are trees, freed by reference counting as soon
    as they are judged.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
