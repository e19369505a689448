"""How messages name a field of a record, as editors know it, counting list items from 1; and
how they quote a value of it.

`status` (Status in the inventory), `viability.assessed` (Assessed on), item 2 of
`provenance.sources` (Sources), `row` (Row) in item 2 of `provenance.sources` (Sources): never a
JSON pointer (`/provenance/sources/1/row`), and never a position counted from 0 beside one
counted from 1 (`communities.0.name … item 1 of communities`, found by an outside review).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ichinv.core import i18n, pointers
from ichinv.core.contacts import may_be_contact
from ichinv.core.i18n import N_, _

if TYPE_CHECKING:
    from ichinv.schemas.loader import Schema

ITEM = N_("item {index} of {list}")
"""How messages name an item of a list (ichinv.validate.new_since matches it)."""

IN_ITEM = N_("{field} in {item}")
"""How messages name a field of an item of a list (`row` in item 2 of `provenance.sources`)."""


def field_name(pointer: str, schema: Schema | None = None) -> str:
    """The field at `pointer` as messages name it (with its title in the language of messages,
    where `schema` gives one): the keys after the last list position written as a dotted path,
    the item as `ITEM`, counted from 1."""
    if not pointer:
        return _("the record")
    parts = pointers.split(pointer)
    last = max((i for i, part in enumerate(parts) if pointers.is_index(part)), default=-1)
    if last == len(parts) - 1:
        return _(ITEM).format(
            index=int(parts[-1]) + 1, list=field_name(pointers.join(parts[:-1]), schema)
        )
    named = label(pointer, parts[last + 1 :], schema)
    if last < 0:
        return named
    return _(IN_ITEM).format(field=named, item=field_name(pointers.join(parts[: last + 1]), schema))


def label(pointer: str, keys: list[str], schema: Schema | None = None) -> str:
    """`keys` (the last keys of `pointer`, no list position among them) as a dotted path in
    backquotes, with the title of the field at `pointer` where `schema` has one."""
    written = f"`{'.'.join(keys)}`"
    title = schema.title(pointer, i18n.current()) if schema is not None else None
    return _("{field} ({title})").format(field=written, title=title) if title else written


def did_you_mean(word: str) -> str:
    """ "did you mean …?" for a word of a field's vocabulary, quoted as messages quote values
    (`show`: one kind of quotation marks in a line)."""
    return _("did you mean {guess}?").format(guess=show(word))


def show(value: Any) -> str:
    """A value of a record as a message quotes it: text in the quotation marks of the
    language, anything else as JSON; long values shortened; `…` for one that may be a contact
    (`schema_version: 87011234567`: a message may reach a public CI log)."""
    if value is None:
        return _("empty")  # (`null` is JSON's word, no editor's)
    text = json.dumps(value, ensure_ascii=False)
    if may_be_contact(value if isinstance(value, str) else text):  # an id is no number
        return "…"
    if len(text) > 60:
        text = text[:57] + "…" + ('"' if isinstance(value, str) else "")
    if isinstance(value, str):
        return _('"{text}"').format(text=text[1:-1])
    return text
