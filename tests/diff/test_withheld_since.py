"""A law of public views of changes: a text that the newer version of a record withholds never
appears in them, whatever public field the older version held it in and whether or not the
change restricted more (ichinv.inventory.changes_view.Since; attack of 7 December 2026,
item 2)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ichinv.diff.fields import diff_records
from ichinv.inventory.changes_view import public_changes
from ichinv.inventory.positions import Locator
from ichinv.inventory.withheld_since import other_version, restricts_more
from tests.diff.test_engine import RULES
from tests.support.helpers import element_data

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9)
PLACE = {"place": "Lesser-known mazars", "province": "KZ-43"}


def record(description: str, name: str, note: str | None, access: dict[str, Any]) -> dict:
    place = PLACE | ({"note": note} if note else {})
    return element_data(
        "KZ-2026-0901",
        names={"kk": "Зиярат", "ru": "Зиярат", "en": name},
        description={"en": description},
        locations=[place],
        access=access,
    )


@settings(max_examples=40, deadline=None)
@given(
    secret=st.lists(WORDS, min_size=3, max_size=12).map(" ".join),
    before_words=st.lists(WORDS, max_size=5).map(" ".join),
    in_name=st.booleans(),
    restricted_before=st.booleans(),
    upper=st.booleans(),
)
def test_a_text_the_newer_version_withholds_is_in_no_public_change(
    secret: str, before_words: str, in_name: bool, restricted_before: bool, upper: bool
) -> None:
    restricted = {"level": "restricted", "restricted_parts": ["/locations"], "reason": "Sacred"}
    older_access = restricted if restricted_before else {"level": "public"}
    text = f"{before_words} {secret}." if before_words else secret
    before = record(
        "Visiting shrines." if in_name else text,
        f"Ziyarat, {secret}" if in_name else "Ziyarat",
        None,
        older_access,
    )
    after = record(
        "Visiting shrines today.", "Ziyarat", secret.upper() if upper else secret, restricted
    )
    changes = diff_records(before, after, RULES)
    for today in (None, after):
        shown = public_changes(
            changes,
            before=before,
            after=after,
            others=[other_version(after)] if today is not None else (),
            locate=Locator(RULES),
            today=today,
        )
        printed = json.dumps([[c.old, c.new, c.words] for c in shown], ensure_ascii=False)
        assert secret not in printed.casefold(), (secret, printed)
    assert "today" in printed  # the new, public description is shown


@pytest.mark.parametrize("parts", [["names"], [5], ["*"], ["/names/en"]])
def test_a_whole_restriction_that_names_parts_it_cannot_read_restricts_more(
    parts: list[object],
) -> None:
    """Both versions' access unreadable, the older restricting all, the newer listing a part
    that is no pointer: a ValueError (exit 3) where it restricts more (privacy fails closed)."""
    older = {"access": {"level": "restricted", "decided_by": 5}}
    newer = {"access": {"level": "restricted", "restricted_parts": parts}}
    assert restricts_more(older, newer)
