"""What `validate` found of the contacts in a record's texts is kept by the record cache beside
its data, so that a public output after it (a packet, the site) need not search every text
again; and it is never trusted beyond the very data it speaks of.

Public views withhold a text that holds a contact (ichinv.inventory.contact_texts):
one search over a record's texts, ~0.15 ms, which made the first province packet after
`validate` at 10,000 records 0.57 → 0.95 s (issue 16 holds it to twice a warm `validate`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import git
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ichinv.core import trace
from ichinv.core.model import NoContact, Record, RecordKind
from ichinv.inventory import audience, contact_texts, view
from ichinv.inventory.audience import Audience, Withheld
from ichinv.inventory.policy import policy_for
from ichinv.inventory.record_cache import RecordCache
from ichinv.io import cache_files
from ichinv.io import settings as settings_io
from ichinv.packets import api
from ichinv.packets.builder import Request
from ichinv.validate import api as validate_api
from tests.support import packet_inventory
from tests.support import reading_data as d
from tests.support.helpers import REPO_ROOT, commit, element_data, examples

POLICY = policy_for(REPO_ROOT / "schema")
PHONE = "+7 700 000 00 00"
PROVINCE = "KZ-23"
MAY_HOLD = 1
"""Records of the packet inventory whose texts one search cannot clear, though none holds a
contact: KZ-2025-0001's hostile name and notes (`@someone`) may be a handle's."""


def packet(root: Path, monkeypatch: pytest.MonkeyPatch, *, caches: bool = True) -> tuple[str, int]:
    """The public province packet, and how many records' texts making it searched."""
    if caches:
        monkeypatch.delenv("ICHINV_NO_CACHE", raising=False)
    else:
        monkeypatch.setenv("ICHINV_NO_CACHE", "1")
    trace.reset()
    request = Request(provinces=(PROVINCE,), audience=Audience.PUBLIC)
    config = settings_io.load(root)
    made = api.packets(config, request, api.read_inventory(config, request))
    searched = trace.counts()[0].get("contact-search", 0)
    monkeypatch.delenv("ICHINV_NO_CACHE", raising=False)
    return made[0].text, searched


def kept_searches(root: Path) -> tuple[int, int]:
    """Entries of the record cache with data, and those that keep a search that found none."""
    with sqlite3.connect(cache_files.database_path(root)) as db:
        (entries, searched) = db.execute(
            "SELECT count(data), count(no_contact) FROM records"
        ).fetchone()
    return int(entries), int(searched)


@pytest.fixture
def inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = packet_inventory.build(tmp_path / "inventory")
    monkeypatch.chdir(root)
    return root


def with_phone_in_a_name(root: Path) -> Path:
    """An element of the packet's province whose English name holds a (fictitious) phone."""
    path = root / "elements" / "KZ-2013-0001.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert PROVINCE in data["provinces"]
    data["names"]["en"] = f"Felt carpets, call {PHONE}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_packet_after_validate_searches_only_what_may_hold_a_contact(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_phone_in_a_name(inventory)
    validate_api.run(settings_io.load(inventory))
    entries, searched = kept_searches(inventory)
    assert entries > 3 and searched == entries - 1 - MAY_HOLD  # not the record with the phone
    text, searches = packet(inventory, monkeypatch)
    assert searches == 1 + MAY_HOLD  # those searched again: the phone is withheld as before
    assert PHONE not in text and "call +7" not in text
    afresh, searched_afresh = packet(inventory, monkeypatch, caches=False)
    assert text == afresh
    assert searched_afresh > 3


def test_a_search_is_kept_for_records_the_cache_knew_before_validate(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record another command parsed first (no search kept with it) gets the one `validate`
    makes, and what a record whose bytes change found is not carried to the new bytes."""
    config = settings_io.load(inventory)
    view.load(config)
    entries, searched = kept_searches(inventory)
    assert entries > 3 and searched == 0
    validate_api.run(config)
    assert kept_searches(inventory) == (entries, entries - MAY_HOLD)
    with_phone_in_a_name(inventory)
    validate_api.run(config)
    assert kept_searches(inventory) == (entries + 1, entries - MAY_HOLD)
    text, searches = packet(inventory, monkeypatch)
    assert searches == 1 + MAY_HOLD and PHONE not in text


def test_a_damaged_search_is_not_trusted(inventory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_phone_in_a_name(inventory)
    validate_api.run(settings_io.load(inventory))
    with sqlite3.connect(cache_files.database_path(inventory)) as db:
        db.execute("UPDATE records SET no_contact = X'00ff00'")
    text, searches = packet(inventory, monkeypatch)
    assert searches > 3 and PHONE not in text
    assert text == packet(inventory, monkeypatch, caches=False)[0]


def test_a_committed_record_read_from_git_keeps_its_search(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record of the working tree that git vouches for is not even read: its search comes
    from the cache with its data."""
    commit(git.Repo(inventory), "edits")
    validate_api.run(settings_io.load(inventory))
    assert packet(inventory, monkeypatch)[1] == MAY_HOLD


def element(**fields: object) -> Record:
    data = element_data("KZ-2026-0001", **fields)
    return Record(RecordKind.ELEMENT, "elements/KZ-2026-0001.yaml", data, "ab" * 20)


def shown(record: Record) -> object:
    return audience.public_view(record, policy=POLICY)["description"]["en"]


def test_a_search_speaks_only_of_the_data_it_searched() -> None:
    """A record made with other data (the overlay merged in, an edit) keeps the search of the
    data it was made from; it is not trusted for the new data, even when equal."""
    clean = element()
    known = contact_texts.no_contact(clean.data, {"contacts"})
    assert known is not None and known.covers(clean.data, {"contacts"})
    searched = replace(clean, no_contact=known)
    leaking = element(description={"en": f"Write to {PHONE}."})
    assert isinstance(shown(replace(searched, data=leaking.data)), Withheld)
    assert not known.covers(dict(clean.data), {"contacts"})


def test_a_search_that_left_out_more_fields_than_the_view_does_is_not_trusted() -> None:
    """A search around fields the public view shows (a schema that marks fewer fields as
    personal data since) says nothing of their texts."""
    leaking = element(description={"en": f"Write to {PHONE}."})
    wide = NoContact(leaking.data, frozenset({"contacts", "description"}))
    assert isinstance(shown(replace(leaking, no_contact=wide)), Withheld)
    assert contact_texts.no_contact(leaking.data, {"contacts", "description"}) is not None
    assert contact_texts.no_contact(leaking.data, {"contacts"}) is None


@given(
    texts=st.lists(
        st.one_of(
            st.text(st.characters(categories=["L", "N", "P", "Zs"]), max_size=30),
            st.sampled_from([PHONE, "aigul@example.org", "t.me/aigul_k", "@someone", "1 000"]),
        ),
        min_size=3,
        max_size=3,
    ),
    secret=st.booleans(),
)
@settings(max_examples=examples(60, 400), deadline=None)
def test_law_a_kept_search_gives_the_view_a_search_gives(texts: list[str], secret: bool) -> None:
    """Whatever a record's texts hold, its public view (and what it withholds) is the same
    with the search `validate` kept as with a search of its own."""
    data = d.secret_element() if secret else d.element("KZ-2026-0001")
    data["names"]["en"] = " ".join(texts[:2]) or "Aitys"
    data["description"]["en"] = texts[2]
    record = Record(RecordKind.ELEMENT, "elements/KZ-2026-0001.yaml", data, "ab" * 20)
    known = contact_texts.no_contact(data, {"contacts"})
    kept = replace(record, no_contact=known)
    assert audience.public_view_and_parts(kept, policy=POLICY) == (
        audience.public_view_and_parts(record, policy=POLICY)
    )


def test_the_record_cache_gives_back_the_search_with_the_data_it_speaks_of(
    inventory: Path,
) -> None:
    config = settings_io.load(inventory)
    data = element_data("KZ-2026-0001")
    blob = "cd" * 20
    with RecordCache.open(config) as cache:
        from ichinv.inventory.record_entries import encode, encode_outline

        cache.put_encoded(blob, (None, None), encode(data), encode_outline(data), None, ("x",))
        ((got, known),) = [cache.entries([blob])[blob]]
        assert known is not None and known.data is got and known.around == {"x"}
    with RecordCache.open(config) as cache:
        got, known = cache.entries([blob])[blob]
        assert got == data and known is not None and known.data is got
