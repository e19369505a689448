"""Whether a value quotes, whole or in large part, a text that a record withholds: a public
view of changes shows no value that says what a newer version restricted (a sentence moved
from a public description into a restricted note, word for word or nearly)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ichinv.core import pointers

RUN = 6
"""Consecutive words of a withheld text that, found in a value in the same order, make the
value a quotation of it (a withheld text of fewer words: all of them)."""

FEWEST = 3
"""The fewest words a withheld text must have to be looked for (a place's district, `Katon-
Karagai district`, is; a year or a province's id alone is in many texts)."""

_WORD = re.compile(r"\w+")


def _words(text: str) -> tuple[str, ...]:
    """The words of `text`, case folded: punctuation, case and spacing do not hide a quote."""
    return tuple(w.casefold() for w in _WORD.findall(text))


class Quotes:
    """The withheld texts one value is checked against, by runs of their words."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._runs: dict[int, set[tuple[str, ...]]] = {}
        for secret in secrets:
            words = _words(secret)
            if len(words) < FEWEST:
                continue
            size = min(RUN, len(words))
            runs = self._runs.setdefault(size, set())
            runs.update(words[i : i + size] for i in range(len(words) - size + 1))

    def __bool__(self) -> bool:
        return bool(self._runs)

    def quoted_in(self, value: Any) -> bool:
        """Whether a text in `value` (plain data) holds a run of words of a withheld text."""
        if not self._runs:
            return False
        for text in pointers.strings(value):
            words = _words(text)
            for size, runs in self._runs.items():
                if any(words[i : i + size] in runs for i in range(len(words) - size + 1)):
                    return True
        return False
