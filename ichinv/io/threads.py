"""Helper threads: work done in this process beside the main thread, which Ctrl-C cannot
leave in a broken state.

Ctrl-C raises KeyboardInterrupt in the main thread at whatever point it has reached. Inside
`threading`'s own Python code that point can fall between a lock's acquire and its release:
`Thread.start` waits on an Event, `Thread.join` on the thread's end, and an interrupt there
can release a lock it never held (CPython issues 78667 and 90882). An outside test saw
`validate`, interrupted while it waited for git, end with "internal error: RuntimeError:
release unlocked lock" (exit 3) instead of "interrupted" (exit 130).

So a `Helper` is started with Ctrl-C held back, and the thread never takes it (it inherits
Ctrl-C blocked): the main thread is the only one the system delivers it to, which also
wakes a wait at once. The same goes for SIGTERM and SIGHUP, which a command turns into
SystemExit (an outside stress test hit the same lock error with SIGTERM: 3 in 30,000 starts).
Its end is waited for on a queue, whose wait an interrupt leaves whole, and the thread is
joined only once its work is done, with all of them held (ichinv.io.forked.held_interrupts).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from ichinv.io.forked import held_interrupts


class Helper:
    """`work()` run now in a daemon thread that Ctrl-C never reaches; `wait()` for its end.

    `work` handles its own errors: one it lets out is printed by the thread and ends it,
    as with any thread. A command that is interrupted does not wait for its helpers: they
    are daemons, and they end with the process.
    """

    def __init__(self, work: Callable[[], object], name: str) -> None:
        self._ended: queue.SimpleQueue[None] = queue.SimpleQueue()
        self._over = False

        def run() -> None:
            try:
                work()
            finally:
                self._ended.put(None)

        self._thread = threading.Thread(target=run, daemon=True, name=name)
        with held_interrupts():
            self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the work has ended, at most `timeout` seconds; whether it has. Once it
        has, the thread is gone too: a process about to fork counts its threads
        (ichinv.io.forked.Ahead forks only when it has no other)."""
        if not self._over:
            try:
                self._ended.get(timeout=timeout)
            except queue.Empty:
                return False
            with held_interrupts():  # only the thread's own ending is left: microseconds
                self._thread.join()
            self._over = True
        return True
