"""The invisible characters have one home (ichinv.core.controls.INVISIBLE), from which
`validate` (text.control-character), the search for contacts, JSON and every line of text take
them: an outside review found four lists that disagreed (validate refused the Hangul fillers
and the tag characters but let U+2060-U+206F through; contacts were looked for behind the
reverse)."""

from __future__ import annotations

import json

import pytest

from ichinv.core import alphabets, contacts, jsontext
from ichinv.render.plain import one_line

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


@pytest.mark.parametrize("char", ["\u3164", "\uffa0", "\U000e0030"], ids=ascii)
def test_a_phone_number_behind_a_filler_or_a_tag_is_a_contact(char: str) -> None:
    number = char.join(["8", "701", "123", "45", "67"])
    assert contacts.may_be_contact(number) and contacts.without_contacts(number) == "…"


def test_line_breaks_and_tabs_stay_where_a_text_may_hold_them() -> None:
    assert alphabets.invisible_character("one\ntwo\tthree\u2028four") is None
    assert alphabets.invisible_character("one\ntwo", multiline=False) == "\n"
    assert contacts.visible("8 701\n123") == "8 701\n123"
