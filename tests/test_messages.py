"""The message catalogues: complete, in step with the code, and worded with one glossary.

ichinv's messages are written in English in the code and translated in
ichinv/locale/<lang>/LC_MESSAGES/ichinv.po (see README, "Languages"). These tests fail when a
message of the code is missing from a catalogue, when a translation is missing, fuzzy or has
other placeholders than its English, and when a text of the messages, the packets' labels or
the schema documentation says a term of the glossary in other words than the glossary's.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from ichinv.core import i18n
from ichinv.core.catalogue import CATALOGUE
from ichinv.core.model import RecordKind
from ichinv.schemas import loader
from ichinv.schemas.explain import SCHEMA_RULES
from tests.support.helpers import REPO_ROOT

PACKAGE = REPO_ROOT / "ichinv"
TRANSLATED = ("kk", "ru")
PLURAL_FORMS = {"kk": 2, "ru": 3}


def catalogue(lang: str) -> Catalog:
    with i18n.catalogue_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


def entries(lang: str) -> Iterator[tuple[str | tuple[str, ...], tuple[str, ...], Any]]:
    """(msgid, translations, message) of every entry but the header."""
    for message in catalogue(lang):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        yield message.id, tuple(strings), message


def key(msgid: str | tuple[str, ...], context: str | None = None) -> str:
    text = msgid[0] if isinstance(msgid, tuple) else msgid
    return text if context is None else f"{context}\x04{text}"


def code_messages() -> set[str]:
    """Every message the code marks for translation (`_`, `N_`, `ngettext`), by its msgid."""
    found = set()
    for _filename, _line, message, _comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")]
    ):
        found.add(key(message, context))
    return found


def fields(text: str) -> set[str]:
    """The names of the `{placeholders}` of a message (conversions and formats left out); for
    a message that is no format string (it is never formatted), its braces as they are."""
    names = set()
    try:
        for _literal, name, _spec, _conversion in string.Formatter().parse(text):
            if name is not None:
                names.add(name)
    except ValueError:
        return {f"braces {text.count('{')}/{text.count('}')}"}
    return names


@pytest.mark.parametrize("lang", TRANSLATED)
def test_the_catalogue_holds_every_message_of_the_code_and_nothing_else(lang: str) -> None:
    in_code = code_messages()
    in_catalogue = {key(msgid, message.context) for msgid, _strings, message in entries(lang)}
    missing = sorted(in_code - in_catalogue)
    stale = sorted(in_catalogue - in_code)
    assert not missing, (
        f"messages of the code missing from the {lang} catalogue (README, 'Languages': extract "
        f"and update): {missing[:10]}"
    )
    assert not stale, f"messages the code no longer has, in the {lang} catalogue: {stale[:10]}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang: str) -> None:
    untranslated = [
        key(msgid)
        for msgid, strings, message in entries(lang)
        if not all(s.strip() for s in strings) or message.fuzzy
    ]
    assert untranslated == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_have_the_placeholders_of_their_english(lang: str) -> None:
    wrong = []
    for msgid, strings, _message in entries(lang):
        english = fields(key(msgid))
        if isinstance(msgid, tuple):
            english |= fields(msgid[1])
            english.discard("count")  # a plural form may leave the number out
        for text in strings:
            have = fields(text)
            if isinstance(msgid, tuple):
                have.discard("count")
            if have != english:
                wrong.append((key(msgid), text))
            elif not any(name.startswith("braces ") for name in have):
                text.format(**dict.fromkeys(have | {"count"}, 1))  # braces are balanced
    assert wrong == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_plural_forms_are_those_of_the_language(lang: str) -> None:
    assert catalogue(lang).num_plurals == PLURAL_FORMS[lang]
    for msgid, strings, _message in entries(lang):
        if isinstance(msgid, tuple):
            assert len(strings) == PLURAL_FORMS[lang], msgid


@pytest.mark.parametrize("lang", TRANSLATED)
def test_quoted_values_use_the_quotation_marks_of_the_language(lang: str) -> None:
    """English quotes a value with repr (`'x'`); Kazakh and Russian write «x»."""
    wrong = []
    for msgid, strings, _message in entries(lang):
        quoted = re.findall(r"\{(\w+)!r\}", key(msgid))
        wrong.extend(
            (key(msgid), text)
            for text in strings
            if "!r}" in text or any(f"«{{{name}}}»" not in text for name in quoted)
        )
    assert wrong == []


def test_the_catalogues_are_read_as_ichinv_reads_them() -> None:
    """ichinv's own reader (no compile step) agrees with Babel on every entry."""
    for lang in TRANSLATED:
        ours = i18n.parse(i18n.catalogue_path(lang).read_text(encoding="utf-8"), lang)
        for msgid, strings, message in entries(lang):
            if isinstance(msgid, tuple):
                assert ours.plurals[key(msgid, message.context)] == strings
            else:
                assert ours.messages[key(msgid, message.context)] == strings[0]


# --- the glossary -------------------------------------------------------------------------------

GLOSSARY = yaml.safe_load((PACKAGE / "locale" / "glossary.yaml").read_text(encoding="utf-8"))

_CODE = re.compile(
    r"`[^`]*`"  # code
    r"|\{[^}]*\}"  # placeholders
    r"|'[^']*'"  # quoted values
    r"|\b\w+(?:[._/-]\w+)+/?|\b\w+/"  # field paths, folders, ids: consent.status, elements/
    r"|--[\w-]+"  # options
    r"|\b\w+:(?=\s|$)"  # YAML keys: `viability:`
)


def _prose(english: str) -> str:
    """The English of a text without what stays as written in every language (code, field
    names, paths, placeholders)."""
    return _CODE.sub(" ", english)


def glossary_misses(pairs: Iterator[tuple[str, str, str]], lang: str) -> list[str]:
    misses = []
    for where, english, translated in pairs:
        prose = _prose(english)
        lowered = translated.lower()
        for term in GLOSSARY["terms"]:
            pattern = rf"\b(?:{term['en']})\b"
            if (
                re.search(pattern, prose, re.IGNORECASE)
                and not any(stem.lower() in lowered for stem in term[lang]["stems"])
                # a field name the translation keeps as it is (`contacts`)
                and not re.search(pattern, translated)
            ):
                misses.append(f"{where}: {term['en']!r} → {term[lang]['use']!r}: {translated}")
    return misses


def _message_pairs(lang: str) -> Iterator[tuple[str, str, str]]:
    for msgid, strings, _message in entries(lang):
        english = msgid if isinstance(msgid, str) else msgid[1]
        yield "messages", english, strings[-1]


def _flatten(node: Any, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in node.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = str(value)
    return flat


def _label_pairs(lang: str) -> Iterator[tuple[str, str, str]]:
    folder = REPO_ROOT / "templates" / "i18n"
    english = _flatten(yaml.safe_load((folder / "en.yaml").read_text(encoding="utf-8")))
    table = _flatten(yaml.safe_load((folder / f"{lang}.yaml").read_text(encoding="utf-8")))
    for name, text in table.items():
        if name in english and not name.startswith("value.language."):
            yield f"templates/i18n/{lang}.yaml {name}", english[name], text


def _schema_pairs(lang: str) -> Iterator[tuple[str, str, str]]:
    table = json.loads((REPO_ROOT / "schema" / "i18n" / f"{lang}.json").read_text("utf-8"))
    nodes: dict[str, dict[str, Any]] = {}
    for kind in RecordKind:
        schema = loader.load_schema(kind, REPO_ROOT / "schema" / f"{kind.value}.schema.json")
        nodes.update({f"{kind.value}:{pattern}": node for pattern, node in schema.walk()})
    for name, texts in table["fields"].items():
        for part in ("title", "description"):
            if part in texts and isinstance(nodes.get(name, {}).get(part), str):
                yield f"schema/i18n/{lang}.json {name} {part}", nodes[name][part], texts[part]
    summaries = {rule.id: rule.summary for rule in CATALOGUE.values()} | SCHEMA_RULES
    for rule_id, text in table["rules"].items():
        if rule_id in summaries:
            yield f"schema/i18n/{lang}.json rule {rule_id}", summaries[rule_id], text


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize(
    "source", [_message_pairs, _label_pairs, _schema_pairs], ids=["messages", "labels", "schema"]
)
def test_texts_use_the_terms_of_the_glossary(lang: str, source: Any) -> None:
    assert glossary_misses(source(lang), lang) == []


def test_the_glossary_names_each_term_in_both_languages() -> None:
    for term in GLOSSARY["terms"]:
        for lang in TRANSLATED:
            assert term[lang]["stems"], term
            assert any(s.lower() in term[lang]["use"].lower() for s in term[lang]["stems"]), term


def test_the_package_ships_its_catalogues() -> None:
    """The catalogues are package data (pyproject.toml), read in place at run time."""
    text = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"locale/*/LC_MESSAGES/*.po"' in text
    for lang in TRANSLATED:
        assert i18n.catalogue_path(lang).is_file()
        assert Path(i18n.catalogue_path(lang)).is_relative_to(PACKAGE)


_MARKED_IN_F_STRING = re.compile(r"""\{(?:_|N_|ngettext)\(\s*['"]""")
_MARKED_INSIDE_A_CALL = re.compile(r"""(?<!\w)_\([\w.]+\(.*\bN_\(\s*['"]""")


def test_no_message_is_marked_where_it_cannot_be_extracted() -> None:
    """A text marked inside an f-string (`f"| {_('Status')} |"`) or inside another marked call
    (`_(hints.get(k, N_("fix the cell")))`) is not extracted, so never translated: the
    Markdown diff's table head stayed English in Kazakh and Russian (an outside review)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _MARKED_IN_F_STRING.search(line) or _MARKED_INSIDE_A_CALL.search(line):
                found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert not found, found
