"""An element's view as labelled sections of escaped Markdown, for dossiers and change packets.

Works on views (ichinv.inventory.audience), never on raw records: a `Withheld` value becomes a note saying
why, in the packet's language. Vocabulary values (domains, statuses, roles…) are translated,
province and element ids carry their names, web addresses become links only when they are
http(s), texts kept by language are shown in the packet's language or, failing that, in
another one with a visible note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ichinv.core import pointers
from ichinv.inventory import certainty
from ichinv.inventory.audience import Why, Withheld
from ichinv.inventory.fields import text_in
from ichinv.render.markdown import escape as mdsafe
from ichinv.render.markdown.escape import Md
from ichinv.render.markdown.labels import Labels
from ichinv.render.plain import join_clauses

Pattern = tuple[str, ...]

VOCABULARY: Mapping[Pattern, str] = {
    ("domains", "*"): "domain",
    ("national_category",): "category",
    ("status",): "status",
    ("communities", "*", "kind"): "community_kind",
    ("communities", "*", "role"): "community_role",
    ("transmission", "modes", "*"): "transmission_mode",
    ("viability", "status"): "viability",
    ("viability", "threats", "*", "kind"): "threat_kind",
    ("safeguarding", "*", "kind"): "measure_kind",
    ("safeguarding", "*", "status"): "measure_status",
    ("consent", "status"): "consent",
    ("consent", "history", "*", "status"): "consent",
    ("consent", "form"): "consent_form",
    ("access", "level"): "access",
    ("contacts", "*", "role"): "contact_role",
    ("contacts", "*", "gender"): "gender",
    ("documentation", "*", "kind"): "document_kind",
    ("provenance", "sources", "*", "list"): "source_list",
    ("provenance", "confidence", "*", "fact"): "fact",
    ("provenance", "confidence", "*", "list"): "source_list",
    ("provenance", "confidence", "*", "status"): "certainty",
    ("unesco", "*", "list"): "unesco_list",
    ("related", "*", "relation"): "relation",
    ("characteristics", "languages", "*"): "language",
    ("other_names", "*", "lang"): "language",
}
"""Fields holding vocabulary values, and the label group that names them."""

PROVINCE_REFS: frozenset[Pattern] = frozenset(
    {("provinces", "*"), ("locations", "*", "province"), ("communities", "*", "provinces", "*")}
)
ELEMENT_REFS: frozenset[Pattern] = frozenset(
    {("status_change", "merged_into"), ("related", "*", "id")}
)
POINTERS: frozenset[Pattern] = frozenset({("access", "restricted_parts", "*")})
"""Fields holding JSON pointers into the record (shown as field names)."""
WEB_ADDRESSES: frozenset[Pattern] = frozenset(
    {
        ("documentation", "*", "url"),
        ("provenance", "sources", "*", "url"),
        ("provenance", "confidence", "*", "source"),
    }
)

ENTRY_TITLE: Mapping[str, str] = {
    "other_names": "name",
    "locations": "place",
    "communities": "name",
    "sub_items": "name",
    "safeguarding": "measure",
    "contacts": "name",
    "documentation": "title",
    "unesco": "title",
    "related": "id",
    "threats": "threat",
    "history": "date",
    "sources": "list",
    "confidence": "fact",
}
"""The field that names an item of each list (its title in an entry)."""

ORDER = (
    "status_change",
    "locations",
    "communities",
    "description",
    "sub_items",
    "characteristics",
    "transmission",
    "viability",
    "safeguarding",
    "consent",
    "access",
    "contacts",
    "documentation",
    "provenance",
    "unesco",
    "related",
)
"""Sections of a dossier, in order; fields not listed here follow, alphabetically."""

IDENTIFICATION_TABLE = (
    "id",
    "names",
    "other_names",
    "latin_orthography",
    "national_category",
    "domains",
    "provinces",
    "status",
)
"""Fields shown, in this order, in the identification table of a dossier or a new element,
rather than as sections."""

WHY_LABEL: Mapping[Why, str] = {
    Why.PERSONAL: "personal",
    Why.RESTRICTED: "restricted",
    Why.CONSENT_NOT_GIVEN: "consent_not_given",
    Why.UNREADABLE: "unreadable",
    Why.UNKNOWN: "unknown",
}
"""The label (`withheld.<label>`) saying why a part is withheld."""

NOT_SHOWN = frozenset({"schema_version", "suppressions"})
"""Bookkeeping fields, not part of what reviewers read."""


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled value."""

    label: Md
    value: Md


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a list (a community, a measure, a source…)."""

    title: Md
    rows: tuple[Row, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """One field of a record, ready to print."""

    key: str
    title: Md
    note: Md = Md("")
    """A withheld note, or a note on the language a text is shown in."""
    rows: tuple[Row, ...] = ()
    text: Md = Md("")
    """Paragraphs of a text kept by language."""
    text_label: Md = Md("")
    entries: tuple[Entry, ...] = ()
    entries_label: Md = Md("")
    texts: tuple[Section, ...] = field(default=())
    """Further texts of the field (e.g. viability notes), each with its own note."""


def _is_lang_tag(key: object) -> bool:
    if not isinstance(key, str):
        return False
    head, __, script = key.partition("-")
    return (
        2 <= len(head) <= 3
        and head.isalpha()
        and head.islower()
        and (not script or (len(script) == 4 and script.istitle()))
    )


def is_multilingual(value: object) -> bool:
    """True for a map language → text (`{kk: …, ru: …}`)."""
    return (
        isinstance(value, Mapping)
        and bool(value)
        and all(_is_lang_tag(k) and isinstance(v, str) for k, v in value.items())
    )


class Describer:
    """Turns values of one element's view into Markdown in one language."""

    def __init__(
        self,
        labels: Labels,
        province_names: Mapping[str, str] | None = None,
        element_names: Mapping[str, str] | None = None,
    ) -> None:
        self.t = labels
        self.lang = labels.lang
        self.province_names = province_names or {}
        self.element_names = element_names or {}
        self._comma_groups: dict[str, bool] = {}

    # --- small pieces ------------------------------------------------------------------------

    def withheld(self, value: Withheld) -> Md:
        """The note standing for a withheld value: why, never what (emphasised)."""
        return Md(f"*{self.why(value.why, value.reason)}*")

    def why(self, why: Why, reason: str | None) -> Md:
        """Why something is withheld, in words: personal data, the customary restriction with
        its published reason, consent not given, or unreadable access rules."""
        if why is Why.RESTRICTED:
            if reason:
                return self.t("withheld.restricted", reason=reason)
            return self.t("withheld.restricted_no_reason")
        return self.t(f"withheld.{WHY_LABEL[why]}")

    def marked(self, shown: Md, status: str | None) -> Md:
        """A value with the certainty of the fact after it: `2013-03-01 *(inferred)*`."""
        if not status or not self.t.has(f"value.certainty.{status}"):
            return shown
        return Md(f"{shown} {mdsafe.emphasis('(' + self.t.raw(f'value.certainty.{status}') + ')')}")

    def about(self, fact: Md, list_label: Md) -> Md:
        """A fact about a list: `Row in the National list of 2013 (Order No. 50)`."""
        return self.t("certainty.about", fact=fact, list=list_label)

    def certainty_summary(self, view: Mapping[str, Any]) -> Md:
        """Every assessed fact of the view with its certainty, on one line ("" when none)."""
        found = certainty.entries(view)
        parts = []
        for entry in found:
            fact = self.t.value("fact", entry.fact)
            if entry.list:
                fact = self.about(fact, self.t.value("source_list", entry.list))
            parts.append(f"{fact}: {self.t.value('certainty', entry.status)}")
        return Md(join_clauses(parts, "; "))

    def field_label(self, path: Sequence[str]) -> Md:
        """The label of a field, most specific first: `field.consent.history.status`, then
        `field.history.status`, then `field.status`; else the key itself."""
        keys = [k for k in path if k != "*" and not k.isdigit()]
        for start in range(len(keys)):
            key = f"field.{'.'.join(keys[start:])}"
            if self.t.has(key):
                return self.t(key)
        return mdsafe.inline(keys[-1] if keys else "")

    def pointer_label(self, pointer: str) -> Md:
        """A JSON pointer in words: `/communities/2/name` → `Communities › 3 › Name`."""
        words: list[str] = []
        path: list[str] = []
        for part in pointers.split(pointer):
            if pointers.is_index(part):
                words.append(str(int(part) + 1))
                path.append("*")
                continue
            path.append(part)
            if self.t.has(f"field.{part}"):
                words.append(self.field_label(path))
            elif _is_lang_tag(part):
                words.append(self.t.language(part))
            else:
                words.append(mdsafe.inline(part))
        return Md(" › ".join(words))

    def province(self, pid: str) -> Md:
        name = self.province_names.get(pid, "")
        return Md(f"{mdsafe.ident(pid)} {mdsafe.inline(name)}" if name else mdsafe.ident(pid))

    def element(self, eid: str) -> Md:
        name = self.element_names.get(eid, "")
        return Md(f"{mdsafe.ident(eid)} {mdsafe.inline(name)}" if name else mdsafe.ident(eid))

    def localized(self, texts: Mapping[str, Any], *, paragraphs: bool = False) -> tuple[Md, Md]:
        """(text, note) of a map language → text in the packet's language."""
        if isinstance(texts.get(self.lang), Withheld):
            return self.withheld(texts[self.lang]), Md("")
        found, used = text_in(texts, self.lang)
        if found is None:
            withheld = next((v for v in texts.values() if isinstance(v, Withheld)), None)
            return (self.withheld(withheld) if withheld else Md("")), Md("")
        text = mdsafe.block(found) if paragraphs else mdsafe.inline(found)
        note = Md("")
        if used != self.lang:
            note = Md(
                f"*{self.t('note.fallback', lang=self.t.language(self.lang), used=self.t.language(used))}*"
            )
        return text, note

    def name(self, view: Mapping[str, Any]) -> Md:
        """The element's name in the packet's language, with the language code when another."""
        names = view.get("names")
        if isinstance(names, Withheld):
            return self.withheld(names)
        if not isinstance(names, Mapping):
            return Md("")
        own = names.get(self.lang)
        if isinstance(own, Withheld) and own.why is not Why.PERSONAL:
            return self.withheld(own)
        # A name withheld for the contact it holds: the name in another language, if any.
        found, used = text_in(
            {k: v for k, v in names.items() if not isinstance(v, Withheld)}, self.lang
        )
        if found is None:
            return self.withheld(own) if isinstance(own, Withheld) else Md("")
        text = mdsafe.inline(found)
        return text if used == self.lang else Md(f"{text} *({used})*")

    def value(self, value: Any, path: Pattern) -> Md:
        """Any value of the field at `path` (list indices as `*`) on one line."""
        if isinstance(value, Withheld):
            return self.withheld(value)
        if isinstance(value, bool):
            return self.t("value.bool.yes" if value else "value.bool.no")
        if isinstance(value, int | float):
            return Md(str(value))
        if isinstance(value, str):
            if path in VOCABULARY:
                return self.t.value(VOCABULARY[path], value)
            if path in PROVINCE_REFS:
                return self.province(value)
            if path in ELEMENT_REFS:
                return self.element(value)
            if path in POINTERS and value.startswith("/"):
                return self.pointer_label(value)
            if path in WEB_ADDRESSES:
                return mdsafe.link(value, value)
            return mdsafe.inline(value)
        if isinstance(value, list):
            items = [self.value(v, (*path, "*")) for v in value]
            plain = all(not isinstance(v, Mapping) for v in value) and not any(
                "," in i for i in items
            )
            group = VOCABULARY.get((*path, "*"))
            if group is not None and self._commas(group):
                plain = False  # one separator for every list of this field
            return Md(join_clauses(items, ", " if plain else "; "))
        if is_multilingual(value):
            text, note = self.localized(value)
            return Md(f"{text} {note}".strip())
        if isinstance(value, Mapping):
            return Md(
                join_clauses(
                    f"{self.field_label((*path, str(k)))}: {self.value(v, (*path, str(k)))}"
                    for k, v in value.items()
                )
            )
        return Md("") if value is None else mdsafe.inline(value)

    def _commas(self, group: str) -> bool:
        """Whether a value of vocabulary `group` reads with a comma in this language (the
        domains do: "Social practices, rituals and festive events"). Asked once a list value:
        the labels are read once a group (a province packet asks it for every row)."""
        known = self._comma_groups.get(group)
        if known is None:
            prefix = f"value.{group}."
            known = self._comma_groups[group] = any(
                "," in text
                for table in (self.t.table, self.t.base)
                for key, text in table.items()
                if key.startswith(prefix)
            )
        return known

    # --- sections ------------------------------------------------------------------------------

    def entries(self, items: Any, path: Pattern) -> tuple[Entry, ...]:
        """Entries of a list of maps (each titled by its naming field)."""
        if not isinstance(items, list):
            return ()
        key = ENTRY_TITLE.get(path[-1], "")
        found = []
        for item in items:
            if not isinstance(item, Mapping):
                found.append(Entry(self.value(item, (*path, "*"))))
                continue
            title = self.value(item[key], (*path, "*", key)) if key in item else Md("")
            if path[-1] == "unesco" and "year" in item:
                title = Md(f"{title} ({self.value(item['year'], (*path, '*', 'year'))})")
            if path[-1] == "confidence" and "list" in item:
                title = self.about(title, self.value(item["list"], (*path, "*", "list")))
            if path[-1] == "documentation" and mdsafe.is_web_address(item.get("url")):
                title = mdsafe.link(item.get("title", item["url"]), item["url"])
            rows = tuple(
                Row(self.field_label((*path, "*", str(k))), self.value(v, (*path, "*", str(k))))
                for k, v in item.items()
                if k != key
                and not (path[-1] == "unesco" and k == "year")
                and not (path[-1] == "confidence" and k == "list")
                and not (path[-1] == "documentation" and k == "url" and mdsafe.is_web_address(v))
            )
            found.append(Entry(title, rows))
        return tuple(found)

    def section(self, key: str, value: Any) -> Section:
        """The section of the top-level field `key`."""
        title = self.field_label((key,))
        path: Pattern = (key,)
        if isinstance(value, Withheld):
            return Section(key, title, note=self.withheld(value))
        if is_multilingual(value):
            text, note = self.localized(value, paragraphs=True)
            return Section(key, title, note=note, text=text)
        if isinstance(value, list) and any(isinstance(v, Mapping) for v in value):
            return Section(key, title, entries=self.entries(value, path))
        if isinstance(value, list) and any(isinstance(v, Withheld) for v in value):
            return Section(key, title, entries=self.entries(value, path))
        if isinstance(value, Mapping):
            rows: list[Row] = []
            texts: list[Section] = []
            entries: tuple[Entry, ...] = ()
            entries_label = Md("")
            found = certainty.entries({key: value}) if key == "provenance" else ()
            for sub, inner in value.items():
                sub_path = (*path, str(sub))
                if is_multilingual(inner) and any(len(t) > 80 or "\n" in t for t in inner.values()):
                    text, note = self.localized(inner, paragraphs=True)
                    texts.append(
                        Section(str(sub), self.field_label(sub_path), note=note, text=text)
                    )
                elif isinstance(inner, list) and any(isinstance(v, Mapping) for v in inner):
                    if entries_label:  # a second list of items: a group of its own
                        texts.append(
                            Section(
                                str(sub),
                                self.field_label(sub_path),
                                entries=self.entries(inner, sub_path),
                            )
                        )
                        continue
                    entries = self.entries(inner, sub_path)
                    entries_label = self.field_label(sub_path)
                else:
                    shown = self.value(inner, sub_path)
                    status = certainty.of_field(found, str(sub)) if found else None
                    rows.append(Row(self.field_label(sub_path), self.marked(shown, status)))
            return Section(
                key,
                title,
                rows=tuple(rows),
                entries=entries,
                entries_label=entries_label,
                texts=tuple(texts),
            )
        return Section(key, title, rows=(Row(title, self.value(value, path)),))

    def sections(self, view: Mapping[str, Any]) -> tuple[Section, ...]:
        """Every section of a dossier, in order (identification fields left to the caller)."""
        keys = [k for k in ORDER if k in view]
        keys += sorted(
            k
            for k in view
            if k not in ORDER and k not in IDENTIFICATION_TABLE and k not in NOT_SHOWN
        )
        return tuple(self.section(k, view[k]) for k in keys)
