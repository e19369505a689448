"""The error boundary: the system's refusals are exit 2 in plain words, bugs stay exit 3."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import typer

from ichinv.cli.boundary import EXIT_INTERNAL, EXIT_USAGE, boundary
from tests.support.helpers import Result

Run = Callable[..., Result]


def _exit_of(exc: BaseException, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    with pytest.raises(typer.Exit) as caught, boundary():
        raise exc
    return caught.value.exit_code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (FileNotFoundError(errno.ENOENT, "gone", "elements/KZ-2013-0001.yaml"), "no such file"),
        (PermissionError(errno.EACCES, "denied", "provinces/KZ-43.yaml"), "permission denied"),
        (IsADirectoryError(errno.EISDIR, "folder", "schema/element.schema.json"), "a folder"),
        (OSError(errno.EIO, "I/O", "elements/KZ-2013-0001.yaml"), "input/output error"),
    ],
)
def test_a_refusal_about_a_named_path_is_exit_2(
    exc: OSError, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = _exit_of(exc, capsys)
    assert code == EXIT_USAGE
    assert lines[0].startswith(f"error: cannot use {exc.filename}: ")
    assert words in lines[0]
    assert lines[1].startswith("hint: ") and len(lines) == 2


def test_a_full_disk_under_standard_output_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = _exit_of(OSError(errno.ENOSPC, "No space left on device"), capsys)
    assert code == EXIT_USAGE
    assert lines == [
        "error: cannot write the output: no space left on the device",
        "hint: free some space on the device holding the output, then run the command again",
    ]


@pytest.mark.parametrize(
    "exc",
    [
        FileNotFoundError(errno.ENOENT, "No such file or directory"),  # which file? a bug
        OSError(errno.EBADF, "Bad file descriptor", "x"),
        OSError(errno.EINVAL, "Invalid argument", "x"),
        OSError("no errno at all"),
        FileExistsError(errno.EEXIST, "exists", "x"),  # ichinv checks before it writes
        ValueError("a bug"),
    ],
)
def test_a_bug_stays_exit_3(exc: Exception, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = _exit_of(exc, capsys)
    assert code == EXIT_INTERNAL
    assert lines[0].startswith("error: internal error: ")


def test_debug_shows_the_error_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ICHINV_DEBUG", "1")
    with pytest.raises(FileNotFoundError), boundary():
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), "x")


LATIN1 = "r\udce9sum\udce9"
"""`résumé` as Latin-1 bytes, as Python hands an argument that is not UTF-8 to a command."""


@pytest.mark.parametrize(
    ("args", "place"),
    [
        (["ci", "summary", "--title", LATIN1, "-o", "out.md"], 4),
        (["ci", "summary", f"{LATIN1}.json", "-o", "out.md"], 3),
        (["export", "-o", f"{LATIN1}.csv"], 3),
        (["show", LATIN1], 2),
    ],
)
def test_an_argument_that_is_not_utf8_is_a_usage_error_before_the_command_runs(
    run: Run, inventory: Path, args: list[str], place: int
) -> None:
    """Found by a review of the JSON readers: `ci summary --title` or a report named in
    another encoding ended in "this is a bug in ichinv" (UnicodeEncodeError when the summary
    was written)."""
    before = sorted(p.name for p in inventory.iterdir())
    result = run(*args)
    assert result.exit_code == EXIT_USAGE, result.stdout + result.stderr
    assert f"argument {place} of the command is not UTF-8 text" in result.stderr
    assert "internal error" not in result.stderr
    assert sorted(p.name for p in inventory.iterdir()) == before
