"""Helper threads: Ctrl-C reaches the main thread only, never inside `threading`'s own code.

An interrupt handled inside `Thread.start` or `Thread.join` can release a lock that was not
held: CI saw an interrupted `validate` end with "internal error: RuntimeError: release
unlocked lock" (exit 3) instead of "interrupted" (exit 130).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from ichinv.io.threads import Helper

MAIN = threading.main_thread()

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "pthread_kill"), reason="needs POSIX thread signals"
)


@pytest.fixture
def interrupts() -> Iterator[list[str]]:
    """Ctrl-C raises KeyboardInterrupt; the files of the code it was handled in, in order."""
    if threading.current_thread() is not MAIN:
        pytest.skip("signal handlers are set in the main thread only")
    where: list[str] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        where.append(frame.f_code.co_filename if frame is not None else "?")
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGINT, handler)
    try:
        yield where
    finally:
        signal.signal(signal.SIGINT, before)


def _ctrl_c() -> None:
    """What a terminal's Ctrl-C does to this process: SIGINT to its main thread."""
    signal.pthread_kill(MAIN.ident or 0, signal.SIGINT)


def test_a_helper_thread_never_takes_ctrl_c_and_the_main_thread_still_does() -> None:
    masks: list[set[signal.Signals]] = []
    helper = Helper(lambda: masks.append(signal.pthread_sigmask(signal.SIG_BLOCK, [])), "t")
    assert helper.wait(5)
    # The system delivers Ctrl-C and SIGTERM (SystemExit in a command) to the main thread only.
    assert {signal.SIGINT, signal.SIGTERM} <= masks[0]
    assert not {signal.SIGINT, signal.SIGTERM} & signal.pthread_sigmask(signal.SIG_BLOCK, [])


def test_ctrl_c_while_a_helper_starts_is_handled_once_it_has_started(
    interrupts: list[str],
) -> None:
    # The helper presses Ctrl-C at once, while the main thread is still inside Thread.start
    # waiting for it to run; handled there, it could leave threading's locks half-released.
    started = 0
    for _attempt in range(50):
        try:
            Helper(_ctrl_c, "presses Ctrl-C")
        except KeyboardInterrupt:  # raised once start has returned: the helper runs
            pass
        started += 1
    assert len(interrupts) == started
    assert not [f for f in interrupts if Path(f).name == "threading.py"], interrupts
    deadline = time.monotonic() + 5
    while any(t.name == "presses Ctrl-C" for t in threading.enumerate()):
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_ctrl_c_while_waiting_for_a_helper_stops_the_wait_at_once_and_leaves_it_whole(
    interrupts: list[str],
) -> None:
    go_on = threading.Event()
    helper = Helper(go_on.wait, "waits")
    presser = Helper(lambda: (time.sleep(0.1), _ctrl_c()), "presses Ctrl-C")
    began = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        helper.wait()
    assert time.monotonic() - began < 5  # the wait did not go on until the work ended
    assert not [f for f in interrupts if Path(f).name == "threading.py"], interrupts
    assert presser.wait(5)
    assert not helper.wait(0.01)  # still at work: waiting again still works
    go_on.set()
    assert helper.wait(5)
    assert helper.wait(0)  # and says so ever after


def test_an_error_in_the_work_still_ends_the_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[type[BaseException]] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_type))

    def fails() -> None:
        raise ValueError("a bug in the work")

    assert Helper(fails, "fails").wait(5)
    assert errors == [ValueError]
