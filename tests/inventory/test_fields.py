"""Reading fields of records and views, and the one language fallback order of every output."""

from __future__ import annotations

import datetime as dt

from ichinv.inventory import fields
from ichinv.inventory.audience import Why, Withheld


def test_a_missing_text_falls_back_in_the_documented_order() -> None:
    # kk falls back to Russian before English, in every output (the reading commands used
    # English first before the two orders were merged).
    texts = {"en": "Nauryz", "ru": "Наурыз"}
    assert fields.text_in(texts, "kk") == ("Наурыз", "ru")
    assert fields.text_in(texts, "en") == ("Nauryz", "en")
    assert fields.text_in({"kk": "Наурыз"}, "en") == ("Наурыз", "kk")
    assert fields.text_in({"uz": "Navro'z"}, "ru") == ("Navro'z", "uz")
    assert fields.text_in({"en": "  "}, "en") == (None, "en")


def test_a_withheld_text_is_never_shown_in_place_of_another() -> None:
    texts = {"kk": Withheld(Why.RESTRICTED, "sacred"), "ru": "Текст"}
    assert fields.text_in(texts, "kk") == ("Текст", "ru")
    assert fields.text_in({"kk": Withheld(Why.RESTRICTED)}, "kk") == (None, "kk")


def test_get_hands_on_withheld_notes_value_treats_them_as_absent() -> None:
    note = Withheld(Why.RESTRICTED, "customary")
    view = {"consent": note, "viability": {"status": "viable"}}
    assert fields.get(view, "consent.status") is note
    assert fields.value(view, "consent.status") is None
    assert fields.value(view, "viability.status") == "viable"
    assert fields.get(view, "viability.assessed") is None


def test_an_element_entered_when_its_provenance_says_else_in_its_id_year() -> None:
    assert fields.entered({"provenance": {"entered": "2025-06-01"}}, "KZ-2026-0001") == dt.date(
        2025, 6, 1
    )
    assert fields.entered({"provenance": {"entered": "2025-13-01"}}, "KZ-2026-0001") == dt.date(
        2026, 1, 1
    )
    assert fields.entered({}, "not an id") is None
    assert fields.is_new({}, "KZ-2026-0001") and not fields.is_new({}, "KZ-2013-0001")
