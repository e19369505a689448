"""Ctrl-C during a cold `validate` that checks in worker processes: one "interrupted", exit
130, no traceback, no process left behind.

The terminal sends Ctrl-C (SIGINT) to every process of the command, the workers included;
each used to print its traceback, and about one run in four then waited for ever for the
result of a task whose worker had died. And the parent alone ended (SIGTERM, SIGKILL): the
workers go with it, silently.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate
from tests.support.helpers import REPO_ROOT, commit, init_repo


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text("ascii")
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _validating(root: Path, env: dict[str, str], **popen: Any) -> subprocess.Popen[bytes]:
    """`ichinv validate` started in `root` (standard error piped), once its two worker
    processes are there."""
    started = subprocess.Popen(
        [sys.executable, "-P", "-m", "ichinv", "validate"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        **popen,
    )
    deadline = time.monotonic() + 60
    while len(_children(started.pid)) < 2 and started.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return started


@pytest.mark.slow  # a cold run of 1,500 records, four times: .ci/run runs it with -m slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_ctrl_c_stops_every_worker_with_one_message_and_exit_130(tmp_path: Path) -> None:
    root = tmp_path / "inventory"
    generate(root, 1500)
    env = os.environ | {
        "ICHINV_WORKERS": "2",
        "PYTHONPATH": str(REPO_ROOT),
        "ICHINV_LANG": "en",
    }
    for attempt in range(4):
        env["XDG_CACHE_HOME"] = str(tmp_path / f"cache{attempt}")  # cold every time
        started = _validating(
            root,
            env,
            start_new_session=True,  # its own process group, as a terminal's foreground job
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        time.sleep(0.05 * attempt)  # workers started, and some way into their work
        workers = _children(started.pid)
        os.killpg(started.pid, signal.SIGINT)
        __, err = started.communicate(timeout=30)  # a hang fails here
        text = err.decode("utf-8", "replace")
        assert started.returncode == 130, text
        assert "Traceback" not in text and "KeyboardInterrupt" not in text
        assert text.strip().endswith("interrupted")
        assert not [w for w in workers if Path(f"/proc/{w}").exists()]


def _gone(pid: int, within: float = 10) -> bool:
    """Whether process `pid` has ended (a zombie, waiting for a parent that is gone, counts)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text("ascii").rpartition(")")[2].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.02)
    return False


@pytest.mark.slow  # two cold runs of 1,500 records
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_the_parent_alone_ended_takes_its_workers_along_without_a_traceback(
    tmp_path: Path, how: signal.Signals
) -> None:
    # A service manager or a CI timeout signals the process it started, not its group. The
    # workers used to print a traceback each (no parent to send results to) and, after a
    # SIGKILL, to linger.
    root = tmp_path / "inventory"
    generate(root, 1500)
    env = os.environ | {
        "ICHINV_WORKERS": "2",
        "PYTHONPATH": str(REPO_ROOT),
        "ICHINV_LANG": "en",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    started = _validating(root, env)
    workers = _children(started.pid)
    time.sleep(0.3)  # the workers some way into their work, results on their way
    started.send_signal(how)
    # Standard error reaches its end when the workers, which share it, have closed it too.
    __, err = started.communicate(timeout=30)
    assert started.returncode in (-how, 128 + how)
    assert all(_gone(w) for w in workers)
    assert "Traceback" not in err.decode("utf-8", "replace")


@pytest.mark.slow  # sixteen cold runs of 3,000 records: .ci/run runs it with -m slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_stopped_at_any_moment_with_many_workers_it_never_hangs(tmp_path: Path) -> None:
    # multiprocessing.Pool shares one result pipe: a worker stopped while sending a large
    # result left half a message in it, and the pool waited for the rest for ever (an outside
    # test: 22 hangs in 201 runs with 6 workers; 7 in 40 here before the fix).
    root = tmp_path / "inventory"
    generate(root, 3000)
    env = os.environ | {"ICHINV_WORKERS": "6", "PYTHONPATH": str(REPO_ROOT), "ICHINV_LANG": "en"}
    for attempt in range(16):
        env["XDG_CACHE_HOME"] = str(tmp_path / f"cache{attempt}")
        started = _validating(
            root,
            env,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        time.sleep(0.1 + 0.07 * attempt)
        if attempt % 2:
            started.send_signal(signal.SIGTERM)  # a CI timeout: the parent alone
        else:
            os.killpg(started.pid, signal.SIGINT)  # Ctrl-C: the whole group
        try:
            __, err = started.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(started.pid, signal.SIGKILL)
            started.communicate()
            pytest.fail(f"attempt {attempt}: still running 30 s after it was stopped")
        text = err.decode("utf-8", "replace")
        assert "Traceback" not in text and "Exception in thread" not in text, text
        assert started.returncode in (0, 1, 130, 128 + signal.SIGTERM, -signal.SIGTERM), text


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_ctrl_c_while_git_lists_the_index_says_interrupted(tmp_path: Path) -> None:
    # The main thread waits for a thread that reads git's output; an interrupt handled inside
    # Thread.join (or Thread.start) could end the run with "internal error: RuntimeError:
    # release unlocked lock", exit 3.
    root = tmp_path / "inventory"
    generate(root, 20)
    commit(init_repo(root), "the inventory")
    listing = tmp_path / "listing"
    slow_git = tmp_path / "git"
    slow_git.write_text(
        "#!/bin/sh\n"
        f'case " $* " in *" ls-files "*) : > "{listing}"; sleep 20;; esac\n'
        f'exec "{shutil.which("git")}" "$@"\n',
        encoding="utf-8",
    )
    slow_git.chmod(0o755)
    env = os.environ | {
        "GIT_PYTHON_GIT_EXECUTABLE": str(slow_git),
        "PYTHONPATH": str(REPO_ROOT),
        "ICHINV_LANG": "en",
    }
    for attempt in range(3):
        listing.unlink(missing_ok=True)
        env["XDG_CACHE_HOME"] = str(tmp_path / f"cache{attempt}")
        started = subprocess.Popen(
            [sys.executable, "-P", "-m", "ichinv", "validate", "--new-since", "HEAD"],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        deadline = time.monotonic() + 60
        while not listing.exists():
            assert started.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(0.02 * attempt)
        os.killpg(started.pid, signal.SIGINT)
        __, err = started.communicate(timeout=30)  # not the 20 s git would have taken
        text = err.decode("utf-8", "replace")
        assert started.returncode == 130, text
        assert text.strip() == "interrupted"
