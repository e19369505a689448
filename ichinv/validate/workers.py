"""Checking files in worker processes, one per core, when there are many to check."""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ichinv.core.model import RecordKind
from ichinv.io.forked import held_interrupts, leave_interrupts_to_the_parent, worker_count
from ichinv.io.threads import Helper
from ichinv.schemas.loader import SchemaSet
from ichinv.validate import cache_entries
from ichinv.validate.file_check import FileCheck, Kept, check_and_keep

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

PARALLEL_FROM = 2000
"""Check files in worker processes (one per core) when at least this many files are to
be checked: below it, starting the workers costs more than they save."""


_STATE: tuple[SchemaSet, Path, dt.date, bool, bool, bool] | None = None
"""What a worker process checks with (inherited when it is forked)."""


Verdict = tuple[FileCheck, Kept | None, str]
"""A file's verdict, what the record cache keeps of it, and the verdict as the result cache
keeps it (ichinv.validate.cache_entries)."""


def _check_in_worker(item: tuple[RecordKind, str, bytes]) -> tuple[str, Kept | None]:
    """The verdict on one file as text (sent as it is, and decoded once by the parent)."""
    assert _STATE is not None
    schemas, root, day, public, elsewhere, keep = _STATE
    check, kept = check_and_keep(
        item[0], item[1], item[2], schemas, root, day, public=public, elsewhere=elsewhere, keep=keep
    )
    return cache_entries.encode(check), kept


CHUNK = 32
"""Files sent to a worker at a time."""

WINDOW = 2
"""Chunks a worker holds at a time (one it checks, one waiting): it never waits for the next,
and what is left is handed to whichever worker is free first."""


def _serve(tasks: Connection, results: Connection, parent: int, others: list[Connection]) -> None:
    """A worker: check each chunk it is sent and send back the verdicts, until told to stop
    (None) or its parent is gone (end of file)."""
    leave_interrupts_to_the_parent(parent)
    for conn in others:  # the parent's ends: this worker must not keep them open
        conn.close()
    while True:
        try:
            chunk = tasks.recv()
        except (EOFError, OSError):
            break
        if chunk is None:
            break
        try:
            answer: tuple[bool, Any] = (True, [_check_in_worker(item) for item in chunk])
        except Exception as error:  # noqa: BLE001 - a bug: the parent raises it
            answer = (False, error)
        try:
            results.send(answer)
        except (OSError, ValueError):
            break
        except Exception as error:  # noqa: BLE001 - an answer that cannot be pickled
            results.send((False, RuntimeError(f"a worker could not send its result: {error}")))
    os._exit(0)


class Workers:
    """Worker processes forked from this one, checking files in order.

    Each worker has a pipe of its own each way: nothing is shared between workers, so a
    worker that is stopped anywhere (Ctrl-C, SIGTERM, the kernel's OOM killer) cannot leave a
    lock held or half a message in a shared pipe. (multiprocessing.Pool shares both; stopped
    while a worker was sending a large result, it waited for the rest of it for ever: an
    outside test hung 2 runs in 460, 22 in 201 with 6 workers.) Stopping them is killing them
    and reaping them; nothing waits on a pipe. A worker that ends by itself leaves its files
    to the others, or to this process when none is left: the verdicts are the same.

    The threads that feed and hear the workers are ichinv.io.threads helpers, and the
    caller waits for verdicts on a queue: Ctrl-C never lands inside `threading`'s own code.
    """

    def __init__(self, processes: list[Any], tasks: list[Connection], results: list[Connection]):
        import functools
        import queue
        import threading
        from collections import deque

        self._processes = processes
        self._tasks = tasks
        self._results = results
        self._lock = threading.Lock()
        """Guards what the collecting thread and the caller's share: the chunks pending and
        held, the next sequence number, `_stopping` and `_lost`."""
        self._pending: deque[int] = deque()
        self._held: list[list[int]] = [[] for __ in processes]
        self._arrived: queue.SimpleQueue[tuple[int, tuple[bool, Any]]] = queue.SimpleQueue()
        """Answers as they come, in any order (a queue: Ctrl-C cannot break a wait on it, as
        it can a Condition's; ichinv.io.threads)."""
        self._done: dict[int, tuple[bool, Any]] = {}
        """Answers taken from `_arrived` before their turn (the caller's alone)."""
        self._chunks: dict[int, list[Any]] = {}
        """The files of each chunk not yet answered, by sequence number (`_pending` and
        `_held` name chunks by it)."""
        self._next = 0
        self._stopping = False
        self._lost: set[int] = set()
        self._queues: list[queue.SimpleQueue[list[Any] | None]] = [
            queue.SimpleQueue() for __ in processes
        ]
        self._threads = [
            Helper(functools.partial(self._feed, w), f"ichinv-feed-{w}")
            for w in range(len(processes))
        ]
        self._threads.append(Helper(self._collect, "ichinv"))

    @classmethod
    def start(
        cls,
        expected: float,
        schemas: SchemaSet,
        root: Path,
        day: dt.date,
        *,
        public: bool = False,
        elsewhere: bool = False,
        keep: bool = False,
    ) -> Workers | None:
        """Workers when `expected` files to check make them pay off (and fork is possible);
        with `keep`, they also encode each record they parse for the record cache."""
        import multiprocessing

        if "ICHINV_WORKERS" in os.environ:
            expected = max(expected, PARALLEL_FROM)  # asked for: even for a few files
        if expected < PARALLEL_FROM:
            return None
        count = worker_count()
        if count < 2:
            return None
        if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover
            return None
        global _STATE
        _STATE = (schemas, root, day, public, elsewhere, keep)
        for schema in schemas.values():
            __ = schema.fast  # compiled once, here, and inherited by every worker
        context = multiprocessing.get_context("fork")
        processes: list[Any] = []
        tasks: list[Connection] = []
        results: list[Connection] = []
        with held_interrupts():
            for _worker in range(count):
                task_out, task_in = context.Pipe(duplex=False)
                result_out, result_in = context.Pipe(duplex=False)
                ours = [*tasks, *results, task_in, result_out]
                process = context.Process(
                    target=_serve,
                    args=(task_out, result_in, os.getpid(), ours),
                    daemon=True,
                    name="ichinv-worker",
                )
                process.start()
                task_out.close()  # the worker's ends: later workers must not inherit them
                result_in.close()
                processes.append(process)
                tasks.append(task_in)
                results.append(result_out)
        return cls(processes, tasks, results)

    def map(self, items: list[tuple[RecordKind, str, bytes]]) -> Iterator[Verdict]:
        """The verdicts on `items`, in order. The work is handed out now: the workers check
        these while the caller reads the verdicts of an earlier call."""
        with self._lock:
            first = self._next
            for start in range(0, len(items), CHUNK):
                self._chunks[self._next] = items[start : start + CHUNK]
                self._pending.append(self._next)
                self._next += 1
            last = self._next
            self._hand_out()
            orphans = self._orphans()
        self._check_here(orphans)
        return self._verdicts(first, last)

    def _verdicts(self, first: int, last: int) -> Iterator[Verdict]:
        for seq in range(first, last):
            while seq not in self._done:
                arrived, answer = self._arrived.get()
                self._done[arrived] = answer
            ok, value = self._done.pop(seq)
            chunk = self._chunks.pop(seq)
            if not ok:
                raise value
            if value is None:  # its worker ended before it was done: checked here
                value = [_check_in_worker(item) for item in chunk]
            for text, kept in value:
                yield cache_entries.decode(text)[0], kept, text

    def _hand_out(self) -> None:
        """Give each worker chunks up to WINDOW (the lock held)."""
        for worker, held in enumerate(self._held):
            while self._pending and len(held) < WINDOW and worker not in self._lost:
                seq = self._pending.popleft()
                held.append(seq)
                self._queues[worker].put(self._chunks[seq])

    def _feed(self, worker: int) -> None:
        """Send a worker its chunks (a thread of its own: a send may wait until the worker
        reads, and the verdicts must be collected meanwhile)."""
        while (chunk := self._queues[worker].get()) is not None:
            try:
                self._tasks[worker].send(chunk)
            except (OSError, ValueError):  # the worker is gone: _collect says so
                return

    def _collect(self) -> None:
        """Receive verdicts from whichever worker has them, and hand it more work."""
        from multiprocessing.connection import wait

        open_ = dict(enumerate(self._results))
        while open_:
            try:
                ready = wait(list(open_.values()))
            except (OSError, TypeError, ValueError):  # closed under it: the run is over
                return
            for worker in [w for w, c in open_.items() if c in ready]:
                try:
                    answer: tuple[bool, Any] = open_[worker].recv()
                except (EOFError, OSError):
                    del open_[worker]
                    self._worker_ended(worker)
                    continue
                with self._lock:
                    seq = self._held[worker].pop(0)
                    self._hand_out()
                self._arrived.put((seq, answer))

    def _worker_ended(self, worker: int) -> None:
        with self._lock:
            self._lost.add(worker)
            owed = [] if self._stopping else self._held[worker][:]
            self._held[worker].clear()
            owed += self._orphans()
        self._check_here(owed)

    def _orphans(self) -> list[int]:
        """The chunks pending when no worker is left to check them, taken out (the lock
        held)."""
        if len(self._lost) < len(self._processes) or self._stopping:
            return []
        orphans = list(self._pending)
        self._pending.clear()
        return orphans

    def _check_here(self, seqs: list[int]) -> None:
        """Have the caller check chunks `seqs` itself, when their turn comes: a worker that
        ends (killed by the system when memory runs short, say) costs time, never a verdict."""
        for seq in seqs:
            self._arrived.put((seq, (True, None)))

    def close(self) -> None:
        """Stop the workers: at once, whatever they are doing (an interrupted run), or after
        the work they were given (they are idle then)."""
        with self._lock:
            self._stopping = True
            self._pending.clear()
        for queue in self._queues:
            queue.put(None)
        for process in self._processes:
            if process.exitcode is None:
                process.kill()
        for process in self._processes:
            process.join()
        for thread in self._threads:  # ended: every pipe is at its end now
            thread.wait(timeout=5)
        for conn in (*self._tasks, *self._results):
            conn.close()


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
