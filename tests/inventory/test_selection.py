"""Picking elements by the filters of `list`, `export` and `show` (ichinv.inventory.selection)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ichinv.core.errors import UsageError
from ichinv.inventory import audience as redact
from ichinv.inventory import fields, selection
from ichinv.inventory import view as query
from ichinv.inventory.audience import Audience
from ichinv.inventory.element_view import element_view
from ichinv.io import settings
from tests.support import reading_data as d


@pytest.fixture
def inv(inventory: Path) -> query.Inventory:
    d.write(
        inventory,
        d.element("KZ-2026-0001"),
        d.element(
            "KZ-2026-0002",
            names={"kk": "Домбыра жасау", "ru": "Изготовление домбры", "en": "Dombra making"},
            domains=["craftsmanship", "performing-arts"],
            provinces=["KZ-YUZ"],
            consent={"status": "pending"},
            access={"level": "restricted", "reason": "The masters asked for it."},
            national_category=None,
        ),
        d.element("KZ-2026-0003", status="retired", status_change={"reason": "Gone."}),
    )
    return query.load(settings.load())


def ids(chosen: list) -> list[str]:
    return [rec.id for rec, _ in chosen]


def test_load_reads_elements_sorted_and_provinces(inv: query.Inventory) -> None:
    assert [r.id for r in inv.elements] == [
        "KZ-2013-0002",
        "KZ-2026-0001",
        "KZ-2026-0002",
        "KZ-2026-0003",
    ]
    assert inv.province_name("KZ-23") == "Atyrau Region"
    assert inv.province_name("KZ-23", "kk") == "Атырау облысы"
    assert [p.id for p in inv.focus_provinces()] == ["KZ-23"]


def test_no_filter_picks_everything(inv: query.Inventory) -> None:
    assert len(selection.select(inv, selection.Filters())) == 4


def test_filters_of_different_kinds_must_all_match(inv: query.Inventory) -> None:
    chosen = selection.select(
        inv,
        selection.Filters(domains=("craftsmanship",), statuses=("active",), provinces=("KZ-23",)),
    )
    assert ids(chosen) == ["KZ-2026-0001"]


def test_values_of_one_filter_match_any(inv: query.Inventory) -> None:
    chosen = selection.select(
        inv, selection.Filters(domains=("oral-traditions", "performing-arts"))
    )
    assert ids(chosen) == ["KZ-2013-0002", "KZ-2026-0002"]


def test_a_successor_province_finds_elements_of_its_former_unit(inv: query.Inventory) -> None:
    # KZ-YUZ (South Kazakhstan) was split into KZ-61 and KZ-79 in 2018.
    assert ids(selection.select(inv, selection.Filters(provinces=("KZ-79",)))) == ["KZ-2026-0002"]
    assert ids(selection.select(inv, selection.Filters(provinces=("KZ-YUZ",)))) == ["KZ-2026-0002"]
    assert ids(selection.select(inv, selection.Filters(provinces=("KZ-43",)))) == ["KZ-2013-0002"]


def test_name_matches_any_language_and_case(inv: query.Inventory) -> None:
    for needle in ("DOMBRA", "домбры", "Домбыра"):
        assert ids(selection.select(inv, selection.Filters(name=needle))) == ["KZ-2026-0002"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (selection.Filters(categories=("V",)), ["KZ-2026-0001", "KZ-2026-0003"]),
        (selection.Filters(statuses=("retired",)), ["KZ-2026-0003"]),
        (selection.Filters(consent=("pending",)), ["KZ-2026-0002"]),
        (selection.Filters(access=("restricted",)), ["KZ-2026-0002"]),
        (selection.Filters(sources=("order-50-2013",)), ["KZ-2013-0002"]),
    ],
)
def test_each_filter(inv: query.Inventory, filters: selection.Filters, expected: list[str]) -> None:
    assert ids(selection.select(inv, filters, Audience.COMMITTEE)) == expected


def test_public_selection_cannot_filter_on_what_it_withholds(inv: query.Inventory) -> None:
    # KZ-2026-0002 is restricted as a whole: its consent state is not public.
    assert (
        ids(selection.select(inv, selection.Filters(consent=("pending",)), Audience.PUBLIC)) == []
    )
    assert ids(
        selection.select(inv, selection.Filters(access=("restricted",)), Audience.PUBLIC)
    ) == ["KZ-2026-0002"]


def test_unknown_province_is_a_usage_error_with_a_suggestion(inv: query.Inventory) -> None:
    with pytest.raises(UsageError) as caught:
        selection.select(inv, selection.Filters(provinces=("KZ-24",)))
    assert "KZ-24" in caught.value.message
    assert caught.value.hint is not None and "KZ-23" in caught.value.hint


def test_unknown_element_suggests_a_close_id(inv: query.Inventory) -> None:
    with pytest.raises(UsageError) as caught:
        inv.element("KZ-2026-0010")
    assert caught.value.hint is not None and "KZ-2026-0001" in caught.value.hint


def test_unreadable_files_are_reported_not_fatal(inventory: Path) -> None:
    (inventory / "elements" / "KZ-2026-0005.yaml").write_text("id: [\n", encoding="utf-8")
    inv = query.load(settings.load())
    assert [r.id for r in inv.elements] == ["KZ-2013-0002"]
    assert [p.path for p in inv.problems] == ["elements/KZ-2026-0005.yaml"]


def test_text_in_falls_back_and_says_which_language() -> None:
    assert fields.text_in({"ru": "Айтыс", "kk": "Айтыс-kk"}, "en") == ("Айтыс", "ru")
    assert fields.text_in({"en": "Aitys"}, "kk") == ("Aitys", "en")
    assert fields.text_in({"uz": "Aytish"}, "en") == ("Aytish", "uz")
    assert fields.text_in({}, "en") == (None, "en")


def test_element_view_names_provinces_and_related(inv: query.Inventory) -> None:
    view = element_view(inv, "KZ-2026-0002", Audience.COMMITTEE, "ru")
    assert view.province_names == {"KZ-YUZ": "Южно-Казахстанская область"}
    assert view.withheld == ()
    public = element_view(inv, "KZ-2026-0002", Audience.PUBLIC, "en")
    assert [p.pointer for p in public.withheld] == [redact.WHOLE_RECORD]
    assert public.data["consent"].startswith("[withheld: consent not given")
