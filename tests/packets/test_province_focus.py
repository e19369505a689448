"""A packet of provinces reads only the records it may show, and says exactly what a packet made
from the whole inventory says.

The record cache keeps each record's outline (its id and provinces); `packet --province` leaves
out, unread, the records practised elsewhere, and compares with the baseline only the elements
it may show. Tried here on an inventory made to trip that up: elements under a unit that
ceased to exist, one moved to another province since the baseline, two files with one id, a
record without an id, files that cannot be read, a record renamed, one removed, one added.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks.generate import generate, revise
from ichinv.core.vocabulary import Lang
from ichinv.inventory import view
from ichinv.inventory.audience import Audience
from ichinv.io import settings as settings_io
from ichinv.packets import api
from ichinv.packets.builder import Request
from tests.support.helpers import build_file_tree, commit, element_data, element_yaml, init_repo

FORMER = "KZ-YUZ"
"""South Kazakhstan region: ceased to exist in 2018; its successors are KZ-61 and KZ-79."""


def _no_id() -> str:
    import yaml

    data = element_data("KZ-2030-0009", provinces=["KZ-61"])
    del data["id"]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("focus") / "inventory"
    generate(root, 30, defects=0.1)
    build_file_tree(
        root,
        {
            "elements/KZ-2030-0001.yaml": element_yaml("KZ-2030-0001", provinces=[FORMER]),
            "elements/KZ-2030-0002.yaml": element_yaml("KZ-2030-0002", provinces=["KZ-61"]),
            "elements/KZ-2030-0003.yaml": element_yaml("KZ-2030-0003", provinces=["KZ-61"]),
            "elements/KZ-2030-0004.yaml": element_yaml("KZ-2030-0004", provinces=["KZ-43"]),
            "elements/KZ-2030-0005.yaml": element_yaml("KZ-2030-0004", provinces=["KZ-61"]),
            "elements/KZ-2030-0007.yaml": element_yaml("KZ-2030-0007", provinces=["KZ-23"]),
            "elements/without-id.yaml": _no_id(),
        },
    )
    repo = init_repo(root)
    commit(repo, "baseline", tag="inventory-2013", date="2013-03-01T12:00:00+05:00")
    revise(root, [1, 2, 3, 4, 5])
    build_file_tree(
        root,
        {
            "elements/KZ-2030-0002.yaml": element_yaml(
                "KZ-2030-0002", provinces=["KZ-61"], status="retired"
            ),
            "elements/KZ-2030-0003.yaml": element_yaml("KZ-2030-0003", provinces=["KZ-43"]),
            "elements/KZ-2030-0006.yaml": element_yaml("KZ-2030-0006", provinces=["KZ-79"]),
            "elements/KZ-2030-0008.yaml": "id: KZ-2030-0008\nprovinces: [KZ-61\n",
        },
    )
    shutil.move(root / "elements/KZ-2030-0007.yaml", root / "elements/moved-0007.yaml")
    (root / "elements/KZ-2013-0001.yaml").unlink()
    return root


def rendered(root: Path, request: Request, *, whole: bool) -> list[tuple[str, str]]:
    settings = settings_io.load(root)
    inventory = view.load(settings) if whole else api.read_inventory(settings, request)
    return [(p.name, p.text) for p in api.packets(settings, request, inventory)]


PROVINCES = [("KZ-61",), ("KZ-79",), ("KZ-43",), ("KZ-23",), (FORMER,), ("KZ-61", "KZ-43")]


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("provinces", PROVINCES, ids="+".join)
def test_a_packet_of_provinces_says_what_one_made_from_the_whole_inventory_says(
    inventory: Path, audience: Audience, provinces: tuple[str, ...]
) -> None:
    request = Request(provinces=provinces, audience=audience, lang=Lang.EN)
    whole = rendered(inventory, request, whole=True)  # fills the record cache
    for __ in range(2):  # the cache knows the working tree, then the baseline's versions too
        assert rendered(inventory, request, whole=False) == whole


def test_it_reads_only_the_records_it_may_show(inventory: Path) -> None:
    settings = settings_io.load(inventory)
    every = {r.path for r in view.load(settings).elements}
    read = api.read_inventory(settings, Request(provinces=("KZ-61",)))
    kept = {r.path for r in read.elements}
    assert read.focus is not None and kept < every
    # Under the province, or under the unit it replaced, or not to be told apart unread: kept.
    assert {
        "elements/KZ-2030-0001.yaml",  # South Kazakhstan, which KZ-61 replaced
        "elements/KZ-2030-0002.yaml",
        "elements/KZ-2030-0004.yaml",  # two files with one id: both, for the problems
        "elements/KZ-2030-0005.yaml",
        "elements/without-id.yaml",
    } <= kept
    assert "elements/KZ-2030-0003.yaml" not in kept  # moved to KZ-43 since the baseline
    assert "elements/KZ-2030-0006.yaml" not in kept  # KZ-79


def test_without_the_record_cache_every_record_is_read(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICHINV_NO_CACHE", "1")
    settings = settings_io.load(inventory)
    read = api.read_inventory(settings, Request(provinces=("KZ-61",)))
    assert len(read.elements) == len(view.load(settings).elements)


def test_other_packets_read_the_whole_inventory(inventory: Path) -> None:
    settings = settings_io.load(inventory)
    for request in (
        Request(),
        Request(since="inventory-2013", provinces=("KZ-61",)),
        Request(provinces=("KZ-61",), elements=("KZ-2030-0006",)),
    ):
        assert api.read_inventory(settings, request).focus is None


@pytest.mark.parametrize(
    "ids",
    [
        {"KZ-2030-0002", "KZ-2030-0004", "KZ-2013-0001"},  # retired; two files; removed
        {"KZ-2030-0003", "KZ-2030-0007", "KZ-2030-0006"},  # moved away; renamed; added
        {"KZ-2014-0001", "KZ-2015-0001", "KZ-2030-0008", "KZ-2099-0001"},  # revised; unreadable
    ],
    ids=["retired-doubled-removed", "moved-renamed-added", "revised-unreadable-absent"],
)
def test_a_comparison_among_some_elements_answers_for_them_as_the_whole_one_does(
    inventory: Path, ids: set[str]
) -> None:
    from ichinv.diff import compare

    settings = settings_io.load(inventory)
    whole = {e.id: e for e in compare.compare(settings, "2013").elements if e.id in ids}
    for __ in range(2):
        part = compare.compare(settings, "2013", among=ids)
        assert {e.id: e for e in part.elements if e.id in ids} == whole
        assert len(part.elements) < len(compare.compare(settings, "2013").elements)
