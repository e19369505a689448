"""The language of ichinv's messages (which one, and the translations), in one place.

Messages are written in English in the code and marked for translation, gettext style:
`_("…")` for a sentence, `ngettext("…", "…", n)` for one that depends on a number, `N_("…")`
for a constant translated where it is shown. Placeholders are `{name}` fields filled with
`.format()` after translation, so that paths, positions, rule ids and quoted values never
depend on the language.

The translations are gettext catalogues in the package, `ichinv/locale/<lang>/LC_MESSAGES/
ichinv.po`, read as text the first time a message of that language is needed: no compile
step, nothing to build at install time (English, the default, reads nothing). An entry that
is untranslated or marked fuzzy stays English.

The language is, in order: `--lang` where a command has it (the command calls `use`), else
`ICHINV_LANG`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: `kk_KZ.UTF-8` is Kazakh),
else English (`from_environment`).
"""

from __future__ import annotations

import gettext
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LANGUAGES: tuple[str, ...] = ("en", "kk", "ru")
"""Languages ichinv speaks; English is the language of the code."""

SOURCE = "en"

ENV_VARIABLE = "ICHINV_LANG"

LOCALE_VARIABLES: tuple[str, ...] = ("LC_ALL", "LC_MESSAGES", "LANG")
"""Locale variables, in the order POSIX gives them precedence."""

DOMAIN = "ichinv"

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
"""Where the catalogues are: `<lang>/LC_MESSAGES/ichinv.po`."""


class UnknownLanguage(ValueError):
    """`ICHINV_LANG` names a language ichinv does not speak."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


def language_of(value: str) -> str | None:
    """The language of a language tag or locale name (`ru`, `ru_RU.UTF-8`, `kk-KZ`,
    `kk_KZ@cyrillic`), or None when ichinv does not speak it (`C`, `de_DE`)."""
    code = re.split(r"[_.@-]", value.strip(), maxsplit=1)[0].lower()
    return code if code in LANGUAGES else None


def from_environment(environ: Mapping[str, str] | None = None) -> str:
    """`ICHINV_LANG`, else the locale, else English. An `ICHINV_LANG` that names no language
    ichinv speaks is an UnknownLanguage (the user asked for something: say so)."""
    env = os.environ if environ is None else environ
    asked = env.get(ENV_VARIABLE, "").strip()
    if asked:
        lang = language_of(asked)
        if lang is None:
            raise UnknownLanguage(asked)
        return lang
    for name in LOCALE_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            # The first one set decides (LC_ALL=C means C, whatever LANG says).
            return language_of(value) or SOURCE
    return SOURCE


_active: str | None = None
"""The language of messages; None: not chosen yet (the environment decides when asked)."""


def use(lang: str | None) -> None:
    """Speak `lang` from now on (None: let the environment decide again)."""
    global _active
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"ichinv does not speak {lang!r}")
    _active = lang


def current() -> str:
    """The language messages are written in now."""
    global _active
    if _active is None:
        try:
            _active = from_environment()
        except UnknownLanguage:
            return SOURCE  # the CLI reports it (ichinv.cli.app); a library call just speaks English
    return _active


def _(message: str) -> str:
    """`message` in the current language (English when it has no translation)."""
    lang = current()
    if lang == SOURCE:
        return message
    return catalogue(lang).text(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for the number `n` in the current language (Russian has three
    forms, Kazakh and English two)."""
    lang = current()
    if lang == SOURCE:
        return singular if n == 1 else plural
    return catalogue(lang).plural_text(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, as meant in `context` (one English word may need
    two translations: a field `added`, an element `added`)."""
    lang = current()
    if lang == SOURCE:
        return message
    return catalogue(lang).text(f"{context}\x04{message}", message)


def N_(message: str) -> str:
    """Mark `message` for translation where it is defined; `_()` translates it where shown."""
    return message


# --- catalogues ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The translations of one language, as read from its .po file."""

    lang: str
    messages: Mapping[str, str]
    """msgid → translation (translated, non-fuzzy singular entries only)."""
    plurals: Mapping[str, tuple[str, ...]]
    """msgid (singular) → the plural forms of its translation."""
    plural: Callable[[int], int]
    """Which form a number takes (the catalogue's Plural-Forms)."""

    def text(self, message: str, default: str | None = None) -> str:
        found = self.messages.get(message)
        return found or (message if default is None else default)

    def plural_text(self, singular: str, plural: str, n: int) -> str:
        forms = self.plurals.get(singular)
        if forms:
            index = self.plural(n)
            if 0 <= index < len(forms) and forms[index]:
                return forms[index]
        return singular if n == 1 else plural


def catalogue_path(lang: str, root: Path = LOCALE_DIR) -> Path:
    return root / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalogue(lang: str) -> Catalogue:
    """The catalogue of `lang` (read once per process); empty when there is none."""
    try:
        text = catalogue_path(lang).read_text(encoding="utf-8")
    except OSError:
        return Catalogue(lang, {}, {}, lambda n: 0 if n == 1 else 1)
    return parse(text, lang)


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a .po file."""

    msgid: str
    msgid_plural: str | None
    msgstr: tuple[str, ...]
    """The translation (one item), or its plural forms."""
    context: str | None = None
    fuzzy: bool = False
    obsolete: bool = False
    line: int = 0


class PoSyntaxError(ValueError):
    """A .po file ichinv cannot read; the message names the line."""


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def entries(text: str) -> list[Entry]:
    """Every entry of a .po file, in order (obsolete `#~` entries included, marked)."""
    found: list[Entry] = []
    fields: dict[str, str] = {}
    order: list[str] = []
    flags: set[str] = set()
    obsolete = False
    start = 0
    last: str | None = None

    def flush() -> None:
        nonlocal fields, order, flags, obsolete, last
        if "msgid" in fields:
            forms = sorted(
                (k for k in fields if k.startswith("msgstr[")), key=lambda k: int(k[7:-1])
            )
            msgstr = tuple(fields[k] for k in forms) if forms else (fields.get("msgstr", ""),)
            found.append(
                Entry(
                    fields["msgid"],
                    fields.get("msgid_plural"),
                    msgstr,
                    fields.get("msgctxt"),
                    "fuzzy" in flags,
                    obsolete,
                    start,
                )
            )
        elif fields:
            raise PoSyntaxError(f"line {start}: an entry without msgid")
        fields, order, flags, obsolete, last = {}, [], set(), False, None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        is_obsolete = line.startswith("#~")
        if is_obsolete:
            line = line[2:].strip()
        if not line:
            flush()
            continue
        if line.startswith("#"):
            if fields and (last is not None and last.startswith("msgstr")):
                flush()
            if line.startswith("#,"):
                flags.update(f.strip() for f in line[2:].split(","))
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword = match.group(1)
            if keyword in ("msgid", "msgctxt") and last is not None and last.startswith("msgstr"):
                flush()
            if not fields:
                start = number
            fields[keyword] = _unquote(match.group(3), number)
            order.append(keyword)
            obsolete = obsolete or is_obsolete
            last = keyword
        elif line.startswith('"') and last is not None:
            fields[last] += _unquote(line, number)
        else:
            raise PoSyntaxError(f"line {number}: cannot read {raw!r}")
    flush()
    return found


_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}
_ESCAPE = re.compile(r"\\(.)")


def _unquote(quoted: str, number: int) -> str:
    """The text of a quoted .po string (C escapes: \\n, \\t, \\", \\\\)."""
    if len(quoted) < 2 or not (quoted.startswith('"') and quoted.endswith('"')):
        raise PoSyntaxError(f"line {number}: not a quoted string: {quoted}")
    body = quoted[1:-1]
    if "\\" not in body:
        return body

    def unescape(match: re.Match[str]) -> str:
        char = match.group(1)
        if char not in _ESCAPES:
            raise PoSyntaxError(f"line {number}: unknown escape \\{char} in {quoted}")
        return _ESCAPES[char]

    return _ESCAPE.sub(unescape, body)


def headers(entry: Entry) -> dict[str, str]:
    """The header fields of a catalogue's first entry (`msgid ""`)."""
    result = {}
    for line in entry.msgstr[0].splitlines():
        name, _sep, value = line.partition(":")
        if _sep:
            result[name.strip()] = value.strip()
    return result


def plural_rule(header: str) -> Callable[[int], int]:
    """The function of a `Plural-Forms` header (`nplurals=2; plural=(n != 1);`)."""
    match = re.search(r"plural\s*=\s*([^;]+);?", header)
    if match is None:
        return lambda n: 0 if n == 1 else 1
    return gettext.c2py(match.group(1).strip())


def parse(text: str, lang: str) -> Catalogue:
    """A catalogue from the text of its .po file."""
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    rule: Callable[[int], int] = lambda n: 0 if n == 1 else 1  # noqa: E731
    for entry in entries(text):
        if entry.obsolete:
            continue
        if entry.msgid == "":
            rule = plural_rule(headers(entry).get("Plural-Forms", ""))
            continue
        if entry.fuzzy:
            continue
        key = entry.msgid if entry.context is None else f"{entry.context}\x04{entry.msgid}"
        if entry.msgid_plural is not None:
            if all(entry.msgstr):
                plurals[key] = entry.msgstr
        elif entry.msgstr[0]:
            messages[key] = entry.msgstr[0]
    return Catalogue(lang, messages, plurals, rule)
