"""The error boundary: the system's refusals are exit 2 in plain words, bugs stay exit 3."""

from __future__ import annotations

import errno
import os

import pytest
import typer

from ichinv.cli.boundary import EXIT_INTERNAL, EXIT_USAGE, boundary


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
