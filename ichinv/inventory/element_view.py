"""One element as an audience may see it, ready to show (`ichinv show`): its view, and the
names of the provinces and elements it mentions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.core import pointers
from ichinv.core.model import RecordKind
from ichinv.inventory.audience import Audience, WithheldPart
from ichinv.inventory.fields import mappings, name_of, strings
from ichinv.inventory.focus import mentioned_elements
from ichinv.inventory.redaction import public_path
from ichinv.inventory.view import Inventory
from ichinv.schemas.shape import Out, out_of_shape


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
    unknown: tuple[tuple[str, Any], ...] = ()
    """The committee's: each part of the record the schema has no place for, by its pointer,
    with its value: a key inside a field that the schema does not know (an `email:` in a
    documentation item), a mapping or list where the schema wants a single value (a mapping
    as a description's text). No section has a place for it, and the committee sees
    everything. Unknown top-level fields are in `data` as they are."""


def element_view(
    inventory: Inventory, element_id: str, audience: Audience, lang: str
) -> ElementView:
    """The element `element_id` as `audience` may see it."""
    rec = inventory.element(element_id, audience)
    data = inventory.view(rec, audience)
    mentioned = set(strings(data.get("provinces")))
    for key in ("locations", "communities"):
        for item in mappings(data.get(key)):
            mentioned.update(strings(item.get("provinces")))
            if isinstance(item.get("province"), str):
                mentioned.add(item["province"])
    others = mentioned_elements(data)
    by_id = inventory.by_id
    return ElementView(
        id=rec.id or element_id,
        path=public_path(rec.path) if audience is Audience.PUBLIC else rec.path,
        data=data,
        audience=audience,
        lang=lang,
        province_names={p: inventory.province_name(p, lang) for p in sorted(mentioned)},
        element_names={
            i: name_of(inventory.view(by_id[i], audience), lang) if i in by_id else ""
            for i in sorted(others)
        },
        withheld=inventory.withheld(rec) if audience is Audience.PUBLIC else (),
        unknown=_unknown_inside(data, inventory) if audience is Audience.COMMITTEE else (),
    )


def _unknown_inside(data: Mapping[str, Any], inventory: Inventory) -> tuple[tuple[str, Any], ...]:
    """Each part of `data` (an element's) that its schema has no place for, with its value:
    what a public view withholds as unknown (ichinv.schemas.shape.out_of_shape), but a single
    value outside the vocabulary (shown in its field) or a top-level field (in `data`)."""
    shape = inventory.policy.shapes.get(RecordKind.ELEMENT)
    if shape is None:
        return ()
    return tuple(
        (where, pointers.at(data, where))
        for where, out in out_of_shape(data, shape)
        if where and (out is Out.KIND or (out is Out.KEY and len(pointers.split(where)) > 1))
    )
