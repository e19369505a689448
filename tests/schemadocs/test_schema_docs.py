"""`ichinv schema-docs`: every field documented in en, kk and ru, up to date, linkable."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from ichinv.core.catalogue import CATALOGUE
from ichinv.core.model import Finding, RecordKind
from ichinv.schemadocs import examples as schemaexamples
from ichinv.schemadocs import pages as schemadocs
from ichinv.schemadocs import texts as schematexts
from ichinv.schemadocs.anchors import DocLinks, anchor
from ichinv.schemas import loader as schemas
from ichinv.schemas.explain import SCHEMA_RULES
from tests.support.helpers import REPO_ROOT, Result

Run = Callable[..., Result]
LANGS = ("en", "kk", "ru")


@pytest.fixture(scope="module")
def loaded() -> schemas.SchemaSet:
    return schemas.load(REPO_ROOT / "schema")


@pytest.fixture(scope="module")
def translations() -> dict[str, schematexts.Translation]:
    return schematexts.load_translations(REPO_ROOT / "schema")


def test_the_committed_docs_are_up_to_date(loaded: schemas.SchemaSet, translations) -> None:  # type: ignore[no-untyped-def]
    pages = schemadocs.render(loaded, translations)
    assert schemadocs.differences(REPO_ROOT / "docs", pages) == [], (
        "docs/ is out of date with the schemas: run `ichinv schema-docs --force` and commit"
    )


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_text_is_translated(lang: str, loaded: schemas.SchemaSet, translations) -> None:  # type: ignore[no-untyped-def]
    table = translations[lang]
    assert schematexts.missing(loaded, table) == []
    assert schematexts.stale(loaded, table) == []


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_translations_are_in_the_language_and_keep_the_codes(
    lang: str, loaded: schemas.SchemaSet, translations
) -> None:  # type: ignore[no-untyped-def]
    table = translations[lang]
    english = schematexts.field_texts(loaded)
    for key, texts in table.fields.items():
        for part, text in texts.items():
            assert re.search("[а-яА-ЯёЁәғқңөұүһіӘҒҚҢӨҰҮҺІ]", text), (
                f"{lang} {key}.{part} is not Cyrillic: {text}"
            )
            if lang == "ru":
                assert not re.search("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]", text.replace("нқ", "")), (
                    f"Kazakh letters in ru {key}"
                )
            # Allowed values and codes are the same words in every language.
            for code in re.findall(r"`([^`]+)`", english[key].get(part, "")):
                assert code in text, f"{lang} {key}.{part} lost `{code}`"
    for rule_id, text in table.rules.items():
        assert re.search("[а-яА-ЯәғқңөұүһіІ]", text), f"{lang} rule {rule_id}"


def test_every_field_has_an_entry_with_its_anchor_in_every_language(
    loaded: schemas.SchemaSet, translations
) -> None:  # type: ignore[no-untyped-def]
    pages = {p.path: p.text for p in schemadocs.render(loaded, translations)}
    for lang in LANGS:
        for kind in RecordKind:
            text = pages[f"{lang}/{kind.value}.md"]
            for pattern, _ in loaded[kind].walk():
                assert f'<a id="{anchor(pattern)}"></a>' in text, (lang, kind, pattern)
        rules_page = pages[f"{lang}/rules.md"]
        for rule_id in (*CATALOGUE, *SCHEMA_RULES):
            assert f'<a id="{rule_id}"></a>' in rules_page


def _entry(page: str, name: str) -> str:
    """The entry of a field: from its anchor to the anchor of the next heading."""
    after = page.split(f'<a id="{name}"></a>', 1)[1]
    heading_end = after.index("\n#") + 2
    heading_end = after.index("\n", heading_end)
    return after[:heading_end] + after[heading_end:].split("<a id=", 1)[0]


def test_each_entry_says_required_type_and_example(loaded: schemas.SchemaSet, translations) -> None:  # type: ignore[no-untyped-def]
    text = next(
        p.text for p in schemadocs.render(loaded, translations) if p.path == "en/element.md"
    )
    entry = _entry(text, "consent.status")
    assert "#### `consent.status` — Consent status" in entry
    assert "| Required | yes |" in entry
    assert "| Type | text |" in entry
    assert "| Allowed values | `given`, `pending`, `withdrawn`, `not-sought` |" in entry
    assert "```yaml\nconsent:\n  status: given\n```" in entry
    contacts = _entry(text, "contacts")
    assert "Personal data: never published" in contacts


def test_every_example_is_a_valid_value_of_its_field(loaded: schemas.SchemaSet) -> None:
    placeholder = schematexts.UI_EN["example_text"]
    for kind in RecordKind:
        schema = loaded[kind]
        nodes = dict(schema.walk())
        root = Draft202012Validator(schema.document)
        for pattern, node in nodes.items():
            if not pattern or schemadocs._is_item(pattern, node):
                continue
            value = schemaexamples.example_value(pattern, nodes, placeholder)
            assert root.evolve(schema=node).is_valid(value), (kind, pattern, value)
            snippet = "\n".join(schemaexamples.example_yaml(pattern, nodes, placeholder))
            assert yaml.safe_load(snippet) is not None, snippet


def test_findings_link_to_anchors_that_exist(loaded: schemas.SchemaSet) -> None:
    links = DocLinks.from_schemas(loaded)
    page = (REPO_ROOT / "docs/en/element.md").read_text(encoding="utf-8")
    cases = {
        "/consent/history/3/status": "docs/en/element.md#consent.history.item.status",
        "/names/uz": "docs/en/element.md#names.item",
        "/names/kk": "docs/en/element.md#names.kk",
        "/description/en": "docs/en/element.md#description.item",
        "/nonsense/field": "docs/en/element.md#record",
        "/consent/unknown": "docs/en/element.md#consent",
    }
    for pointer, expected in cases.items():
        link = links.finding(
            Finding("elements/KZ-2013-0001.yaml", "schema.enum", "x", pointer=pointer)
        )
        assert link == expected
        assert f'<a id="{expected.split("#")[1]}"></a>' in page
    whole = Finding("elements/KZ-2013-0001.yaml", "yaml.syntax", "x")
    assert links.finding(whole) == "docs/en/rules.md#yaml.syntax"
    settings = Finding("pyproject.toml", "suppression.expired", "x")
    assert links.finding(settings) == "docs/en/rules.md#suppression.expired"
    province = Finding("provinces/KZ-31.yaml", "schema.pattern", "x", pointer="/successors/0")
    assert links.finding(province) == "docs/en/province.md#successors.item"


# --- the command ---------------------------------------------------------------------------------


def test_the_command_writes_checks_and_refuses_to_overwrite(inventory: Path, run: Run) -> None:
    shutil.copytree(
        REPO_ROOT / "schema" / "i18n", inventory / "schema" / "i18n", dirs_exist_ok=True
    )
    first = run("schema-docs")
    assert first.exit_code == 0, first.stderr
    assert "wrote docs/kk/element.md" in first.stdout
    assert sorted(
        p.relative_to(inventory / "docs").as_posix() for p in (inventory / "docs").rglob("*.md")
    ) == [
        "README.md",
        *(f"{lang}/{page}.md" for lang in LANGS for page in ("element", "province", "rules")),
    ]
    assert run("schema-docs").stdout == "docs/ is up to date\n"
    assert run("schema-docs", "--check").exit_code == 0

    schema = inventory / "schema" / "province.schema.json"
    document = json.loads(schema.read_text(encoding="utf-8"))
    document["properties"]["focus"]["title"] = "Pilot province of the revision"
    schema.write_text(json.dumps(document), encoding="utf-8")
    check = run("schema-docs", "--check")
    assert check.exit_code == 1
    assert "docs/en/province.md is out of date" in check.stderr
    refused = run("schema-docs")
    assert refused.exit_code == 2
    assert "--force" in refused.stderr
    assert "Pilot province" not in (inventory / "docs/en/province.md").read_text(encoding="utf-8")
    forced = run("schema-docs", "--force")
    assert forced.exit_code == 0
    assert "Pilot province of the revision" in (inventory / "docs/en/province.md").read_text(
        encoding="utf-8"
    )
    # The Kazakh page keeps its translation of the old title: the table is keyed by field.
    assert "note: " not in forced.stderr


def test_a_missing_translation_falls_back_to_english_with_a_note(
    inventory: Path, run: Run, tmp_path: Path
) -> None:
    (inventory / "schema" / "i18n").mkdir(parents=True, exist_ok=True)
    (inventory / "schema" / "i18n" / "kk.json").write_text(
        json.dumps(
            {
                "ui": {"required": "Міндетті"},
                "fields": {"element:/id": {"title": "Сәйкестендіргіш"}},
            }
        ),
        encoding="utf-8",
    )
    result = run("schema-docs", "--lang", "kk", "--output", str(tmp_path / "out"))
    assert result.exit_code == 0
    # `--lang kk` asks for Kazakh messages too.
    assert "kk тіліне әлі" in result.stderr and "аударылмаған" in result.stderr
    assert not (tmp_path / "out" / "en").exists()
    page = (tmp_path / "out" / "kk" / "element.md").read_text(encoding="utf-8")
    assert "### `id` — Сәйкестендіргіш" in page
    assert "| Міндетті | yes *(not yet translated; the English text is shown)* |" not in page
    assert "Stable identifier of the element" in page  # the English description …
    assert "*(not yet translated; the English text is shown)*" in page  # … marked as such


def test_a_broken_translation_table_is_a_configuration_error(inventory: Path, run: Run) -> None:
    (inventory / "schema" / "i18n").mkdir(parents=True, exist_ok=True)
    (inventory / "schema" / "i18n" / "ru.json").write_text("{not json", encoding="utf-8")
    result = run("schema-docs", "--check")
    assert result.exit_code == 2
    assert "ru.json cannot be read" in result.stderr
