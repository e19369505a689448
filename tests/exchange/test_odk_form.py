"""`ichinv form`: the XLSForm converts with pyxform, mirrors the schema, speaks three languages."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.helpers import REPO_ROOT, Result

Run = Callable[..., Result]

pyxform = pytest.importorskip("pyxform")


@pytest.fixture
def form_inventory(inventory: Path) -> Path:
    """The test inventory with the templates (labels of the form) of this repository."""
    shutil.copytree(REPO_ROOT / "templates", inventory / "templates")
    return inventory


def _form(run: Run, *args: str) -> bytes:
    result = run("form", "--output", "form.xlsx", "--force", *args)
    assert result.exit_code == 0, result.stderr
    return Path("form.xlsx").read_bytes()


def _sheets(xlsx: bytes) -> dict[str, list[dict[str, str]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    sheets = {}
    for sheet in book.worksheets:
        rows = [
            [c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)
        ]
        header = rows[0]
        sheets[sheet.title] = [dict(zip(header, row, strict=False)) for row in rows[1:]]
    return sheets


def _convert(xlsx: bytes, *, validate: bool = False) -> tuple[str, list[str]]:
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    result = convert(xlsform=xlsx, warnings=warnings, validate=validate, file_type=".xlsx")
    return result.xform, warnings


@pytest.mark.parametrize("langs", ["kk", "ru", "en", "kk,ru,en", "en,kk"])
def test_the_form_converts_without_a_warning(form_inventory: Path, run: Run, langs: str) -> None:
    xform, warnings = _convert(_form(run, "--lang", langs))
    assert warnings == []
    for lang in langs.split(","):
        assert (
            f'lang="{ {"kk": "Kazakh (kk)", "ru": "Russian (ru)", "en": "English (en)"}[lang] }"'
            in xform
        )


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
def test_odk_validate_accepts_the_form(form_inventory: Path, run: Run) -> None:
    """ODK Validate (shipped with pyxform) runs the XForm as ODK Collect would: expressions
    parse, and no relevant or required condition depends on itself."""
    _, warnings = _convert(_form(run), validate=True)
    assert warnings == []


def test_sheets_columns_and_version(form_inventory: Path, run: Run) -> None:
    sheets = _sheets(_form(run))
    assert set(sheets) == {"survey", "choices", "settings"}
    survey = sheets["survey"]
    columns = set(survey[0])
    for lang in ("Kazakh (kk)", "Russian (ru)", "English (en)"):
        assert {f"label::{lang}", f"hint::{lang}", f"constraint_message::{lang}"} <= columns
    assert "required" in columns
    settings = sheets["settings"][0]
    schema = json.loads((form_inventory / "schema" / "element.schema.json").read_text("utf-8"))
    assert settings["version"].startswith(f"{schema['x-ichinv-schema-version']}.")
    assert settings["default_language"] == "Kazakh (kk)"
    assert settings["form_id"] == "ichinv_element"


def _rows(survey: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """Survey rows by their path of names (`consent/status`)."""
    found: dict[str, dict[str, str]] = {}
    stack: list[str] = []
    for row in survey:
        kind = row["type"]
        if kind.startswith("end"):
            stack.pop()
            continue
        path = "/".join([*stack, row["name"]])
        found[path] = row
        if kind.startswith("begin"):
            stack.append(row["name"])
    return found


def test_consent_comes_first_and_cannot_be_skipped(form_inventory: Path, run: Run) -> None:
    survey = _sheets(_form(run))["survey"]
    groups = [row["name"] for row in survey if row["type"] in ("begin group", "begin repeat")]
    assert groups[0] == "consent"
    rows = _rows(survey)
    assert rows["consent/status"]["required"] == "yes"
    assert rows["consent/status"]["type"] == "select_one consent"
    assert rows["consent/date"]["required"] == "../status = 'given'"
    assert rows["consent/evidence"]["type"] == "image"
    assert rows["consent/evidence"]["required"] == "../form = 'written'"
    assert "consent/status = 'given'" in rows["access/level"]["constraint"]


def test_questions_mirror_the_schema(form_inventory: Path, run: Run) -> None:
    rows = _rows(_sheets(_form(run))["survey"])
    # repeat groups for the lists of entries
    for repeat in (
        "communities",
        "locations",
        "contacts",
        "documentation",
        "safeguarding",
        "viability/threats",
    ):
        assert rows[repeat]["type"] == "begin repeat", repeat
    assert rows["locations/coordinates"]["type"] == "geopoint"
    assert {rows[f"documentation/{m}"]["type"] for m in ("photo", "audio", "video")} == {
        "image",
        "audio",
        "video",
    }
    # required as the schema says
    assert rows["names/kk"]["required"] == rows["names/ru"]["required"] == "yes"
    assert rows["names/en"]["required"] == ""
    assert (
        rows["domains"]["type"] == "select_multiple domain" and rows["domains"]["required"] == "yes"
    )
    assert rows["contacts/role"]["required"] == "yes"
    # patterns and limits as constraints; dates not in the future unless they may be
    assert rows["contacts/phone"]["constraint"] == "regex(., '^\\+[0-9][0-9 ()-]{6,20}$')"
    assert rows["contacts/birth_year"]["constraint"] == ". >= 1900 and . <= 2100"
    assert rows["names/kk"]["constraint"] == "string-length(.) <= 300"
    assert rows["consent/date"]["constraint"] == ". <= today()"
    assert rows["safeguarding/until"]["constraint"] == ""  # may lie in the future
    assert (
        rows["description/en"]["required"]
        == "string-length(../kk) = 0 and string-length(../ru) = 0"
    )


def test_labels_are_the_schema_texts_in_three_languages(form_inventory: Path, run: Run) -> None:
    rows = _rows(_sheets(_form(run))["survey"])
    schema = json.loads((form_inventory / "schema" / "element.schema.json").read_text("utf-8"))
    consent_status = schema["properties"]["consent"]["properties"]["status"]
    assert rows["consent/status"]["label::English (en)"] == consent_status["title"]
    assert rows["consent/status"]["hint::English (en)"] == consent_status["description"]
    for lang, column in (("kk", "Kazakh (kk)"), ("ru", "Russian (ru)")):
        table = json.loads((form_inventory / "schema" / "i18n" / f"{lang}.json").read_text("utf-8"))
        assert (
            rows["consent/status"][f"label::{column}"]
            == table["fields"]["element:/consent/status"]["title"]
        )
        assert (
            rows["contacts/phone"][f"hint::{column}"]
            == table["fields"]["element:/contacts/*/phone"]["description"]
        )
    assert rows["description/kk"]["label::Kazakh (kk)"] == "Сипаттамасы (қазақша)"


def test_choices_come_from_the_schema_and_the_current_provinces(
    form_inventory: Path, run: Run
) -> None:
    choices = _sheets(_form(run))["choices"]
    by_list: dict[str, list[dict[str, str]]] = {}
    for row in choices:
        by_list.setdefault(row["list_name"], []).append(row)
    schema = json.loads((form_inventory / "schema" / "element.schema.json").read_text("utf-8"))
    assert [r["name"] for r in by_list["domain"]] == schema["$defs"]["domain"]["enum"]
    craft = next(r for r in by_list["domain"] if r["name"] == "craftsmanship")
    assert craft["label::Kazakh (kk)"] == "Дәстүрлі қолөнер"
    assert craft["label::English (en)"] == "Traditional craftsmanship"
    # current provinces only: KZ-YUZ was split in 2018
    assert [r["name"] for r in by_list["province"]] == ["KZ-23", "KZ-43", "KZ-61", "KZ-79"]
    turkistan = next(r for r in by_list["province"] if r["name"] == "KZ-61")
    assert turkistan["label::Russian (ru)"] == "Туркестанская область"
    assert [r["name"] for r in by_list["form_language"]] == ["kk", "ru", "en"]


def test_province_option_limits_the_choices(form_inventory: Path, run: Run) -> None:
    choices = _sheets(_form(run, "--province", "kz-61", "--province", " KZ-23"))["choices"]
    assert [r["name"] for r in choices if r["list_name"] == "province"] == ["KZ-61", "KZ-23"]


def test_unknown_or_former_provinces_and_languages_are_usage_errors(
    form_inventory: Path, run: Run
) -> None:
    unknown = run("form", "-o", "f.xlsx", "--province", "KZ-24")
    assert unknown.exit_code == 2
    assert "there is no current province KZ-24" in unknown.stderr
    assert "did you mean KZ-23" in unknown.stderr
    former = run("form", "-o", "f.xlsx", "--province", "kz-yuz")
    assert former.exit_code == 2
    assert "KZ-YUZ is a former unit" in former.stderr and "KZ-61, KZ-79" in former.stderr
    language = run("form", "-o", "f.xlsx", "--lang", "kk,rus")
    assert language.exit_code == 2
    assert "did you mean 'ru'" in language.stderr
    assert not Path("f.xlsx").exists()
    assert "Traceback" not in unknown.stderr + former.stderr + language.stderr


def test_output_is_a_new_xlsx_unless_forced(form_inventory: Path, run: Run) -> None:
    first = _form(run)
    assert _form(run) == first  # the same inventory gives the same bytes
    refused = run("form", "--output", "form.xlsx")
    assert refused.exit_code == 2
    assert "form.xlsx" in refused.stderr
    wrong = run("form", "--output", "form.csv")
    assert wrong.exit_code == 2 and ".xlsx" in wrong.stderr
    piped = run("form")
    assert piped.exit_code == 0
    assert piped.stdout.encode("utf-8", "surrogateescape")[:2] == b"PK"


def test_a_changed_schema_text_changes_the_version(form_inventory: Path, run: Run) -> None:
    before = _sheets(_form(run))["settings"][0]["version"]
    table = form_inventory / "schema" / "i18n" / "kk.json"
    document = json.loads(table.read_text("utf-8"))
    document["fields"]["element:/consent/status"]["title"] = "Келісім күйі"
    table.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    after = _sheets(_form(run))
    assert after["settings"][0]["version"] != before
    assert _rows(after["survey"])["consent/status"]["label::Kazakh (kk)"] == "Келісім күйі"


def test_an_inventory_without_current_provinces_gets_no_form(
    form_inventory: Path, run: Run
) -> None:
    # pyxform refuses a form whose province list has no choices: ichinv says why instead.
    shutil.rmtree(form_inventory / "provinces")
    (form_inventory / "provinces").mkdir()
    result = run("form", "-o", "f.xlsx")
    assert result.exit_code == 2
    assert "no current provinces in provinces/" in result.stderr
    assert not Path("f.xlsx").exists()


def test_a_language_without_its_schema_texts_is_refused_and_one_with_gaps_noted(
    form_inventory: Path, run: Run
) -> None:
    """An outside attack: with schema/i18n/kk.json gone, `form` wrote "(kk, ru, en)" with
    English in every `label::Kazakh (kk)` cell, exit 0, and said nothing."""
    table = form_inventory / "schema" / "i18n" / "kk.json"
    texts = json.loads(table.read_text(encoding="utf-8"))
    table.unlink()
    result = run("form", "--output", "form.xlsx")
    assert result.exit_code == 2
    assert "schema/i18n/kk.json is missing" in result.stderr
    assert "--lang ru,en" in result.stderr and not Path("form.xlsx").exists()
    assert run("form", "--output", "form.xlsx", "--lang", "ru,en").exit_code == 0
    consent = "element:/consent"
    del texts["fields"][consent]
    table.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    result = run("form", "--output", "form.xlsx", "--force")
    assert result.exit_code == 0, result.stderr
    assert "not yet translated into kk" in result.stderr and "/consent (title)" in result.stderr
