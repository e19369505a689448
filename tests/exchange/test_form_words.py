"""The words of `ichinv form`, read from the workbook's cells (pyxform need not be installed):
what the form tells the teams is true of what ichinv publishes."""

from __future__ import annotations

import io
from pathlib import Path

from ichinv.core.vocabulary import PUBLIC_IDENTIFICATION
from tests.exchange.conftest import Run

COLUMNS = {"kk": "Kazakh (kk)", "ru": "Russian (ru)", "en": "English (en)"}


def _sheets(xlsx: bytes) -> dict[str, list[dict[str, str]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    sheets = {}
    for sheet in book.worksheets:
        rows = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        sheets[sheet.title] = [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]
    return sheets


SHOWN = {
    "names": {"en": "names", "ru": "названия", "kk": "атаулары"},
    "domains": {"en": "domains", "ru": "области", "kk": "салалары"},
    "national_category": {"en": "national category", "ru": "категория", "kk": "санат"},
    "provinces": {"en": "provinces", "ru": "регионы", "kk": "өңірлері"},
}
"""How the consent note names each field a public output shows of a restricted record."""

NEVER = {"en": "never published", "ru": "никогда не публикуется", "kk": "ешқашан жарияланбайды"}


def test_the_consent_note_says_what_public_outputs_show_of_a_restricted_draft(
    field_inventory: Path, form: bytes
) -> None:
    """The note said "While consent is not given, the record stays restricted and is never
    published", but public outputs show a restricted draft's id, names, domains, category and
    provinces (an outside attack)."""
    intro = next(row for row in _sheets(form)["survey"] if row["name"] == "intro")
    # the identification of a restricted record, but what says it is one and why it is withheld
    assert set(SHOWN) == PUBLIC_IDENTIFICATION - {"id", "status", "access"}
    for lang, column in COLUMNS.items():
        note = intro[f"label::{column}"]
        assert NEVER[lang] not in note, note
        for field, words in SHOWN.items():
            assert words[lang] in note, (lang, field, note)
