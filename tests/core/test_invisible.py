"""The invisible characters have one home (ichinv.core.controls.INVISIBLE), from which
`validate` (text.control-character), the search for contacts, JSON and every line of text take
them: an outside review found four lists that disagreed (validate refused the Hangul fillers
and the tag characters but let U+2060-U+206F through; contacts were looked for behind the
reverse)."""

from __future__ import annotations

import json

import pytest

from ichinv.core import alphabets, contacts, controls, jsontext
from ichinv.render.html.clean import clean
from ichinv.render.markdown.escape import inline
from ichinv.render.plain import one_line, visible

WAS_REFUSED = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\ufeff\u061c\u180e\ufff9\ufffa\ufffb\u115f\u1160\u3164\uffa0\U000e0001\U000e0041\U000e007f"
)
"""What `validate` refused in a record's text before (ichinv.core.alphabets)."""

WAS_DROPPED = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202e\u2060\u2061\u2064\u2065\u2066\u2069\u206a\u206f\ufeff\ufff9\ufffb"
)
"""What contacts were looked for behind before (ichinv.core.contacts: dropped from free text)."""

EVERY = sorted(set(WAS_REFUSED) | set(WAS_DROPPED))


@pytest.mark.parametrize("char", EVERY, ids=lambda c: f"U+{ord(c):04X}")
def test_each_home_takes_every_invisible_character(char: str) -> None:
    for multiline in (True, False):  # a record's text may hold a soft hyphen (test_lifecycle)
        assert alphabets.invisible_character(f"Домбыра{char} күйі", multiline=multiline) == (
            None if char == alphabets.SOFT_HYPHEN else char
        )
    assert alphabets.may_hold_invisible(f"a\n{char}") is (char != alphabets.SOFT_HYPHEN)
    assert contacts.visible(f"8{char}701") == "8701"
    assert char not in jsontext.dumps([char]) and json.loads(jsontext.dumps([char])) == [char]
    assert char not in one_line(f"a{char}b")


@pytest.mark.parametrize("char", ["\u3164", "\uffa0", "\U000e0030", "\u200c", "\u200d"], ids=ascii)
def test_a_phone_number_behind_a_filler_or_a_tag_is_a_contact(char: str) -> None:
    number = char.join(["8", "701", "123", "45", "67"])
    assert contacts.may_be_contact(number) and contacts.without_contacts(number) == "…"


def test_line_breaks_and_tabs_stay_where_a_text_may_hold_them() -> None:
    assert alphabets.invisible_character("one\ntwo\tthree\u2028four") is None
    assert alphabets.invisible_character("one\ntwo", multiline=False) == "\n"
    assert contacts.visible("8 701\n123") == "8 701\n123"


SPELT = {
    "persian": "\u06a9\u062a\u0627\u0628\u200c\u0647\u0627",  # کتاب‌ها, "books"
    "after-a-vowel-mark": "\u0628\u064e\u200c\u0628",  # a fatha before U+200C
    "sinhala": "\u0dc1\u0dca\u200d\u0dbb\u0dd3",  # ශ්‍රී, "Sri": a virama before U+200D
    "family": "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "rainbow-flag": "\U0001f3f3\ufe0f\u200d\U0001f308",  # VS16 before U+200D
}
"""Joiners that are part of a word's or an emoji's spelling (ichinv.core.controls.JOINERS)."""

UNSPELT = {
    "cyrillic": "\u0410\u0439\u200c\u0442\u044b\u0441",  # Ай‌тыс
    "latin": "Ai\u200dtys",
    "at-the-start": "\u200c\u06a9\u062a\u0627\u0628",
    "at-the-end": "\u06a9\u062a\u0627\u0628\u200c",
    "twice": "\u06a9\u062a\u0627\u0628\u200c\u200c\u0647\u0627",
    "between-digits": "8 700\u200c000 00 00",
    "between-persian-digits": "\u06f8\u06f7\u06f0\u06f0\u200c\u06f0\u06f0\u06f0",
    "before-a-letter-mark": "\u06a9\u062a\u0627\u0628\u200c\u061c\u0647\u0627",
    "after-a-letter-mark": "\u06a9\u062a\u0627\u0628\u061c\u200c\u0647\u0627",
    "before-an-override": "\u06a9\u062a\u0627\u0628\u200c\u202e\u0647\u0627",
    "non-joiner-between-emoji": "\U0001f468\u200c\U0001f469",
    "emoji-and-letter": "\U0001f468\u200d\u0647",
}
"""Joiners that spell nothing: refused and escaped as every other invisible character."""


@pytest.mark.parametrize("text", SPELT.values(), ids=SPELT)
def test_a_joiner_that_spells_a_word_or_an_emoji_is_taken_and_printed(text: str) -> None:
    for multiline in (True, False):
        assert alphabets.invisible_character(f"{text} күйі", multiline=multiline) is None
    assert not alphabets.may_hold_invisible(f"a\n{text}")
    assert visible(text) == inline(text) == clean(text) == text
    assert json.loads(jsontext.dumps([text], record_text=True)) == [text]
    assert text in jsontext.dumps([text], record_text=True)
    # a name escapes it all the same
    assert not set(controls.JOINERS) & set(one_line(text) + jsontext.dumps([text]))


@pytest.mark.parametrize("text", UNSPELT.values(), ids=UNSPELT)
def test_a_joiner_that_spells_nothing_is_refused_and_escaped(text: str) -> None:
    assert alphabets.invisible_character(text) in (*controls.JOINERS, "\u061c", "\u202e")
    assert alphabets.may_hold_invisible(text)
    for shown in (
        visible(text),
        inline(text),
        clean(text),
        jsontext.dumps([text], record_text=True),
    ):
        assert not set(controls.JOINERS + "\u061c\u202e") & set(shown), shown
    assert contacts.visible(text) == "".join(c for c in text if c not in "\u200c\u200d\u061c\u202e")
