"""Every text typed for a record (an option's value, an answer to a prompt) is written without
the spaces, tabs, line breaks and other blanks around it, in one way (ichinv.cli.options
typed_text): a text over lines (`--reason`), a text of one line (`--decision`, the names of
`new`) and a name typed at a prompt.

Found by a review: `--decision ' Order 1 '` was written `decision: ' Order 1 '`, where
`--reason ' Why '` was written `Why`; a `--name-en` pasted with the line break or tab after
it, and a name typed at the prompt with a tab after it, were refused as holding a control
character (U+000A, U+0009), which `--reason` took.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ichinv.io import strict_yaml as yamlload
from tests.cli.test_new import FLAGS
from tests.support.helpers import Result, build_file_tree, element_yaml

Run = Callable[..., Result]

PROVENANCE = {"entered": "2026-02-01", "sources": [{"list": "community-inventory"}]}
BLANKS = [" {} ", "\t{}\n", "\r\n{}\r\n", "\u00a0{}\u3000", "\n \t{}\u2003 \n"]
"""A text with blanks around it: spaces, a tab, line breaks (CRLF), no-break and wide spaces."""


def read(root: Path, element_id: str) -> dict[str, object]:
    return yamlload.load((root / "elements" / f"{element_id}.yaml").read_bytes())[0]


@pytest.fixture
def elements(inventory_with_template: Path) -> Path:
    build_file_tree(
        inventory_with_template,
        {
            f"elements/{element_id}.yaml": element_yaml(element_id, provenance=PROVENANCE)
            for element_id in ("KZ-2026-0001", "KZ-2026-0002")
        },
    )
    return inventory_with_template


@pytest.mark.parametrize("blanks", BLANKS)
@pytest.mark.parametrize("command", ["retire", "merge"])
def test_a_reason_and_a_decision_are_written_without_the_blanks_around_them(
    elements: Path, run: Run, blanks: str, command: str
) -> None:
    into = ["--into", "KZ-2026-0002"] if command == "merge" else []
    result = run(
        command,
        "KZ-2026-0001",
        *into,
        "--reason",
        blanks.format("No longer practised."),
        "--decision",
        blanks.format("Order 1"),
    )
    assert result.exit_code == 0, result.stderr
    change = read(elements, "KZ-2026-0001")["status_change"]
    assert isinstance(change, dict)
    assert (change["reason"], change["decision"]) == ("No longer practised.", "Order 1")
    assert run("validate").exit_code == 0


@pytest.mark.parametrize("blanks", BLANKS)
def test_names_given_as_options_are_written_without_the_blanks_around_them(
    inventory_with_template: Path, run: Run, blanks: str
) -> None:
    result = run(*FLAGS, "--name-en", blanks.format("Dombra making"))
    assert result.exit_code == 0, result.stderr
    names = read(inventory_with_template, "KZ-2026-0001")["names"]
    assert names == {"kk": "Домбыра жасау", "ru": "Изготовление домбры", "en": "Dombra making"}


def test_names_typed_at_the_prompt_are_written_without_the_blanks_around_them(
    inventory_with_template: Path, run: Run
) -> None:
    answers = "Айтыс\t\n \u00a0Айтыс \nAitys\u3000\noral-traditions\nI\nKZ-43\n"
    result = run("new", input=answers)
    assert result.exit_code == 0, result.stdout + result.stderr
    names = read(inventory_with_template, "KZ-2026-0001")["names"]
    assert names == {"kk": "Айтыс", "ru": "Айтыс", "en": "Aitys"}


@pytest.mark.parametrize(
    ("option", "value"),
    [("--decision", "Order 1\u2028"), ("--decision", "\x85Order 1"), ("--name-en", "Aitys\x1c")],
)
def test_what_is_refused_inside_a_text_is_refused_at_its_ends(
    elements: Path, run: Run, option: str, value: str
) -> None:
    """Not left out as a blank would be (as str.strip would): the same as in `--reason`."""
    args = ["retire", "KZ-2026-0001", "--reason", "Why"] if option == "--decision" else FLAGS
    result = run(*args, option, value)
    assert result.exit_code == 2
    assert f"the value of {option} holds an invisible or control character" in result.stderr
