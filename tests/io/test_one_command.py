"""What a command keeps while it runs (ichinv.io.one_command): made once inside a command,
afresh outside one, and forgotten when the command ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from ichinv.io import one_command
from ichinv.io.git import open_repo


def test_inside_a_command_what_is_made_once_is_given_again_and_forgotten_after() -> None:
    made: list[int] = []

    def make() -> int:
        made.append(len(made))
        return len(made)

    assert one_command.kept("k", make) == 1 and one_command.kept("k", make) == 2  # no command
    with one_command.scope():
        assert one_command.kept("k", make) == 3
        assert one_command.kept("k", make) == 3
        assert one_command.kept("other", make) == 4
    with one_command.scope():  # the next command asks again
        assert one_command.kept("k", make) == 5


def test_what_fails_is_not_kept() -> None:
    answers = iter([ValueError("first"), "second"])

    def make() -> str:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    with one_command.scope():
        with pytest.raises(ValueError, match="first"):
            one_command.kept("k", make)
        assert one_command.kept("k", make) == "second"


def test_a_command_opens_its_repository_once_and_a_program_each_time_it_asks(
    git_inventory: Path,
) -> None:
    assert open_repo(git_inventory) is not open_repo(git_inventory)
    with one_command.scope():
        repo = open_repo(git_inventory)
        assert open_repo(git_inventory / "elements" / "..") is repo
        head = repo.head()
        assert head is not None and repo.resolve(head) == head == repo.resolve("HEAD")
