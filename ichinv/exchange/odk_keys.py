"""Where the KEY of a row of ODK Central's repeat files places it: the submission, and the
answer path of its repeat instance (`uuid:…/viability/threats[2]` → (`uuid:…`, ("viability",
"threats", 2))), read by ichinv.exchange.odk_csv."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ichinv.exchange.form_spec import Section
from ichinv.exchange.odk_submissions import AnswerPath

_KEY_PART = re.compile(r"^(?P<name>[^\[\]/]+)(?:\[(?P<index>[0-9]+)\])?$")


BEYOND = ("", ())
"""What `place` gives for a KEY numbering a row 0 or beyond the rows of the export."""


def place(key: str, limit: int) -> tuple[str, AnswerPath] | None:
    """The submission and the answer path of a repeat row's KEY (`uuid:…/viability/threats[2]`
    → (`uuid:…`, ("viability", "threats", 2))), the numbers as the KEY gives them (from 1);
    None when it is no such KEY, `BEYOND` when a number is 0 or above `limit` (no instance of
    a repeat is numbered beyond the rows of the longest file: the number is never turned into
    an int of thousands of digits, nor a list of that length)."""
    head, __, rest = key.partition("/")
    if not head or not rest:
        return None
    path: list[str | int] = []
    for part in rest.split("/"):
        match = _KEY_PART.match(part)
        if match is None:
            return None
        path.append(match.group("name"))
        digits = match.group("index")
        if digits is not None:
            digits = digits.lstrip("0")
            if not digits or len(digits) > len(str(limit)) or int(digits) > limit:
                return BEYOND
            path.append(int(digits))
    return head, tuple(path)


def parent_agrees(
    row: list[str], header: list[str], key: str, path: AnswerPath, limit: int
) -> bool:
    """Whether a repeat row's PARENT_KEY names what its KEY places it in: the submission
    (`uuid:…` for `uuid:…/viability/threats[2]`), or the instance of the repeat it is in
    (`uuid:…/outer[1]` for `uuid:…/outer[1]/inner[2]`). An empty PARENT_KEY names nothing
    else, and the row is placed by its KEY."""
    parent = row[header.index("PARENT_KEY")].strip()
    if not parent:
        return True
    numbers = [at for at, part in enumerate(path) if isinstance(part, int)]
    expected = path[: numbers[-2] + 1] if len(numbers) > 1 else ()
    return (place(parent, limit) if "/" in parent else (parent, ())) == (key, expected)


def numbered(path: AnswerPath, repeats: Mapping[tuple[str, ...], Section]) -> bool:
    """Whether the KEY's `path` numbers each repeat it passes through, and nothing else."""
    names: tuple[str, ...] = ()
    for at, part in enumerate(path):
        if isinstance(part, int):
            continue
        names = (*names, part)
        numbered = at + 1 < len(path) and isinstance(path[at + 1], int)
        if numbered != (names in repeats):
            return False
    return True


def positions(
    found: Iterable[tuple[str, AnswerPath]],
) -> dict[tuple[str, AnswerPath], dict[int, int]]:
    """For each repeat of each submission (its KEY's path up to the repeat's name), the
    numbers its rows give → their positions among the rows present (from 0): a KEY numbered
    with gaps gives no empty instances."""
    numbers: dict[tuple[str, AnswerPath], set[int]] = {}
    for key, path in found:
        for at, part in enumerate(path):
            if isinstance(part, int):
                numbers.setdefault((key, path[:at]), set()).add(part)
    return {where: {n: i for i, n in enumerate(sorted(ns))} for where, ns in numbers.items()}


def renumbered(
    key: str, path: AnswerPath, positions: Mapping[tuple[str, AnswerPath], dict[int, int]]
) -> AnswerPath:
    """`path` with each number of its KEY replaced by its position (`positions`)."""
    return tuple(
        positions[(key, path[:at])][part] if isinstance(part, int) else part
        for at, part in enumerate(path)
    )
