"""Rule lang.code: a language named by a code editors take for its own, which no reader of
the record looks under (`kz`, the country's code, where the records write Kazakh as `kk`;
`rus`, a three-letter code, where they write `ru`): the schema's form of a language code
takes both, and the text is then missing for every reader of that language."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ichinv.core import pointers
from ichinv.core.catalogue import rule
from ichinv.core.i18n import _
from ichinv.core.model import Finding
from ichinv.validate.rules.context import RecordContext

MISTAKEN: Mapping[str, str] = {
    "kz": "kk",  # ISO 3166's Kazakhstan, not ISO 639-1's Kazakh
    "kaz": "kk",
    "rus": "ru",
    "eng": "en",
    "uzb": "uz",
    "uig": "ug",
    "tat": "tt",
    "kor": "ko",
    "deu": "de",
    "ger": "de",
    "ua": "uk",  # Ukraine's code; Ukrainian is `uk`
    "ukr": "uk",
    "cn": "zh",  # China's code; Chinese is `zh`
    "chi": "zh",
    "zho": "zh",
    "tur": "tr",
    "kir": "ky",
}
"""Codes taken for a language's (a country's code, ISO 639-2's three letters) → the ISO 639-1
code the records write it with."""

LANGUAGE_FIELDS = frozenset({"lang", "language"})
"""Fields whose value is a language code (an item of documentation, a source)."""


def check_language_codes(ctx: RecordContext) -> Iterator[Finding]:
    if not _holds_any(ctx.data):
        return  # the common case, settled without a pointer for every field
    for pointer, code, at_key in _mistaken(ctx.data):
        yield rule("lang.code").finding(
            ctx.path,
            _("{code!r} is not how the records write a language; did you mean {meant!r}?").format(
                code=code, meant=MISTAKEN[code]
            ),
            pointer=pointer,
            at_key=at_key,
            hint=_(
                "languages are written with their two-letter codes (ISO 639-1): kk Kazakh, "
                "ru Russian, en English; readers of that language do not see a text under "
                "another key"
            ),
        )


def _mistaken(data: Mapping[str, Any]) -> Iterator[tuple[str, str, bool]]:
    """(pointer, code, whether at the key) of each code of MISTAKEN used as a key or as the
    value of a language field, anywhere in `data`. The way to each container is kept as its
    parts, and a pointer made only for what is found (every record is walked; few hold one)."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        parts, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    continue
                if key in MISTAKEN:
                    yield pointers.join((*parts, key)), key, True
                elif key in LANGUAGE_FIELDS and isinstance(item, str) and item in MISTAKEN:
                    yield pointers.join((*parts, key)), item, False
                if isinstance(item, _CONTAINERS):
                    stack.append(((*parts, key), item))
        elif isinstance(value, list):
            stack.extend(
                ((*parts, i), item) for i, item in enumerate(value) if isinstance(item, _CONTAINERS)
            )


_CONTAINERS = (dict, list)
_CODES = frozenset(MISTAKEN)


def _holds_any(data: Mapping[str, Any]) -> bool:
    """Whether `_mistaken` finds anything in `data`: a walk of its containers alone, each
    group of fields looked up at once (a third of the cost of `_mistaken`)."""
    stack: list[Any] = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if not _CODES.isdisjoint(value):
                return True
            for name in LANGUAGE_FIELDS:
                code = value.get(name)
                if isinstance(code, str) and code in _CODES:
                    return True
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False
