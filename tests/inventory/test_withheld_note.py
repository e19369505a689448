"""The note standing for a withheld value, and telling it from a value."""

from __future__ import annotations

import pytest

from ichinv.inventory.withheld_note import Why, Withheld, is_note

PHRASED = ("Withheld by customary restriction: {reason}", "Скрыто: персональные данные.")


@pytest.mark.parametrize("why", list(Why))
@pytest.mark.parametrize("reason", [None, "Sacred.", "Line one]\nline two."])
def test_every_note_a_view_writes_is_recognised(why: Why, reason: str | None) -> None:
    note = Withheld(why, reason)
    assert is_note(note)
    assert is_note(f"  {note}\n")  # as a spreadsheet may leave it


@pytest.mark.parametrize(
    "text", ["[withheld: consent withdrawn: Sacred.]", "[withheld: consent pending]"]
)
def test_the_notes_earlier_versions_wrote_are_still_recognised(text: str) -> None:
    # They named the state of consent, which public outputs no longer tell; a public export
    # made then still holds them, and importing it must stop there as before.
    assert is_note(text)


@pytest.mark.parametrize(
    "text",
    [
        "Withheld by customary restriction: Sacred.",
        "*Withheld by customary restriction: Sacred.*",  # a packet's Markdown
        "Скрыто: персональные данные.",
    ],
)
def test_the_sentences_of_packets_and_pages_are_recognised(text: str) -> None:
    assert is_note(text, PHRASED)
    assert not is_note(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[withheld]",
        "[withheld: by the elders]",
        "The song is withheld from strangers: [withheld: restricted] is what the site says.",
        "Withheld by customary restriction",
    ],
)
def test_values_are_no_notes(text: str) -> None:
    assert not is_note(text, PHRASED)
