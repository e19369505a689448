"""Read the working-tree inventory and pick elements by the filters editors ask for."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from ichinv.core.errors import UsageError
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.inventory import audience as redact
from ichinv.inventory import record_files as records
from ichinv.inventory.audience import WHOLE_RECORD, Audience, WithheldPart
from ichinv.io.settings import Settings


class Lang(StrEnum):
    """Languages an editor can read record text in."""

    EN = "en"
    KK = "kk"
    RU = "ru"


# Allowed values of the filters; tests/test_query.py checks they match the element schema.


class Domain(StrEnum):
    """Convention domains (Art. 2.2 a–e)."""

    ORAL_TRADITIONS = "oral-traditions"
    PERFORMING_ARTS = "performing-arts"
    SOCIAL_PRACTICES = "social-practices"
    KNOWLEDGE_NATURE = "knowledge-nature"
    CRAFTSMANSHIP = "craftsmanship"


DOMAINS = tuple(d.value for d in Domain)
"""The domains in the Convention's order (the schema's enum; tests check they agree)."""


class Category(StrEnum):
    """National categories of the 2024 list."""

    I = "I"  # noqa: E741 - the category's own name
    II = "II"
    III = "III"
    IV = "IV"
    V = "V"


class Status(StrEnum):
    """Status of an element in the inventory."""

    ACTIVE = "active"
    RETIRED = "retired"
    MERGED = "merged"


class Consent(StrEnum):
    """Consent states."""

    GIVEN = "given"
    PENDING = "pending"
    WITHDRAWN = "withdrawn"
    NOT_SOUGHT = "not-sought"


class Access(StrEnum):
    """Access levels."""

    PUBLIC = "public"
    RESTRICTED = "restricted"


class SourceList(StrEnum):
    """Lists and documents an element's provenance can cite."""

    ORDER_50_2013 = "order-50-2013"
    NATIONAL_LIST_2017 = "national-list-2017"
    ORDER_211_2024 = "order-211-2024"
    ICHLINKS = "ichlinks"
    UNESCO = "unesco"
    COMMUNITY_INVENTORY = "community-inventory"
    OTHER = "other"


__all__ = ["WHOLE_RECORD", "Audience", "WithheldPart"]  # re-exported for the reading commands

FALLBACK_LANGS = ("en", "ru", "kk")
"""Order in which other languages stand in when a text is missing in the one asked for."""


@dataclass(frozen=True, slots=True)
class Inventory:
    """The elements and provinces of the working tree, as read."""

    elements: tuple[Record, ...]
    """Readable element records, sorted by id (then path)."""
    provinces: Mapping[str, Record]
    """Readable province records by id."""
    problems: tuple[Finding, ...] = ()
    """Files that could not be read (they are left out, and reported)."""
    policy: redact.Policy = redact.DEFAULT_POLICY
    """Which fields hold personal data (from the schemas' annotations)."""
    private: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Element id → its fields kept in the private overlay (merged in for the committee only;
    `elements` hold placeholders where they are kept, see ichinv.overlay)."""

    def view(self, record: Record, audience: Audience) -> dict[str, Any]:
        """What `audience` may see of `record` (ichinv.redact decides; public views never hold
        contacts nor restricted parts)."""
        return redact.view(
            record, audience, policy=self.policy, private=self.private.get(record.id or "")
        )

    def withheld(self, record: Record) -> tuple[WithheldPart, ...]:
        """What a public view of `record` leaves out, and why (never the values)."""
        return redact.withheld_parts(record, policy=self.policy)

    def full(self, record: Record) -> Record:
        """`record` as the committee knows it, the private overlay merged in: what counts and
        aggregates (progress, periodic report) are computed from."""
        private = self.private.get(record.id or "")
        if not private:
            return record
        return replace(record, data=redact.committee_view(record, private=private))

    def private_fields(self, record: Record) -> list[str]:
        """Pointers of the fields the private overlay provides for `record`."""
        from ichinv.inventory import overlay

        private = self.private.get(record.id or "")
        return list(overlay.leaves(private)) if private else []

    def element(self, element_id: str) -> Record:
        """The element with `element_id`, or a UsageError that suggests close ids."""
        for rec in self.elements:
            if rec.id == element_id:
                return rec
        ids = sorted({rec.id for rec in self.elements if rec.id})
        close = difflib.get_close_matches(element_id.upper(), ids, n=3, cutoff=0.6)
        raise UsageError(
            f"there is no element {element_id} in elements/",
            hint=f"did you mean {' or '.join(close)}?"
            if close
            else "run `ichinv list` to see the ids of the inventory",
        )

    def province_name(self, province_id: str, lang: str = "en") -> str:
        """The province's name in `lang` (falling back to other languages), or "" if unknown."""
        rec = self.provinces.get(province_id)
        if rec is None:
            return ""
        names = rec.data.get("names")
        text, _ = text_in(names if isinstance(names, Mapping) else {}, lang)
        return text

    def focus_provinces(self) -> list[Record]:
        """Provinces of the revision project (`focus: true`), by id."""
        return [rec for pid, rec in sorted(self.provinces.items()) if rec.data.get("focus") is True]

    def successors(self, province_id: str) -> set[str]:
        """Every unit that took over from `province_id`, directly or through later changes."""
        found: set[str] = set()
        todo = [province_id]
        while todo:
            rec = self.provinces.get(todo.pop())
            following = rec.data.get("successors") if rec is not None else None
            for successor in following if isinstance(following, list) else []:
                if isinstance(successor, str) and successor not in found:
                    found.add(successor)
                    todo.append(successor)
        return found


def load(settings: Settings) -> Inventory:
    """Every readable element and province of the working tree."""
    from ichinv.inventory import overlay

    elements: list[Record] = []
    provinces: dict[str, Record] = {}
    problems: list[Finding] = []
    kept = overlay.load(settings)
    for item in records.load_all(settings):
        if isinstance(item, Finding):
            problems.append(item)
        elif item.kind is RecordKind.ELEMENT:
            elements.append(kept.attach(item, Audience.PUBLIC))
        elif item.id is not None:
            provinces.setdefault(item.id, item)
    elements.sort(key=lambda rec: (rec.id or "\uffff", rec.path))
    policy = redact.policy_for(settings.schema_dir)
    return Inventory(tuple(elements), provinces, tuple(problems), policy, kept.entries)


# --- reading fields ---------------------------------------------------------------------------


def text_in(texts: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """(text, its language) from a map language → text: `lang` if there, else a fallback."""
    for candidate in (lang, *FALLBACK_LANGS, *sorted(texts)):
        value = texts.get(candidate)
        if isinstance(value, str) and value.strip():
            return value, candidate
    return "", lang


def name_of(data: Mapping[str, Any], lang: str = "en") -> str:
    """The element's name in `lang`, else in another language; "" when it has none."""
    names = data.get("names")
    return text_in(names if isinstance(names, Mapping) else {}, lang)[0]


def strings(value: Any) -> list[str]:
    """The text items of a list field (anything else gives an empty list)."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def mappings(value: Any) -> list[Mapping[str, Any]]:
    """The map items of a list field (anything else gives an empty list)."""
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def get(data: Mapping[str, Any], dotted: str) -> Any:
    """The value at a dotted path such as `consent.status`; None when any step is missing."""
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def source_lists(data: Mapping[str, Any]) -> list[str]:
    """The `list` of every provenance source, in order."""
    sources = get(data, "provenance.sources")
    return [
        s["list"]
        for s in (sources if isinstance(sources, list) else [])
        if isinstance(s, Mapping) and isinstance(s.get("list"), str)
    ]


# --- filters -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filters:
    """What to pick: a value of every non-empty field must match (any of the values given)."""

    provinces: tuple[str, ...] = ()
    """Province ids; a former unit's elements match its successors too."""
    domains: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    consent: tuple[str, ...] = ()
    access: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    name: str = ""
    """Part of a name, in any language, any case."""
    ids: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.provinces,
                self.domains,
                self.categories,
                self.statuses,
                self.consent,
                self.access,
                self.sources,
                self.name,
                self.ids,
            )
        )


def _province_matcher(inventory: Inventory, wanted: Iterable[str]) -> Callable[[list[str]], bool]:
    targets: set[str] = set()
    for province_id in wanted:
        if province_id not in inventory.provinces:
            close = difflib.get_close_matches(province_id.upper(), list(inventory.provinces), n=3)
            raise UsageError(
                f"there is no province {province_id} in provinces/",
                hint=f"did you mean {' or '.join(sorted(close))}?"
                if close
                else "province ids are ISO 3166-2 codes such as KZ-23; see provinces/",
            )
        targets.add(province_id)
    # An element recorded under a former unit is practised in what its successors now cover.
    expanded = {
        pid for pid in inventory.provinces if pid in targets or inventory.successors(pid) & targets
    }
    return lambda provinces: bool(expanded.intersection(provinces))


def select(
    inventory: Inventory,
    filters: Filters,
    audience: Audience = Audience.COMMITTEE,
) -> list[tuple[Record, dict[str, Any]]]:
    """The elements matching `filters`, each with the view `audience` may see.

    Filters look only at what the audience sees: a public listing cannot be narrowed by a
    field the public view withholds (that would reveal it).
    """
    province_match = _province_matcher(inventory, filters.provinces) if filters.provinces else None
    needle = filters.name.casefold().strip()
    wanted_ids = {i.upper() for i in filters.ids}
    chosen: list[tuple[Record, dict[str, Any]]] = []
    for rec in inventory.elements:
        if wanted_ids and (rec.id or "") not in wanted_ids:
            continue
        data = inventory.view(rec, audience)
        if province_match is not None and not province_match(strings(data.get("provinces"))):
            continue
        if filters.domains and not set(filters.domains) & set(strings(data.get("domains"))):
            continue
        if not _one_of(filters.categories, data.get("national_category")):
            continue
        if not _one_of(filters.statuses, data.get("status")):
            continue
        if not _one_of(filters.consent, get(data, "consent.status")):
            continue
        if not _one_of(filters.access, get(data, "access.level")):
            continue
        if filters.sources and not set(filters.sources) & set(source_lists(data)):
            continue
        if needle and not any(needle in n.casefold() for n in _all_names(data)):
            continue
        chosen.append((rec, data))
    return chosen


def _one_of(wanted: tuple[str, ...], value: Any) -> bool:
    return not wanted or value in wanted


def _all_names(data: Mapping[str, Any]) -> list[str]:
    names = data.get("names")
    found = [v for v in names.values() if isinstance(v, str)] if isinstance(names, Mapping) else []
    others = data.get("other_names")
    found.extend(
        o["name"]
        for o in (others if isinstance(others, list) else [])
        if isinstance(o, Mapping) and isinstance(o.get("name"), str)
    )
    return found


# --- one element, ready to show ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ElementView:
    """One element as an audience may see it, with the names of what it refers to."""

    id: str
    path: str
    data: Mapping[str, Any]
    """The audience's view of the record."""
    audience: Audience
    lang: str
    province_names: Mapping[str, str]
    """Names (in `lang`) of the provinces the record mentions."""
    element_names: Mapping[str, str]
    """Names (in `lang`) of the elements the record mentions (related, merged into)."""
    withheld: tuple[WithheldPart, ...] = ()
    """What the public view left out, and why (never the values)."""


def element_view(
    inventory: Inventory, element_id: str, audience: Audience, lang: str
) -> ElementView:
    """The element `element_id` as `audience` may see it."""
    rec = inventory.element(element_id)
    data = inventory.view(rec, audience)
    mentioned = set(strings(data.get("provinces")))
    for key in ("locations", "communities"):
        for item in mappings(data.get(key)):
            mentioned.update(strings(item.get("provinces")))
            if isinstance(item.get("province"), str):
                mentioned.add(item["province"])
    others = {r["id"] for r in mappings(data.get("related")) if isinstance(r.get("id"), str)}
    merged_into = get(data, "status_change.merged_into")
    if isinstance(merged_into, str):
        others.add(merged_into)
    by_id = {r.id: r for r in inventory.elements if r.id}
    return ElementView(
        id=rec.id or element_id,
        path=rec.path,
        data=data,
        audience=audience,
        lang=lang,
        province_names={p: inventory.province_name(p, lang) for p in sorted(mentioned)},
        element_names={
            i: name_of(inventory.view(by_id[i], audience), lang) if i in by_id else ""
            for i in sorted(others)
        },
        withheld=inventory.withheld(rec) if audience is Audience.PUBLIC else (),
    )


def summary_row(rec: Record, data: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The identification and state of one element, as `list` shows it."""
    names = data.get("names")
    return {
        "id": rec.id or "",
        "name": name_of(data, lang),
        "names": dict(names) if isinstance(names, Mapping) else {},
        "national_category": data.get("national_category")
        if isinstance(data.get("national_category"), str)
        else None,
        "domains": strings(data.get("domains")),
        "provinces": strings(data.get("provinces")),
        "status": _state(data, "status"),
        "consent": _state(data, "consent.status"),
        "access": _state(data, "access.level"),
        "viability": _state(data, "viability.status"),
        "path": rec.path,
    }


WITHHELD = "withheld"
"""What `list` shows for a state the public view withholds."""


def _state(data: Mapping[str, Any], dotted: str) -> str | None:
    """A state field's value; `withheld` when the view withheld it or a group holding it."""
    node: Any = data
    for part in dotted.split("."):
        if isinstance(node, redact.Withheld):
            return WITHHELD
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    if isinstance(node, redact.Withheld):
        return WITHHELD
    return node if isinstance(node, str) else None
