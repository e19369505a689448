"""Files given on the command line are read only when regular, and only up to a limit.

An outside attacker's report: `ichinv import /dev/zero` was killed by the kernel at ~23 GB;
a link named `x.csv`, `x.json`, `x.xlsx` or `x.zip` to /dev/zero ended in `internal error:
MemoryError` (exit 3), and so did `import --from odk` and `ci summary x.md`/`x.json`. Now a
device, pipe or folder is refused before anything is read, and a file above
ichinv.io.given.LIMIT is refused by its size (exit 2 each).

These tests never read /dev/zero: a link to /dev/null stands for a device (a regression reads
it as empty), and a pipe has a writer that gives it a few bytes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from ichinv.io import given
from tests.support.helpers import Result

Run = Callable[..., Result]

NOT_REGULAR = "is not a regular file (a device, pipe or socket); it was not read"


def device(folder: Path, name: str) -> Path:
    link = folder / name
    link.symlink_to(os.devnull)
    return link


IMPORTS = [
    ("import", "--dry-run", "{}.csv"),
    ("import", "--dry-run", "{}.json"),
    ("import", "--dry-run", "{}.xlsx"),
    ("import", "--dry-run", "{}.zip"),
    ("import", "--from", "odk", "--dry-run", "{}.csv"),
    ("import", "--from", "odk", "--dry-run", "{}.json"),
    ("import", "--from", "odk", "--dry-run", "{}.zip"),
    ("ci", "summary", "{}.md"),
    ("ci", "summary", "{}.json"),
]


@pytest.mark.parametrize("args", IMPORTS, ids=" ".join)
def test_a_device_is_not_read(inventory: Path, run: Run, args: tuple[str, ...]) -> None:
    name = Path(args[-1].format("x")).name
    link = device(inventory.parent, name)
    result = run(*args[:-1], str(link))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"{link} {NOT_REGULAR}" in result.stderr, result.stderr
    assert "hint: give " in result.stderr


@pytest.mark.parametrize("args", [IMPORTS[0], IMPORTS[4], IMPORTS[7]], ids=" ".join)
def test_a_pipe_is_not_read(inventory: Path, run: Run, args: tuple[str, ...]) -> None:
    pipe = inventory.parent / Path(args[-1].format("pipe")).name
    os.mkfifo(pipe)

    def feed() -> None:  # should the pipe be read after all: a few bytes, then its end
        try:
            with open(pipe, "wb") as writer:
                writer.write(b"id\n")
        except OSError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    result = run(*args[:-1], str(pipe))
    # The writer waits for a reader until one opens the pipe: this one, so that it ends.
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    writer.join(5)
    os.close(reader)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"{pipe} {NOT_REGULAR}" in result.stderr, result.stderr


@pytest.mark.parametrize("args", [IMPORTS[0], IMPORTS[1], IMPORTS[5], IMPORTS[7]], ids=" ".join)
def test_a_file_above_the_limit_is_not_read(
    inventory: Path, run: Run, args: tuple[str, ...]
) -> None:
    large = inventory.parent / Path(args[-1].format("large")).name
    with large.open("wb") as out:
        out.truncate(given.LIMIT + 1)  # sparse: nothing written to disk
    result = run(*args[:-1], str(large))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert (
        f"{large} is {given.LIMIT + 1:,} bytes, more than the {given.LIMIT:,} bytes ichinv "
        "reads from a file given to it"
    ) in result.stderr, result.stderr
