"""The texts of a record that hold a contact: what public views withhold as personal data
wherever it stands, and `validate` warns of (rule text.contact).

A search of every text costs ~0.15 ms a record: it is made when a record's bytes are first
parsed (`with_search`) or checked (`validate`, rule text.contact), and the record cache keeps what
it found (`NoContact`, ichinv.core.model) beside the record's data, so that a public view of
the same data in this run or a later one (a packet, the site, a diff) need not search again.
What it found is trusted only for the very data searched, and only for the very texts the
view would search: those outside the same fields (`NoContact.covers`). A public view of a
record that restricts a top-level field searches the texts outside it itself.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from ichinv.core import pointers, trace
from ichinv.core.contacts import may_hold_sure_contact, sure_contact, without_web_login
from ichinv.core.model import NoContact, Record, RecordKind
from ichinv.inventory.plaindata import keys
from ichinv.inventory.policy import personal_of


def contact_texts(
    data: Mapping[str, Any], held: Sequence[str], known: NoContact | None = None
) -> list[str]:
    """The pointers of the texts of `data` outside the parts `held` (its fields of personal
    data) that surely hold an e-mail address, a phone number or a messenger's link
    (`contacts.sure_contact`, read as a public view shows the text: a web address without its
    user name and password): what validate warns of (`text.contact`), and what public views
    replace by a note (personal data), wherever it stands (a name, a description, a source's
    note), until the contact is moved to `contacts`. Most records hold none: one search over
    all their texts settles it (`no_contact`), or an earlier one did (`known`, the record's
    own, made as its bytes were first parsed or checked and kept by the record cache; or one
    made for another view of the same data in this run)."""
    tops = top_fields(held)
    for earlier in (known, NoContact.of(data)):
        if earlier is not None and earlier.covers(data, tops):
            return []
    found = no_contact(data, tops)
    if found is not None:
        _RECENT.append(found)  # a diff asks again of the same version (its changes, its name)
        return []  # the common case, settled without a pointer for every text
    texts = [
        (pointer, text)
        for pointer, text in pointers.texts(data)
        if not any(pointers.within(pointer, p) for p in held)
    ]
    if not may_hold_sure_contact(published(text for __, text in texts)):
        return []
    holding = [pointer for pointer, text in texts if sure_contact(without_web_login(text))]
    return sorted(holding, key=pointers.split)


def with_search(record: Record) -> Record:
    """`record` as first parsed from its bytes, with the search of its texts outside the
    fields of personal data every policy has (`/contacts` of elements) when it finds no
    contact: the record cache keeps it with the data, so that no later run searches the same
    bytes again (a baseline's versions, which `validate` never checks, too)."""
    return replace(record, no_contact=no_contact(record.data, personal_tops(record.kind)))


def personal_tops(kind: RecordKind, marked: Iterable[str] = ()) -> frozenset[str]:
    """The top-level ones of `policy.personal_of`: whose texts a search for contacts leaves
    out."""
    return top_fields(personal_of(kind, marked))


def shows_sure_contact(text: str) -> bool:
    """Whether `text` surely holds a contact as written or as a public view prints it
    (`published`): what rule text.contact warns of, an import's `import.contact` too."""
    return any(sure_contact(shown) for shown in published([text]))


def published(texts: Iterable[str]) -> list[str]:
    """Each of `texts` as written and, where it differs, as a public view prints it: without
    the user name and password of a web address (`without_web_login`), which may leave what
    the text as written did not hold (`https:\nhttp:@aigul(at)gmail.com` prints an address
    spelt out; an outside review). Most records' texts hold no `@`, without which no text
    holds a web login: then `texts` as they are, at the cost of one join."""
    written = list(texts)
    if "@" not in "".join(written):
        return written
    found: list[str] = []
    for text in written:
        found.append(text)
        shown = without_web_login(text)
        if shown is not text:
            found.append(shown)
    return found


_RECENT: deque[NoContact] = deque(maxlen=256)
"""The last searches made for views, held so that `NoContact.of` finds them: a diff judges
each version of a record two or three times (its changes, its name, today's record)."""


def no_contact(
    data: Mapping[str, Any], around: Collection[str], texts: Iterable[str] | None = None
) -> NoContact | None:
    """What one search over the texts of `data` outside its top-level fields `around` finds
    (`may_hold_sure_contact`, ~0.15 ms a record): a NoContact when none of them holds a
    contact, else None (one may: `contact_texts` says which). `texts`: those texts, when the
    caller has them already. Each is searched as a public view prints it, and as written
    (`published`)."""
    trace.count("contact-search", str(data.get("id")) if trace.enabled() else "")
    if texts is None:
        outside = (value for key, value in data.items() if key not in around)
        texts = (text for value in outside for text in pointers.strings(value))
    if may_hold_sure_contact(published(texts)):
        return None
    return NoContact(data, frozenset(key for key in data if key in around))


def top_fields(fields: Iterable[str]) -> frozenset[str]:
    """The top-level fields among the pointers `fields` (`/contacts`, as schemas name the
    fields of personal data): those whose texts a search for contacts leaves out."""
    return frozenset(keys(p)[0] for p in fields if len(keys(p)) == 1)
