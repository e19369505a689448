"""The language of messages: which one is chosen, and how catalogues are read."""

from __future__ import annotations

import pytest

from ichinv.core import i18n
from ichinv.core.i18n import _, ngettext


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "kk_KZ.UTF-8"}, "kk"),
        ({"LANG": "kk_KZ@cyrillic"}, "kk"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_MESSAGES": "kk_KZ", "LANG": "ru_RU"}, "kk"),
        ({"LC_ALL": "ru_RU.UTF-8", "LC_MESSAGES": "kk_KZ"}, "ru"),
        # POSIX: the first variable set decides, even when it names no language ichinv speaks.
        ({"LC_ALL": "C", "LANG": "ru_RU.UTF-8"}, "en"),
        ({"ICHINV_LANG": "kk", "LC_ALL": "ru_RU.UTF-8"}, "kk"),
        ({"ICHINV_LANG": "ru-RU"}, "ru"),
        ({"ICHINV_LANG": " EN ", "LANG": "kk_KZ"}, "en"),
        ({"ICHINV_LANG": "", "LANG": "kk_KZ"}, "kk"),
    ],
)
def test_the_language_is_ichinv_lang_else_the_locale_else_english(
    environ: dict[str, str], expected: str
) -> None:
    assert i18n.from_environment(environ) == expected


def test_an_unknown_ichinv_lang_is_reported_not_ignored() -> None:
    with pytest.raises(i18n.UnknownLanguage) as raised:
        i18n.from_environment({"ICHINV_LANG": "fr", "LANG": "ru_RU"})
    assert raised.value.value == "fr"


def test_a_library_call_with_an_unknown_ichinv_lang_speaks_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ICHINV_LANG", "fr")
    i18n.use(None)
    assert i18n.current() == "en"


def test_messages_follow_the_chosen_language() -> None:
    i18n.use("ru")
    assert _("interrupted") == "прервано"
    i18n.use("kk")
    assert _("interrupted") == "үзілді"
    i18n.use("en")
    assert _("interrupted") == "interrupted"


def test_a_message_without_translation_stays_english() -> None:
    i18n.use("kk")
    assert _("a message nobody wrote") == "a message nobody wrote"


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        ("en", {1: "1 error", 2: "2 errors", 5: "5 errors", 21: "21 errors"}),
        ("kk", {1: "1 қате", 2: "2 қате", 5: "5 қате", 21: "21 қате"}),
        (
            "ru",
            {
                1: "1 ошибка",
                2: "2 ошибки",
                4: "4 ошибки",
                5: "5 ошибок",
                11: "11 ошибок",
                12: "12 ошибок",
                21: "21 ошибка",
                22: "22 ошибки",
                25: "25 ошибок",
                111: "111 ошибок",
            },
        ),
    ],
)
def test_plural_forms_follow_each_language(lang: str, counts: dict[int, str]) -> None:
    i18n.use(lang)
    for n, expected in counts.items():
        assert ngettext("{count} error", "{count} errors", n).format(count=n) == expected


INCOMPLETE = (
    "error: this answer is incomplete: {count} record file could not be read and is left out:",
    "error: this answer is incomplete: {count} record files could not be read and are left out:",
)


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        (
            "ru",
            {
                1: "не удалось прочитать и учесть 1 файл записи:",
                2: "не удалось прочитать и учесть 2 файла записей:",
                5: "не удалось прочитать и учесть 5 файлов записей:",
                21: "не удалось прочитать и учесть 21 файл записи:",
                22: "не удалось прочитать и учесть 22 файла записей:",
                25: "не удалось прочитать и учесть 25 файлов записей:",
            },
        ),
        ("kk", {n: f"{n} жазба файлы оқылмады және есепке алынбады:" for n in (1, 2, 5, 21)}),
    ],
)
def test_an_incomplete_answer_counts_its_files_in_every_form(
    lang: str, counts: dict[int, str]
) -> None:
    """An outside test: with 21 broken files the Russian said "21 файл … он не учтён" (the
    form for 1, 21, 31… took "he" for the files)."""
    i18n.use(lang)
    for n, expected in counts.items():
        assert ngettext(*INCOMPLETE, n).format(count=n).endswith(expected)


PO = r"""# a comment
msgid ""
msgstr ""
"Language: ru\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"

#, python-brace-format
msgid "the file {path} is \"odd\""
msgstr "файл {path} «странный»\n"
"на двух строках"

#, fuzzy
msgid "fuzzy"
msgstr "нечёткий"

msgid "untranslated"
msgstr ""

msgid "{count} day"
msgid_plural "{count} days"
msgstr[0] "{count} день"
msgstr[1] "{count} дня"
msgstr[2] "{count} дней"

msgctxt "menu"
msgid "open"
msgstr "открыть"

#~ msgid "gone"
#~ msgstr "ушло"
"""


def test_a_po_file_is_read_without_a_compile_step() -> None:
    catalogue = i18n.parse(PO, "ru")
    assert catalogue.text('the file {path} is "odd"') == "файл {path} «странный»\nна двух строках"
    assert catalogue.text("fuzzy") == "fuzzy"  # fuzzy entries are not trusted
    assert catalogue.text("untranslated") == "untranslated"
    assert catalogue.text("gone") == "gone"  # obsolete
    assert catalogue.text("open") == "open"  # only in its context
    assert catalogue.text("menu\x04open", "open") == "открыть"
    assert [catalogue.plural_text("{count} day", "{count} days", n) for n in (1, 3, 7)] == [
        "{count} день",
        "{count} дня",
        "{count} дней",
    ]


def test_a_broken_po_file_names_its_line() -> None:
    with pytest.raises(i18n.PoSyntaxError, match="line 2"):
        i18n.parse('msgid "a"\nmsgstr "b\n', "kk")
