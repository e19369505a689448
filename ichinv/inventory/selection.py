"""Picking elements by the filters editors ask for, and the row of each that `list` shows.

Filters look only at what the audience may see: a public listing cannot be narrowed by a field
the public view withholds (that would reveal it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.core.i18n import _
from ichinv.core.model import Record
from ichinv.inventory.audience import Audience
from ichinv.inventory.fields import get, name_of, source_lists, state, strings
from ichinv.inventory.redaction import public_path
from ichinv.inventory.view import Inventory

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
            raise inventory.absent_province(
                province_id,
                otherwise=_("province ids are ISO 3166-2 codes such as KZ-23; see provinces/"),
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
    for rec in inventory.answered:
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


def summary_row(
    rec: Record, data: Mapping[str, Any], lang: str, audience: Audience = Audience.PUBLIC
) -> dict[str, Any]:
    """The identification and state of one element, as `list` shows it to `audience`."""
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
        "status": state(data, "status"),
        "consent": state(data, "consent.status"),
        "access": state(data, "access.level"),
        "viability": state(data, "viability.status"),
        "path": public_path(rec.path) if audience is Audience.PUBLIC else rec.path,
    }
