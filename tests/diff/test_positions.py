"""A part restricted by its position in a list, in a record whose list is reordered: the diff
matches items by key, so each value of a change is judged where its item stands in the version
that restricts it (ichinv.inventory.positions, ichinv.inventory.changes_view). An outside tester
(atkX, finding 1) found the earlier value of `/communities/0` printed once the list was
reordered, as it was restricted then and as it is restricted now."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ichinv.core.model import Change, ChangeKind
from ichinv.diff.fields import diff_records
from ichinv.inventory.changes_view import public_changes
from ichinv.inventory.positions import Locator
from ichinv.inventory.withheld_since import other_version
from tests.diff.test_engine import RULES
from tests.support.helpers import element_data, examples

WHERE = Locator(RULES)
REASON = "Sacred lineage"


def element(communities: list[dict[str, Any]], restricted: int | None = None) -> dict[str, Any]:
    """An element with `communities`, its item `restricted` (a position) restricted."""
    access: dict[str, Any] = {"level": "public"}
    if restricted is not None:
        access = {
            "level": "restricted",
            "restricted_parts": [f"/communities/{restricted}"],
            "reason": REASON,
        }
    return element_data("KZ-2026-0901", communities=communities, access=access)


def community(name: str, description: str | None = None) -> dict[str, Any]:
    found = {"name": name, "kind": "group", "role": "custodians"}
    return found | ({"description": description} if description is not None else {})


def shown(changes: tuple[Change, ...]) -> str:
    return json.dumps([(c.pointer, c.old, c.new, c.words) for c in changes], ensure_ascii=False)


# --- locating a part in another version ---------------------------------------------------------


def test_an_item_is_found_by_its_key_in_another_order() -> None:
    old = element([community("Healers"), community("Open")])
    new = element([community("Open"), community("Healers", "now")])
    assert WHERE(old, "/communities/0/description", new) == "/communities/1/description"
    assert WHERE(new, "/communities/0", old) == "/communities/1"


def test_a_position_that_cannot_be_told_is_any_position() -> None:
    old = element([community("Healers"), community("Open")])
    new = element([community("Open")])
    assert WHERE(old, "/communities/0/role", new) == "/communities/*/role"  # not held
    assert WHERE(old, "/communities/*", new) == "/communities/*"
    assert WHERE(old, "/communities/7", new) == "/communities/*"  # no such item
    assert WHERE(old, "/description/en", new) == "/description/en"


def test_plain_values_are_found_by_value_once_on_each_side() -> None:
    old = element_data("KZ-2026-0901", domains=["rituals", "crafts"])
    new = element_data("KZ-2026-0901", domains=["crafts", "rituals", "crafts"])
    assert WHERE(old, "/domains/0", new) == "/domains/1"
    assert WHERE(old, "/domains/1", new) == "/domains/*"  # twice there: which one is not told


# --- the two forms the tester found --------------------------------------------------------------


def test_restricted_then_and_the_list_reordered_since_keeps_the_old_value_hidden() -> None:
    before = element([community("Healers", "LEAK1 the hidden spring"), community("Open")], 0)
    after = element([community("Open"), community("Healers", "LEAK2 published words")])
    public = public_changes(diff_records(before, after, RULES), before=before, after=after)
    assert "LEAK1" not in shown(public)
    # public now: its new value is shown, the old one said to have been restricted then
    (healers,) = [c for c in public if c.pointer.startswith("/communities")]
    assert healers.pointer == "/communities/1"
    assert healers.old_withheld == "restricted" and "LEAK2" in shown(public)


def test_restricted_now_in_another_order_hides_the_value_removed() -> None:
    before = element([community("Open"), community("Healers", "LEAK1 the old words")])
    after = element([community("Healers"), community("Open")], 0)
    public = public_changes(diff_records(before, after, RULES), before=before, after=after)
    assert "LEAK1" not in shown(public)
    assert [(c.pointer, c.withheld) for c in public if "communities" in c.pointer] == [
        ("/communities/0", True)
    ]


def test_restricted_today_in_another_order_hides_both_values_of_a_past_change() -> None:
    before = element([community("Healers", "LEAK1 first"), community("Open")])
    after = element([community("Healers", "LEAK2 second"), community("Open", "open words")])
    today = element([community("Open", "open words"), community("Healers", "LEAK2 second")], 1)
    public = public_changes(
        diff_records(before, after, RULES),
        before=before,
        after=after,
        others=[other_version(today)],
        locate=WHERE,
    )
    assert "LEAK" not in shown(public) and "open words" in shown(public)
    # without a way to locate the change in today's record, every position is judged as any
    blind = public_changes(
        diff_records(before, after, RULES),
        before=before,
        after=after,
        others=[other_version(today)],
    )
    assert "LEAK" not in shown(blind) and "open words" not in shown(blind)


def test_a_change_that_does_not_say_where_it_lies_is_judged_at_any_position() -> None:
    before = element([community("Open"), community("Healers", "LEAK1 old")])
    after = element([community("Healers", "LEAK2 new"), community("Open")], 0)
    made_elsewhere = Change("/communities/1/description", ChangeKind.CHANGED, "LEAK1", "LEAK2")
    (public,) = public_changes([made_elsewhere], before=before, after=after)
    assert public.withheld and "LEAK" not in shown((public,))


# --- the law ------------------------------------------------------------------------------------

NAMES = ("Healers", "Weavers", "Singers", "Open community", "Elders")


@st.composite
def reorderings(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], str]:
    """Three versions (before, after, today) of one list of communities, each in its own order;
    one community restricted, by its position, in one of them (the others public); its texts
    are marked `SECRET`, and may change, be added or be removed between the versions."""
    names = list(draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=5, unique=True)))
    secret = draw(st.sampled_from(names))
    where = draw(st.sampled_from(("before", "after", "today")))

    def text(name: str, version: str) -> str | None:
        kept = draw(st.sampled_from(("same", "changed", "none")))
        if kept == "none":
            return None
        mark = "SECRET" if name == secret else "words"
        return f"{mark} of {name} {version if kept == 'changed' else 'always'}"

    versions = {}
    for version in ("before", "after", "today"):
        items = [community(n, text(n, version)) for n in names]
        kept = [i for i in items if i["name"] == secret or draw(st.booleans())]
        order = draw(st.permutations(kept))
        place = next(i for i, c in enumerate(order) if c["name"] == secret)
        versions[version] = element(list(order), place if version == where else None)
    return versions["before"], versions["after"], versions["today"], where


@given(reorderings())
@settings(max_examples=examples(100, 300), deadline=None)
def test_a_restricted_entry_s_texts_never_show_whatever_the_order(
    versions: tuple[dict[str, Any], dict[str, Any], dict[str, Any], str],
) -> None:
    before, after, today, where = versions
    public = public_changes(
        diff_records(before, after, RULES),
        before=before,
        after=after,
        others=[other_version(today)],
        locate=WHERE,
    )
    said = shown(public)
    if where == "before":  # public since: what it recorded then alone stays hidden
        assert not re.search(r"SECRET of [^\"]* before", said), said
    else:  # restricted after the change, or today: neither of its values shows
        assert "SECRET" not in said, said
