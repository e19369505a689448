"""An element's public view as labelled sections of text pieces, in one language.

Works on public views (ichinv.inventory.audience), never on raw records: a `Withheld` value
becomes a note saying why. Vocabulary values are translated, province and element ids become
links to their pages (when the site has them), web addresses become links only when they are
http(s), and texts kept by language are shown in the page's language or, failing that, in
another one with a visible note and the right `lang`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from ichinv.core import pointers
from ichinv.inventory.audience import Withheld
from ichinv.render.markdown.sections import (
    ELEMENT_REFS,
    ENTRY_TITLE,
    POINTERS,
    PROVINCE_REFS,
    VOCABULARY,
    WEB_ADDRESSES,
    is_multilingual,
)
from ichinv.site.model import Entry, Inline, Paragraphs, Piece, Row, Section
from ichinv.site.words import Words

Pattern = tuple[str, ...]

WEB_ADDRESS = re.compile(r"^https?://[^\s<>\"\\`\x00-\x1f\x7f]+$", re.IGNORECASE)
UNESCO_DECISION = re.compile(r"^(\d{1,2}\.(?:COM|EXT\.COM|GA))\s+([0-9A-Za-z.]{1,20})$")
"""A decision of the Convention's organs as records cite it (`12.COM 11.b.18`)."""
UNESCO_DECISIONS = "https://ich.unesco.org/en/decisions/{session}/{item}"

_LATIN = re.compile(r"[A-Za-z]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]")
_PARAGRAPH = re.compile(r"\n[ \t]*\n+")


def is_web_address(value: object) -> bool:
    return isinstance(value, str) and WEB_ADDRESS.match(value) is not None


def plain_lang(text: str, page: str) -> str:
    """The `lang` of a text the record keeps without a language: English when it is written in
    Latin letters only and the page is not English (an inference from the script); else the
    page's own (""). The repository's single-language texts are English."""
    if page == "en" or not _LATIN.search(text) or _NON_LATIN_LETTER.search(text):
        return ""
    return "en"


def join(parts: Iterable[Inline], separator: str = ", ") -> Inline:
    """Inline values one after another, with `separator` between them."""
    out: list[Piece] = []
    for part in parts:
        if not part:
            continue
        if out:
            out.append(Piece(separator))
        out.extend(part)
    return tuple(out)


class Describer:
    """Turns values of one element's view into pieces and sections in one language."""

    def __init__(
        self,
        words: Words,
        provinces: Mapping[str, Piece],
        elements: Mapping[str, Piece],
    ) -> None:
        self.w = words
        self.lang = words.lang
        self.provinces = provinces
        """Province id → its name, for the provinces the site has a page for."""
        self.elements = elements
        """Element id → its name, for the elements the site has a page for."""
        self._comma_groups: dict[str, bool] = {}
        self.seen: set[str] | None = None
        """When a set: every name looked up is added to it (`e:<id>`, `p:<id>`), so that a
        rebuild knows which names a page depends on (ichinv.site.api)."""

    # --- small pieces --------------------------------------------------------------------------

    def text(self, text: str) -> Piece:
        """A text the record keeps without a language, on one line."""
        text = " ".join(text.split())
        return Piece(text, lang=plain_lang(text, self.lang))

    def province(self, pid: str) -> Inline:
        if self.seen is not None:
            self.seen.add(f"p:{pid}")
        name = self.provinces.get(pid)
        if name is None:
            return (Piece(pid, kind="id"),)
        return (Piece(name.text, lang=name.lang, href=f"provinces/{pid}.html"),)

    def element(self, eid: str) -> Inline:
        if self.seen is not None:
            self.seen.add(f"e:{eid}")
        name = self.elements.get(eid)
        if name is None:
            return (Piece(eid, kind="id"),)
        return (Piece(name.text, lang=name.lang, href=f"elements/{eid}.html"),)

    def pointer(self, pointer: str) -> str:
        """A JSON pointer in words (`/locations/0/place` → `Places › 1 › Place`). Keys that
        are no field of the record format are left out (`…`): only the record's structure is
        named, never a value."""
        words: list[str] = []
        path: list[str] = []
        try:
            parts = pointers.split(pointer)
        except (ValueError, IndexError):
            return "…"
        for part in parts:
            if pointers.is_index(part):
                words.append(str(int(part) + 1))
                path.append("*")
                continue
            path.append(part)
            if self.w.has(f"field.{part}"):
                words.append(self.w.field(path))
            elif self.w.has(f"value.language.{part}"):
                words.append(self.w.language(part))
            else:
                words.append("…")
        return " › ".join(words) or "…"

    def localized(self, texts: Mapping[str, Any]) -> tuple[Inline, str, str]:
        """(text, its language when not the page's, fallback note) of a map language → text."""
        own = texts.get(self.lang)
        if isinstance(own, Withheld):
            return (self.w.withheld(own),), "", ""
        found, used = self.w.text(texts)
        if found is None:
            withheld = next((v for v in texts.values() if isinstance(v, Withheld)), None)
            return ((self.w.withheld(withheld),) if withheld else ()), "", ""
        if used == self.lang:
            return (Piece(found),), "", ""
        return (Piece(found, lang=used),), used, self.w.fallback(used)

    def paragraphs(self, texts: Mapping[str, Any]) -> tuple[Paragraphs | None, Inline]:
        """(paragraphs, withheld note) of a text kept by language."""
        pieces, used, note = self.localized(texts)
        if len(pieces) == 1 and pieces[0].kind == "":
            split = tuple(p.strip() for p in _PARAGRAPH.split(pieces[0].text.strip()) if p.strip())
            return Paragraphs(split, lang=used, note=note), ()
        return None, pieces

    # --- values --------------------------------------------------------------------------------

    def value(self, value: Any, path: Pattern) -> Inline:
        """Any value of the field at `path` (list items as `*`) as inline pieces."""
        if isinstance(value, Withheld):
            return (self.w.withheld(value),)
        if isinstance(value, bool):
            return (Piece(self.w("value.bool.yes" if value else "value.bool.no")),)
        if isinstance(value, int | float):
            return (Piece(str(value)),)
        if isinstance(value, str):
            return self._string(value, path)
        if isinstance(value, list):
            items = [self.value(v, (*path, "*")) for v in value]
            group = VOCABULARY.get((*path, "*"))
            commas = any("," in p.text for item in items for p in item) or (
                group is not None and self._commas(group)
            )
            return join(items, "; " if commas else ", ")
        if is_multilingual(value):
            pieces, _, note = self.localized(value)
            pieces = tuple(replace(p, text=" ".join(p.text.split())) for p in pieces)
            return (*pieces, Piece(f" ({note})", kind="note")) if note else pieces
        if isinstance(value, Mapping):
            return join(
                (
                    (Piece(f"{self.w.field((*path, str(k)))}: "), *self.value(v, (*path, str(k))))
                    for k, v in value.items()
                ),
                "; ",
            )
        return () if value is None else (Piece(str(value)),)

    def _string(self, value: str, path: Pattern) -> Inline:
        if path in VOCABULARY:
            return (Piece(self.w.value(VOCABULARY[path], value)),)
        if path in PROVINCE_REFS:
            return self.province(value)
        if path in ELEMENT_REFS:
            return self.element(value)
        if path in POINTERS:
            return (Piece(self.pointer(value)),)
        if path in WEB_ADDRESSES:
            if is_web_address(value):
                return (Piece(value, href=value, external=True),)
            return (Piece(value),)
        if path == ("unesco", "*", "decision"):
            found = UNESCO_DECISION.match(value.strip())
            if found is not None:
                href = UNESCO_DECISIONS.format(session=found[1], item=found[2])
                return (Piece(value, href=href, external=True, lang="en"),)
        if path == ("unesco", "*", "states", "*"):
            return (Piece(value, kind="id"),)
        return (self.text(value),)

    def _commas(self, group: str) -> bool:
        """Whether a value of vocabulary `group` reads with a comma in this language."""
        found = self._comma_groups.get(group)
        if found is None:
            prefix = f"value.{group}."
            table = {**self.w.labels.base, **self.w.labels.table}
            found = any("," in text for key, text in table.items() if key.startswith(prefix))
            self._comma_groups[group] = found
        return found

    # --- sections ------------------------------------------------------------------------------

    def entries(self, items: Any, path: Pattern) -> tuple[Entry, ...]:
        """Entries of a list of maps, each titled by its naming field."""
        if not isinstance(items, list):
            return ()
        last = path[-1]
        key = ENTRY_TITLE.get(last, "")
        found = []
        for item in items:
            if not isinstance(item, Mapping):
                found.append(Entry(self.value(item, (*path, "*"))))
                continue
            shown = dict(item)
            title: Inline = ()
            if key in shown:
                title = self.value(shown.pop(key), (*path, "*", key))
            if last == "unesco" and isinstance(shown.get("year"), int):
                title = (*title, Piece(f" ({shown.pop('year')})"))
            url = shown.get("url")
            if last in ("documentation", "sources") and is_web_address(url):
                shown.pop("url")
                label = title or (Piece(str(url)),)
                title = tuple(
                    Piece(p.text, lang=p.lang, href=str(url), external=True) for p in label
                )
            rows = tuple(
                Row(self.w.field((*path, "*", str(k))), self.value(v, (*path, "*", str(k))))
                for k, v in shown.items()
            )
            found.append(Entry(title, rows))
        return tuple(found)

    def section(self, key: str, value: Any, *, title: str | None = None) -> Section:
        """The section of the top-level field `key`."""
        title = title or self.w.field((key,))
        path: Pattern = (key,)
        if isinstance(value, Withheld):
            return Section(key, title, note=(self.w.withheld(value),))
        if is_multilingual(value):
            text, note = self.paragraphs(value)
            return Section(key, title, note=note, text=text)
        if isinstance(value, list) and any(isinstance(v, Mapping | Withheld) for v in value):
            return Section(key, title, entries=self.entries(value, path))
        if isinstance(value, Mapping):
            rows: list[Row] = []
            texts: list[Section] = []
            entries: tuple[Entry, ...] = ()
            entries_label = ""
            for sub, inner in value.items():
                sub_path = (*path, str(sub))
                if is_multilingual(inner) and any(len(t) > 80 or "\n" in t for t in inner.values()):
                    text, note = self.paragraphs(inner)
                    texts.append(Section(str(sub), self.w.field(sub_path), note=note, text=text))
                elif isinstance(inner, list) and any(isinstance(v, Mapping) for v in inner):
                    entries = self.entries(inner, sub_path)
                    entries_label = self.w.field(sub_path)
                else:
                    rows.append(Row(self.w.field(sub_path), self.value(inner, sub_path)))
            return Section(
                key,
                title,
                rows=tuple(rows),
                entries=entries,
                entries_label=entries_label,
                texts=tuple(texts),
            )
        return Section(key, title, rows=(Row(title, self.value(value, path)),))
