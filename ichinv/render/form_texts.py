"""The texts of the field form and of the report on its submissions: the schema's field texts
(as `ichinv schema-docs` shows them) and the inventory's labels (templates/i18n/)."""

from __future__ import annotations

from collections.abc import Iterable

from ichinv.core.model import RecordKind
from ichinv.core.vocabulary import Lang
from ichinv.exchange.xlsform import FormTexts
from ichinv.io.settings import Settings
from ichinv.render.markdown import labels as i18n
from ichinv.render.markdown.sections import VOCABULARY
from ichinv.schemadocs import texts as schematexts


def form_texts(settings: Settings) -> FormTexts:
    """The translated field texts of the element schema (schema/i18n/), the labels of every
    language (English behind them), the label group of each enumerated field and the rules'
    summaries."""
    tables = schematexts.load_translations(settings.schema_dir)
    prefix = schematexts.field_key(RecordKind.ELEMENT, "")
    fields = {
        lang: {
            key[len(prefix) :]: dict(texts)
            for key, texts in table.fields.items()
            if key.startswith(prefix)
        }
        for lang, table in tables.items()
    }
    labels = {
        lang.value: i18n.flat(settings.templates_dir, lang.value, root=settings.root)
        for lang in Lang
    }
    english = schematexts.rule_texts()
    rules = {
        lang: {rule: tables[lang].rules.get(rule) or text for rule, text in english.items()}
        if lang != Lang.EN
        else english
        for lang in tables
    }
    return FormTexts(fields, labels, dict(VOCABULARY), rules)


def untranslated(settings: Settings, langs: Iterable[str]) -> dict[str, list[str]]:
    """For each language of `langs` but English, the texts of element fields its table
    (schema/i18n/<lang>.json) lacks, which the form shows in English (`/consent (title)`):
    every one when the table is missing."""
    from ichinv.schemas import loader as schema_loader

    tables = schematexts.load_translations(settings.schema_dir)
    schemas = schema_loader.load(settings.schema_dir)
    prefix = schematexts.field_key(RecordKind.ELEMENT, "")
    return {
        lang: [
            f"{pointer or '/'} ({part})"
            for gap in schematexts.missing(schemas, tables[lang])
            if gap.startswith(prefix)
            for pointer, __, part in [gap[len(prefix) :].rpartition(".")]
        ]
        for lang in langs
        if lang != Lang.EN and lang in tables
    }
