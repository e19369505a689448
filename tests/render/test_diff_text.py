"""The text report of a diff: a word-level change reads as what changed, and nothing else."""

from __future__ import annotations

from ichinv.core.model import ChangeKind
from ichinv.diff.engine import DiffRules
from ichinv.diff.fields import diff_records
from ichinv.render.diff import change_line
from tests.support.helpers import element_data

RULES = DiffRules(list_keys={}, successors={})


def _line(old: str, new: str) -> str:
    (change,) = diff_records(
        element_data("KZ-2013-0001", description={"en": old}),
        element_data("KZ-2013-0001", description={"en": new}),
        RULES,
    )
    assert change.kind is ChangeKind.CHANGED
    return change_line(change)


def test_a_long_text_shows_its_words_added_and_removed() -> None:
    line = _line(
        "Improvised poetic contest between two akyns, on the dombra.",
        "Improvised poetic duel between two akyns, on the dombra.",
    )
    assert line == (
        "/description/en: Improvised poetic [-contest-]{+duel+} between two akyns, on the dombra."
    )


def test_a_text_that_holds_the_marks_is_shown_whole() -> None:
    """An outside attack: a record's own `{+…+}` read as a change that was never made."""
    old = "Notation of the kui: the {+ marks a held note+} in the old manuscripts."
    new = "Notation of the kui: the {+ marks a held note+} in the manuscripts of 1930."
    line = _line(old, new)
    assert line.startswith("/description/en: ")
    assert "→" in line and line.count("{+") == 2
