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


def test_an_edit_beside_a_flow_mapping_with_a_comment_is_written_in_block_style() -> None:
    """ruamel.yaml wrote `- b: 2 c: 3` after `- {a: 1}  # f`: `retire`, `merge` and
    `renumber` refused such a record as "a bug in ichinv" (an outside review)."""
    text = (
        "id: KZ-2013-0001\nprovinces: [KZ-10, KZ-11]  # two\nr:  # c\n  - {a: 1}  # f\n"
        "  - b: 2\n    c: 3\nstatus: active\n"
    )
    written = yamlio.edit(text, [(("status",), "retired")], {})
    data = yamlio.load(written).plain()
    assert data["r"] == [{"a": 1}, {"b": 2, "c": 3}] and data["status"] == "retired"
    assert "provinces:  # two\n" in written and "- a: 1  # f\n" in written and "# c" in written
    assert yamlio.tidy(written, {}) == written  # as `fmt` writes it: `fmt --check` passes


@pytest.mark.parametrize(
    "text",
    [
        "--- {id: KZ-2013-0005, names: {kk: Күй, ru: Кюй}}\n",
        "--- {id: KZ-2013-0005,\n  names: {kk: Күй, ru: Кюй}}\n",
    ],
)
def test_a_record_on_its_document_markers_line_is_formatted(text: str) -> None:
    """`--- {…}` was kept as a head line and the record written after it again (an outside
    review): "the rewritten record would not be readable"."""
    written = yamlio.tidy(text, {})
    assert written == "id: KZ-2013-0005\nnames:\n  kk: Күй\n  ru: Кюй\n"
    assert yamlio.tidy(written, {}) == written
