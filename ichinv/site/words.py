"""The words of one language of the site: labels from templates/i18n/<lang>.yaml (English
behind them, as in packets), vocabulary values, field names, why something is withheld, and
record text in the reader's language with the one fallback order of every output.

Labels are plain text with `{name}` placeholders; they reach templates as text, which the
HTML templates escape.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ichinv.inventory.audience import Why, Withheld
from ichinv.inventory.fields import text_in
from ichinv.render.markdown.labels import Labels
from ichinv.render.markdown.sections import WHY_LABEL
from ichinv.site.model import Piece

_PLACEHOLDER = re.compile(r"\{([a-z]+(?:_[a-z]+)*)\}")


class Words:
    """Labels and record text in one language."""

    def __init__(self, labels: Labels) -> None:
        self.labels = labels
        self.lang = labels.lang
        self._plain: dict[str, str] = {}
        self._fields: dict[tuple[str, ...], str] = {}

    def __call__(self, key: str, **values: object) -> str:
        """The label `key`, its `{placeholders}` filled with `values`."""
        if not values:
            found = self._plain.get(key)
            if found is None:
                found = self._plain[key] = self.labels.raw(key)
            return found
        return _PLACEHOLDER.sub(
            lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0),
            self.labels.raw(key),
        )

    def has(self, key: str) -> bool:
        return self.labels.has(key)

    def value(self, group: str, raw: object) -> str:
        """The label of a vocabulary value (`value.domain.craftsmanship`), else the value."""
        key = f"value.{group}.{raw}"
        return self(key) if isinstance(raw, str) and self.has(key) else str(raw)

    def language(self, code: str) -> str:
        """The name of a language in this language (`value.language.kk`), else its code."""
        return self.value("language", code)

    def field(self, path: Sequence[str]) -> str:
        """The label of a field, most specific first (`field.consent.status`, then
        `field.status`); else the key itself."""
        path = tuple(path)
        found = self._fields.get(path)
        if found is not None:
            return found
        keys = [k for k in path if k != "*" and not k.isdigit()]
        found = keys[-1] if keys else ""
        for start in range(len(keys)):
            key = f"field.{'.'.join(keys[start:])}"
            if self.has(key):
                found = self(key)
                break
        self._fields[path] = found
        return found

    def why(self, why: Why, reason: str | None) -> str:
        """Why something is withheld, in words (never what)."""
        if why is Why.RESTRICTED:
            if reason:
                return self("withheld.restricted", reason=reason)
            return self("withheld.restricted_no_reason")
        return self(f"withheld.{WHY_LABEL[why]}")

    def withheld(self, note: Withheld) -> Piece:
        return Piece(self.why(note.why, note.reason), kind="withheld")

    def text(self, texts: Any) -> tuple[str | None, str]:
        """(text, the language it is in) of a map language → text, in this language or the
        next of the fallback order; (None, this language) when there is none."""
        if not isinstance(texts, Mapping):
            return None, self.lang
        return text_in(texts, self.lang)

    def name(self, data: Mapping[str, Any]) -> Piece:
        """The name of an element or province in this language (or the next one, marked with
        its language); a withheld note when the view withheld the names."""
        names = data.get("names")
        if isinstance(names, Withheld):
            return self.withheld(names)
        found, used = self.text(names)
        if found is None:
            ident = data.get("id")
            return Piece(ident if isinstance(ident, str) else "", kind="id")
        return Piece(found, lang="" if used == self.lang else used)

    def fallback(self, used: str, *, withheld: bool = False) -> str:
        """The note saying that a text is shown in `used`, as it is not in this language (or
        is `withheld` in it: not published, not missing)."""
        key = "note.fallback_withheld" if withheld else "note.fallback"
        return self(key, lang=self.language(self.lang), used=self.language(used))
