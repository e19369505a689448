"""Why the editor leaves a record as it is: located, in plain words, never "a bug in ichinv".

Found by an outside review (6 December): a tab after a list item, a value the two readers read
differently (`x: =`) and a folded block holding a tab-led line were refused without a line or
column, the last as "this is a bug in ichinv".
"""

from __future__ import annotations

import pytest

from ichinv.io import editor as yamlio


@pytest.mark.parametrize(
    ("text", "where", "words", "hint"),
    [
        (
            "id: KZ-2013-0001\nprovinces:\n  - KZ-10\t# note\n",
            "rec.yaml:3:10",
            "cannot be opened for editing",
            "the line holds a tab character",
        ),
        (
            "id: KZ-2013-0001\nnotes: a\nx_note: =\n",
            "rec.yaml:3:9",
            "is read differently by ichinv's two YAML readers",
            "write unusual values",
        ),
        (
            "schema_version: 1\nx: >\n  foo\n\n  \tbar\n",
            "rec.yaml:2:4",
            "the writer cannot keep this value as it is written",
            "write the value another way",
        ),
    ],
    ids=["tab after an item", "readers differ", "tab in a folded block"],
)
def test_a_refusal_names_the_line_and_says_what_to_do(
    text: str, where: str, words: str, hint: str
) -> None:
    with pytest.raises((yamlio.UnreadableRecord, yamlio.UnsafeWrite)) as refused:
        yamlio.tidy(text, {}, "rec.yaml")
    assert refused.value.message.startswith(where), refused.value.message
    assert words in refused.value.message
    assert refused.value.hint is not None and refused.value.hint.startswith(hint)
    assert "bug" not in refused.value.message + refused.value.hint


def test_a_refusal_never_quotes_the_value() -> None:
    text = "id: KZ-2013-0001\nx: >\n  ivan@example.org\n\n  \t+7 700 000 11 22\n"
    with pytest.raises(yamlio.UnsafeWrite) as refused:
        yamlio.tidy(text, {}, "rec.yaml")
    said = refused.value.message + (refused.value.hint or "")
    assert "ivan" not in said and "700" not in said
