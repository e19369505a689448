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
        rows = [
            ["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)
        ]
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


TEXT_COLUMNS = ("label::", "hint::", "required_message::", "constraint_message::")
"""The columns of texts the teams read; the others (relevant, constraint, calculation) are
expressions, where `${name}` names a question."""


def _texts(sheets: dict[str, list[dict[str, str]]]) -> list[str]:
    found = [sheets["settings"][0]["form_title"]]
    for sheet in ("survey", "choices"):
        for row in sheets[sheet]:
            found.extend(v for k, v in row.items() if k.startswith(TEXT_COLUMNS) and v)
    return found


def test_a_reference_written_in_a_province_name_is_no_reference_in_the_form(
    field_inventory: Path, run: Run
) -> None:
    """pyxform reads `${name}` in a label as a reference to the question `name`, and refuses
    the form when there is none (an outside attack: ODK Central would not take the form)."""
    province = field_inventory / "provinces" / "KZ-23.yaml"
    text = province.read_text("utf-8")
    names = {"ru": "Атырауская область ${nosuch}", "en": "Atyrau ${province} Region ${"}
    for lang, name in names.items():
        text = _with_name(text, lang, name)
    province.write_text(text, "utf-8")
    assert run("validate", "provinces/KZ-23.yaml").exit_code == 0
    result = run("form", "--output", str(field_inventory.parent / "form.xlsx"))
    assert result.exit_code == 0, result.stderr
    xlsx = (field_inventory.parent / "form.xlsx").read_bytes()
    sheets = _sheets(xlsx)
    texts = _texts(sheets)
    assert not [t for t in texts if "${" in t]
    shown = [r for r in sheets["choices"] if r["name"] == "KZ-23"]
    assert shown and shown[0]["label::Russian (ru)"].replace("\u2060", "") == names["ru"]
    # the expressions are left as they are
    assert "../status = 'given'" in {row["relevant"] for row in sheets["survey"]}
    try:
        from pyxform.xls2xform import convert
    except ImportError:  # the cells are what matters; pyxform checks them when it is here
        return
    convert(xlsform=xlsx, warnings=[], file_type=".xlsx")


def _with_name(text: str, lang: str, name: str) -> str:
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(f"  {lang}: "))
    lines[at] = f"  {lang}: '{name}'\n"
    return "".join(lines)


def test_a_province_name_holding_a_contact_is_no_label_of_the_form(
    field_inventory: Path, run: Run
) -> None:
    """The form goes to every team's phone: a province's name that holds a contact (which
    public views withhold) is left out, and the province is offered by its other names."""
    province = field_inventory / "provinces" / "KZ-23.yaml"
    text = _with_name(province.read_text("utf-8"), "en", "Atyrau Region, call +7 700 000 91 91")
    province.write_text(text, "utf-8")
    result = run("form", "--output", str(field_inventory.parent / "form.xlsx"))
    assert result.exit_code == 0, result.stderr
    sheets = _sheets((field_inventory.parent / "form.xlsx").read_bytes())
    assert not [t for t in _texts(sheets) if "91 91" in t]
    shown = [r for r in sheets["choices"] if r["name"] == "KZ-23"]
    assert shown and shown[0]["label::English (en)"]  # another language's name stands in
