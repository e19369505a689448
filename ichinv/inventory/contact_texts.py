"""The texts of a record that hold a contact: what public views withhold as personal data
wherever it stands, and `validate` warns of (rule text.contact).

A search of every text costs ~0.15 ms a record: `validate` makes one as it checks a record and
the record cache keeps what it found (`NoContact`, ichinv.core.model) beside the record's data,
so that a public view of the same data in a later run (a packet, the site) need not search
again. What it found is trusted only for the very data searched, and only when it left out no
field the view shows (`NoContact.covers`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from ichinv.core import pointers, trace
from ichinv.core.contacts import may_hold_sure_contact, sure_contact, without_web_login
from ichinv.core.model import NoContact
from ichinv.inventory.plaindata import keys


def contact_texts(
    data: Mapping[str, Any], held: Sequence[str], known: NoContact | None = None
) -> list[str]:
    """The pointers of the texts of `data` outside the parts `held` (its fields of personal
    data) that surely hold an e-mail address, a phone number or a messenger's link
    (`contacts.sure_contact`, read as a public view shows the text: a web address without its
    user name and password): what validate warns of (`text.contact`), and what public views
    replace by a note (personal data), wherever it stands (a name, a description, a source's
    note), until the contact is moved to `contacts`. Most records hold none: one search over
    all their texts settles it (`no_contact`), or an earlier one did (`known`, which
    `validate` made and the record cache kept)."""
    tops = top_fields(held)
    if known is not None and known.covers(data, tops) or no_contact(data, tops) is not None:
        return []  # the common case, settled without a pointer for every text
    texts = [
        (pointer, without_web_login(text))
        for pointer, text in pointers.texts(data)
        if not any(pointers.within(pointer, p) for p in held)
    ]
    if not may_hold_sure_contact(text for __, text in texts):
        return []
    found = [pointer for pointer, text in texts if sure_contact(text)]
    return sorted(found, key=pointers.split)


def no_contact(
    data: Mapping[str, Any], around: Collection[str], texts: Iterable[str] | None = None
) -> NoContact | None:
    """What one search over the texts of `data` outside its top-level fields `around` finds
    (`may_hold_sure_contact`, ~0.15 ms a record): a NoContact when none of them holds a
    contact, else None (one may: `contact_texts` says which). `texts`: those texts, when the
    caller has them already."""
    trace.count("contact-search")
    if texts is None:
        outside = (value for key, value in data.items() if key not in around)
        texts = (text for value in outside for text in pointers.strings(value))
    if may_hold_sure_contact(texts):
        return None
    return NoContact(data, frozenset(key for key in data if key in around))


def top_fields(fields: Iterable[str]) -> frozenset[str]:
    """The top-level fields among the pointers `fields` (`/contacts`, as schemas name the
    fields of personal data): those whose texts a search for contacts leaves out."""
    return frozenset(keys(p)[0] for p in fields if len(keys(p)) == 1)
