"""The page of one element: its names in every script, identification, sections, what is
withheld and why, and its sources; for a retired or merged element, a tombstone that says why
and where to go."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.core.vocabulary import NAME_LANGUAGES
from ichinv.inventory.audience import (
    WHOLE_RECORD,
    Restriction,
    Why,
    Withheld,
    WithheldPart,
    restriction,
)
from ichinv.inventory.fields import mappings, strings, value
from ichinv.site.build import ACTIVE, Local, text_of
from ichinv.site.describe import join
from ichinv.site.model import Inline, Page, Piece, Row, Section

SECTIONS = (
    "description",
    "locations",
    "communities",
    "sub_items",
    "characteristics",
    "transmission",
    "viability",
    "safeguarding",
    "unesco",
    "related",
    "documentation",
)
"""Sections of an element page, in order; `consent` and the sources (`provenance`) follow."""
NOT_SECTIONS = frozenset(
    {
        "schema_version",
        "suppressions",
        "id",
        "names",
        "other_names",
        "latin_orthography",
        "national_category",
        "domains",
        "provinces",
        "status",
        "status_change",
        "access",
        "contacts",
        "consent",
        "provenance",
    }
)
"""Fields shown elsewhere on the page (or never: contacts, bookkeeping)."""
CONSENT_SHOWN = ("status", "date", "form", "scope")
"""What the page says of consent: its state, not the evidence or its history."""


@dataclass(frozen=True, slots=True)
class Name:
    """A name of the element in one language or script."""

    label: str
    text: Piece
    note: str = ""


@dataclass(frozen=True, slots=True)
class Tombstone:
    """Why a retired or merged element is no longer in the inventory, and where to go."""

    status: str
    message: str
    """Retired / merged into …, as a sentence."""
    target: Inline
    """The element it was merged into (a link), when known."""
    rows: tuple[Row, ...]
    note: Inline = ()
    """Why the reason is not shown, when the view withheld it."""


@dataclass(frozen=True, slots=True)
class ElementPage:
    """Everything an element page shows."""

    id: str
    name: Piece
    name_note: str
    """The fallback note when the name is not in the page's language."""
    status: str
    names: tuple[Name, ...]
    facts: tuple[Row, ...]
    tombstone: Tombstone | None
    illustrative: bool
    only_identification: str
    """Why only the identification is published, when that is so."""
    sections: tuple[Section, ...]
    withheld: tuple[Row, ...]
    """What is withheld, and why."""
    access: tuple[Row, ...]
    consent: Section | None
    sources: Section | None


def element_page(local: Local, eid: str) -> Page:
    """The page of element `eid` in `local`'s language."""
    w = local.words
    describe = local.describer
    view = local.public.views[eid]
    record = local.public.inventory.by_id[eid]
    name = w.name(view)
    status = local.public.status(eid)
    sections = [describe.section(k, view[k]) for k in SECTIONS if k in view]
    sections += [
        describe.section(k, view[k])
        for k in sorted(view)
        if k not in SECTIONS and k not in NOT_SECTIONS
    ]
    consent = view.get("consent")
    if isinstance(consent, Mapping):
        consent = {k: consent[k] for k in CONSENT_SHOWN if k in consent}
    provenance = view.get("provenance")
    only = _only_identification(local, record)
    if only:  # every other field is withheld, for the one reason the notice gives
        sections, consent, provenance = [], None, None
    body = ElementPage(
        id=eid,
        name=name,
        name_note=w.fallback(name.lang, withheld=_own_name_withheld(view, w.lang))
        if name.lang
        else "",
        status=status,
        names=_names(local, view),
        facts=_facts(local, eid, view),
        tombstone=_tombstone(local, view) if status != ACTIVE else None,
        illustrative=value(view, "provenance.illustrative") is True,
        only_identification=only,
        sections=tuple(s for s in sections if _shows(s)),
        withheld=_withheld(local, local.public.inventory.withheld(record)),
        access=_access(local, view),
        consent=describe.section("consent", consent) if consent else None,
        sources=describe.section("provenance", provenance, title=w("site.element.sources"))
        if provenance
        else None,
    )
    return Page(
        path=f"elements/{eid}.html",
        template="element.html.j2",
        title=f"{name.text} ({eid})" if name.text != eid else eid,
        title_lang=name.lang,
        nav="elements",
        body=body,
        description=w("site.element.description", id=eid, name=name.text),
    )


def _shows(section: Section) -> bool:
    return bool(section.note or section.text or section.rows or section.entries or section.texts)


def _names(local: Local, view: Mapping[str, Any]) -> tuple[Name, ...]:
    """The names of the element: Kazakh in Cyrillic, in Latin script where the record has it
    (with its alphabet), Russian, English, any other language; then other names."""
    w = local.words
    names = view.get("names")
    if isinstance(names, Withheld):
        return (Name(w.field(("names",)), w.withheld(names)),)
    if not isinstance(names, Mapping):
        return ()
    order = ["kk", "kk-Latn", *(c for c in NAME_LANGUAGES if c != "kk")]
    order += sorted(str(c) for c in names if c not in order)
    found: list[Name] = []
    orthography = text_of(view, "latin_orthography")
    for code in order:
        text = names.get(code)
        if isinstance(text, Withheld):
            found.append(Name(w.language(code), w.withheld(text)))
        elif isinstance(text, str) and text.strip():
            note = ""
            if code == "kk-Latn" and orthography:
                note = _alphabet(w, orthography)
            found.append(Name(w.language(code), Piece(text, lang=code), note))
    others = view.get("other_names")
    if isinstance(others, Withheld):
        found.append(Name(w.field(("other_names",)), w.withheld(others)))
    for item in mappings(others):
        text = item.get("name")
        if not isinstance(text, str):
            continue
        code = text_of(item, "lang") or ""
        label = w.language(code) if code else w.field(("other_names",))
        if isinstance(text, Withheld):  # (one that held a contact: the note in this language)
            found.append(Name(label, w.withheld(text)))
            continue
        note = text_of(item, "note") or ""
        found.append(Name(label, Piece(text, lang=code), note))
    return tuple(found)


def _facts(local: Local, eid: str, view: Mapping[str, Any]) -> tuple[Row, ...]:
    """Identifier, category, domains, provinces, status, national index number."""
    w = local.words
    d = local.describer
    rows = [Row(w.field(("id",)), (Piece(eid, kind="id"),))]
    category = local.public.category(eid)
    if category:
        rows.append(
            Row(
                w.field(("national_category",)),
                (Piece(w.value("category", category), href=f"categories/{category}.html"),),
            )
        )
    elif isinstance(view.get("national_category"), Withheld):
        rows.append(Row(w.field(("national_category",)), (w.withheld(view["national_category"]),)))
    domains = view.get("domains")
    if isinstance(domains, Withheld):
        rows.append(Row(w.field(("domains",)), (w.withheld(domains),)))
    elif local.public.domains(eid):
        rows.append(
            Row(
                w.field(("domains",)),
                join(
                    (
                        (Piece(w.value("domain", x), href=f"domains/{x}.html"),)
                        for x in local.public.domains(eid)
                    ),
                    "; ",
                ),
            )
        )
    provinces = view.get("provinces")
    if isinstance(provinces, Withheld):
        rows.append(Row(w.field(("provinces",)), (w.withheld(provinces),)))
    elif strings(provinces):
        rows.append(Row(w.field(("provinces",)), join(d.province(p) for p in strings(provinces))))
    rows.append(Row(w.field(("status",)), (Piece(w.value("status", local.public.status(eid))),)))
    index = value(view, "provenance.national_index")
    if isinstance(index, str):
        rows.append(Row(w.field(("national_index",)), (Piece(index, kind="id"),)))
    return tuple(rows)


def _tombstone(local: Local, view: Mapping[str, Any]) -> Tombstone:
    w = local.words
    status = local.public.status(view["id"]) if isinstance(view.get("id"), str) else "retired"
    change = view.get("status_change")
    if isinstance(change, Withheld):
        return Tombstone(status, w(f"site.tombstone.{status}"), (), (), (w.withheld(change),))
    change = change if isinstance(change, Mapping) else {}
    target: Inline = ()
    into = change.get("merged_into")
    if status == "merged" and isinstance(into, str) and not isinstance(into, Withheld):
        target = local.describer.element(into)
    rows = tuple(
        Row(
            w.field(("status_change", key)),
            local.describer.value(change[key], ("status_change", key)),
        )
        for key in ("reason", "date", "decision")
        if key in change
    )
    return Tombstone(status, w(f"site.tombstone.{status}"), target, rows)


def _only_identification(local: Local, record: Any) -> str:
    """Why only the identification is published, when the whole record is withheld."""
    w = local.words
    kind = restriction(record)
    if kind is Restriction.NONE or kind is Restriction.PARTS:
        return ""
    whole = next(
        (p for p in local.public.inventory.withheld(record) if p.pointer == WHOLE_RECORD), None
    )
    if whole is None:
        return ""
    return w("site.element.only_identification", why=w.why(whole.why, whole.reason))


def _withheld(local: Local, parts: tuple[WithheldPart, ...]) -> tuple[Row, ...]:
    """What the public view leaves out, and why: personal data by field, the rest by place."""
    w = local.words
    personal = dict.fromkeys(
        part.pointer.split("/")[1]
        for part in parts
        if part.why is Why.PERSONAL and "/" in part.pointer
    )
    rows = [Row(w.field((top,)), (Piece(w("withheld.personal")),)) for top in personal]
    for part in parts:
        if part.why is Why.PERSONAL:
            continue
        where = (
            w("show.all_but_identification")
            if part.pointer == WHOLE_RECORD
            else local.describer.pointer(part.pointer)
        )
        rows.append(Row(where, (Piece(w.why(part.why, part.reason)),)))
    return tuple(rows)


def _access(local: Local, view: Mapping[str, Any]) -> tuple[Row, ...]:
    """The access level and, for a restricted record, who decided it."""
    w = local.words
    access = view.get("access")
    if not isinstance(access, Mapping):
        return ()
    rows = []
    level = access.get("level")
    if isinstance(level, str):
        rows.append(Row(w.field(("access", "level")), (Piece(w.value("access", level)),)))
    decided = access.get("decided_by")
    if isinstance(decided, str) and not isinstance(decided, Withheld):
        rows.append(Row(w.field(("access", "decided_by")), (local.describer.text(decided),)))
    return tuple(rows)


def _alphabet(w: Any, orthography: str) -> str:
    """The name of a Latin alphabet of Kazakh (`site.orthography.2021`), else the value."""
    key = f"site.orthography.{orthography}"
    return str(w(key)) if w.has(key) else orthography


def _own_name_withheld(view: Mapping[str, Any], lang: str) -> bool:
    """Whether the view withholds the element's name in `lang` (another stands in for it)."""
    names = view.get("names")
    return isinstance(names, Mapping) and isinstance(names.get(lang), Withheld)
