"""Packets of provinces and element dossiers read only the records they may show, and say
exactly what packets made from the whole inventory say.

The record cache keeps each record's outline (its id and provinces); `packet --province` and
`packet --element` leave out, unread, the records they do not show (an element's dossier shows
the names of the elements it refers to), and compare with the baselines only those they may
show. Tried here on an inventory made to trip that up: elements under a unit that ceased to
exist, one moved to another province since the baseline, two files with one id, a record
without an id, files that cannot be read, a record renamed, one removed, one added, one
merged into another, related elements.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from benchmarks.generate import generate, revise
from ichinv.core.vocabulary import Lang
from ichinv.inventory import view
from ichinv.inventory.audience import Audience
from ichinv.inventory.record_cache import RecordCache
from ichinv.io import forked
from ichinv.io import settings as settings_io
from ichinv.packets import api, province, since_cache
from ichinv.packets.builder import Builder, Request
from ichinv.render.markdown.escape import ident
from tests.support.helpers import (
    build_file_tree,
    commit,
    element_data,
    element_yaml,
    init_repo,
    open_databases,
)

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
            # An id not in an id's form, elsewhere: a problem every packet names, warm or cold.
            "elements/KZ-2030-0012.yaml": element_yaml("not-an-id", provinces=["KZ-79"]),
            "elements/KZ-2030-0010.yaml": element_yaml(
                "KZ-2030-0010",
                provinces=["KZ-43"],
                related=[
                    {"id": "KZ-2030-0001", "relation": "see-also"},
                    {"id": "KZ-2030-0011", "relation": "merged-from"},
                    {"id": "KZ-2099-0404", "relation": "see-also"},  # no such element
                ],
            ),
            "elements/KZ-2030-0011.yaml": element_yaml(
                "KZ-2030-0011",
                provinces=["KZ-23"],
                status="merged",
                status_change={"reason": "One practice.", "merged_into": "KZ-2030-0010"},
            ),
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


def same_as_whole(root: Path, request: Request) -> list[tuple[str, str]]:
    """The packets of `request` from the whole inventory (which fills the record cache),
    after checking that those from the focused one are the same: twice, as the cache knows the
    working tree and then the baseline's versions too."""
    whole = rendered(root, request, whole=True)
    for __ in range(2):
        assert rendered(root, request, whole=False) == whole
    return whole


def rendered(
    root: Path, request: Request, *, whole: bool, early: bool = True
) -> list[tuple[str, str]]:
    """The packets of `request` from the whole inventory, or read for them as `ichinv packet`
    reads it (with `early`: the comparison with the baseline started while it is read)."""
    settings = settings_io.load(root)
    if whole:
        return [(p.name, p.text) for p in api.packets(settings, request, view.load(settings))]
    ahead = api.comparison_ahead(settings, request) if early else None
    inventory = api.read_inventory(settings, request, ahead)
    return [(p.name, p.text) for p in api.packets(settings, request, inventory, early=ahead)]


PROVINCES = [("KZ-61",), ("KZ-79",), ("KZ-43",), ("KZ-23",), (FORMER,), ("KZ-61", "KZ-43")]


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("provinces", PROVINCES, ids="+".join)
def test_a_packet_of_provinces_says_what_one_made_from_the_whole_inventory_says(
    inventory: Path, audience: Audience, provinces: tuple[str, ...]
) -> None:
    same_as_whole(inventory, Request(provinces=provinces, audience=audience, lang=Lang.EN))


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("lang", [Lang.EN, Lang.KK])
@pytest.mark.parametrize(
    ("early", "rows_here"),
    [(True, 1.0), (False, 0.0), (False, 1.0)],
    ids=["started early", "rows shared", "rows made here"],
)
def test_a_packet_of_provinces_is_the_same_made_on_one_core_or_two(
    inventory: Path,
    audience: Audience,
    lang: Lang,
    early: bool,
    rows_here: float,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With two cores the comparison with the baseline is made on the other: started while
    the inventory is read (`early`, as `ichinv packet` reads it), or once it is read, and then
    followed by a share of the rows when there are more than this core makes meanwhile
    (ichinv.packets.province.start); on one, all of it here. (An earlier run's statuses since
    the baseline and rows are forgotten: with them, nothing is compared or made.)"""
    request = Request(provinces=("KZ-61", "KZ-43", FORMER), audience=audience, lang=lang)
    monkeypatch.setattr(since_cache, "recall", lambda root, at: None)
    monkeypatch.setattr(Builder, "recall_shows", lambda b: set())
    monkeypatch.setattr(province, "COMPARISON_ROWS", rows_here)
    shared: list[bool] = []
    start = province.start

    def noted_start(b: Any, pids: Any, ahead: Any = None) -> province.Started:
        started = start(b, pids, ahead)
        shared.append(bool(started.ahead))
        return started

    monkeypatch.setattr(province, "start", noted_start)
    monkeypatch.setenv("ICHINV_WORKERS", "1")
    one = rendered(inventory, request, whole=False, early=early)
    monkeypatch.setenv("ICHINV_WORKERS", "2")
    forks: list[bool] = []
    real = forked.Ahead.__init__

    def noted(self: forked.Ahead[Any], work: Any, *, spare: bool = False) -> None:
        real(self, work, spare=spare)
        if not spare:  # not the templates compiled meanwhile (Renderer.prepare_ahead)
            forks.append(self._pid is not None)

    monkeypatch.setattr(forked.Ahead, "__init__", noted)
    assert rendered(inventory, request, whole=False, early=early) == one
    assert rendered(inventory, request, whole=True) == one
    assert forks == [True, True]
    late = rows_here == 0.0
    assert shared == ([False, False, late] if early else [late] * 3)


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("provinces", PROVINCES, ids="+".join)
def test_the_comparison_started_early_is_of_the_elements_read_and_kept_as_one_started_late(
    inventory: Path, audience: Audience, provinces: tuple[str, ...]
) -> None:
    """What `started` is told (ichinv.inventory.view.load) are the ids of the elements the
    inventory then holds: the comparison started with them answers for those the packets
    show, and its answer is kept (on the other core) under the key a comparison started later
    keeps it under."""
    from ichinv.render.markdown import labels

    settings = settings_io.load(inventory)
    request = Request(provinces=provinces, audience=audience)
    view.load(settings)  # the record cache knows every record: the focus leaves some out
    told: list[frozenset[str]] = []
    early = api.comparison_ahead(settings, request)
    assert early is not None
    read = api.read_inventory(
        settings, request, lambda tree, ids: (told.append(ids), early(tree, ids))
    )
    assert read.focus is not None and told == [frozenset(read.by_id)]
    builder = Builder(settings, request, read, labels.load(settings.templates_dir, "en"))
    assert early.ahead is not None
    compared, statuses = early.ahead.result()
    assert compared is None and isinstance(statuses, dict) and statuses
    assert since_cache.recall(settings.root, since_cache.key(builder, "2013")) == statuses


def test_nothing_is_open_in_the_cache_database_when_the_comparison_may_fork(
    inventory: Path,
) -> None:
    """A process forked while a connection to an SQLite database is open must not use that
    database (the child would share the parent's locks): reading the inventory has none open
    when `started` is told."""
    settings = settings_io.load(inventory)
    view.load(settings)
    before = open_databases()  # this process's other tests may hold one (not `load`)
    opened: list[set[str]] = []
    api.read_inventory(
        settings, Request(provinces=("KZ-61",)), lambda tree, ids: opened.append(open_databases())
    )
    assert len(opened) == 1 and not opened[0] - before
    with RecordCache.open(settings):  # what the check sees when one is open
        assert open_databases() - before


def test_ichinv_packet_starts_the_comparison_while_it_reads_the_inventory(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command gives the reading of the inventory what starts the comparison (the
    packet of a province in a new state is then made about a tenth of a second sooner at
    10,000 records): a wiring that loses it leaves the packet right, only slower."""
    from ichinv.cli import app

    told: list[int] = []
    real = province.Early.__call__

    def noted(self: province.Early, tree: Any, ids: frozenset[str]) -> None:
        told.append(len(ids))
        real(self, tree, ids)

    monkeypatch.setattr(province.Early, "__call__", noted)
    monkeypatch.chdir(inventory)
    result = CliRunner().invoke(app.app, ["packet", "--province", "KZ-61"])
    assert result.exit_code in (0, 1), result.output  # 1: files that cannot be read
    assert "# Province packet" in result.stdout and len(told) == 1 and told[0] > 0


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


ELEMENTS = [
    ("KZ-2030-0010",),  # refers to three: one under a former unit, one merged, one absent
    ("KZ-2030-0011",),  # merged into KZ-2030-0010
    ("KZ-2030-0004",),  # held by two files
    ("KZ-2030-0002",),  # retired since the baseline
    ("KZ-2030-0007",),  # renamed
    ("KZ-2013-0002", "KZ-2030-0006"),  # revised; added
]


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("elements", ELEMENTS, ids="+".join)
def test_an_element_dossier_says_what_one_made_from_the_whole_inventory_says(
    inventory: Path, audience: Audience, elements: tuple[str, ...]
) -> None:
    same_as_whole(inventory, Request(elements=elements, audience=audience, lang=Lang.EN))
    both = Request(provinces=("KZ-79",), elements=elements, audience=audience, lang=Lang.EN)
    assert rendered(inventory, both, whole=False) == rendered(inventory, both, whole=True)


def test_a_dossier_reads_the_element_and_those_it_refers_to(inventory: Path) -> None:
    settings = settings_io.load(inventory)
    view.load(settings)
    read = api.read_inventory(settings, Request(elements=("KZ-2030-0010",)))
    assert read.focus is not None
    ids = set(read.by_id)
    assert {"KZ-2030-0010", "KZ-2030-0001", "KZ-2030-0011"} <= ids
    assert "KZ-2030-0006" not in ids and "KZ-2030-0002" not in ids


@pytest.mark.parametrize("wanted", ["KZ-2030-0099", "KZ-2030-0008", "KZ-2013-0001"])
def test_an_element_it_cannot_show_gets_the_answer_the_whole_inventory_gives(
    inventory: Path, wanted: str
) -> None:
    """No such element (the error suggests close ids from all of them), a file that cannot be
    read, a record removed: read with every record, the same error as before."""
    from ichinv.core.errors import IchinvError

    settings = settings_io.load(inventory)
    request = Request(elements=(wanted,))
    assert api.read_inventory(settings, request).focus is None
    with pytest.raises(IchinvError) as focused:
        api.packets(settings, request, api.read_inventory(settings, request))
    with pytest.raises(IchinvError) as whole:
        api.packets(settings, request, view.load(settings))
    assert (focused.value.message, focused.value.hint) == (whole.value.message, whole.value.hint)


def test_other_packets_read_the_whole_inventory(inventory: Path) -> None:
    settings = settings_io.load(inventory)
    for request in (Request(), Request(since="inventory-2013", provinces=("KZ-61",))):
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


@pytest.fixture
def odd_provinces(tmp_path: Path) -> Path:
    """Province records the packet must read as the whole inventory does: a second file with
    the id KZ-YUZ and no successors (the first file, by path, is the one that counts), and a
    record with an empty id that KZ-61 replaced. Found by an outside test: the focus had
    taken the last file of a doubled id, and left out the empty one."""
    root = tmp_path / "inventory"
    generate(root, 12)
    kept = [
        line
        for line in (root / "provinces/KZ-YUZ.yaml").read_text("utf-8").splitlines()
        if not line.startswith(("successors:", "  - KZ-61", "  - KZ-79"))
    ]
    build_file_tree(
        root,
        {
            "provinces/KZ-YUZ2.yaml": "\n".join(kept) + "\n",
            "provinces/ZZ.yaml": 'schema_version: 2\nid: ""\nnames: {kk: Бос, ru: Пусто, '
            "en: Empty}\nsuccessors:\n  - KZ-61\n",
            "elements/KZ-2030-0001.yaml": element_yaml("KZ-2030-0001", provinces=[FORMER]),
            "elements/KZ-2030-0002.yaml": element_yaml("KZ-2030-0002", provinces=[""]),
        },
    )
    commit(init_repo(root), "baseline", tag="inventory-2013", date="2013-03-01T12:00:00+05:00")
    return root


def test_the_units_a_province_replaced_are_those_of_the_whole_inventory(
    odd_provinces: Path,
) -> None:
    request = Request(provinces=("KZ-61",), lang=Lang.EN, audience=Audience.COMMITTEE)
    whole = same_as_whole(odd_provinces, request)
    assert ident("KZ-2030-0001") in whole[0][1]
    # A province record whose id is not a province id's form (`""` here; it could be
    # anything, an e-mail address too) is left out, for the committee too, and its file is
    # named among the records that could not be read: no unit it replaced is taken from it.
    assert ident("KZ-2030-0002") not in whole[0][1] and "provinces/ZZ.yaml" in whole[0][1]
    # The public does not see a province reference the schema's pattern rejects (`""` here; it
    # could be anything): the element is listed under the provinces it names in due form.
    public = same_as_whole(odd_provinces, Request(provinces=("KZ-61",), lang=Lang.EN))
    assert ident("KZ-2030-0001") in public[0][1] and ident("KZ-2030-0002") not in public[0][1]


def test_a_packet_says_the_same_of_a_baseline_it_cannot_compare_with_however_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No git repository, and settings that name no baseline: the packet's note says why it
    has no statuses since the baseline the same way whether the comparison was started while
    the inventory was read or afterwards (found by an outside review: the early start named
    the missing repository, the late one the missing baseline)."""
    monkeypatch.delenv("ICHINV_NO_CACHE", raising=False)
    root = tmp_path / "inventory"
    generate(root, 40)
    (root / "pyproject.toml").write_text("[tool.ichinv]\n", "utf-8")
    request = Request(provinces=("KZ-61",), elements=("KZ-2014-0002",))
    whole = rendered(root, request, whole=True)
    for __ in range(2):  # the record cache empty, then knowing every outline
        assert rendered(root, request, whole=False) == whole
    assert "no baseline named '2013'" in whole[0][1]


@pytest.mark.parametrize("audience", list(Audience))
def test_a_dossier_made_with_a_province_packet_takes_the_comparison_started_early(
    inventory: Path, audience: Audience, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--province` with `--element`: the comparison started while the inventory is read
    (ichinv.packets.province.Early, on the other core) comes back whole for the dossier,
    which shows each field changed, and is not made again here."""
    from ichinv.core import trace

    monkeypatch.setenv("ICHINV_WORKERS", "2")
    monkeypatch.setattr(since_cache, "recall", lambda root, at: None)
    request = Request(
        provinces=("KZ-61",), elements=("KZ-2014-0002",), audience=audience, lang=Lang.EN
    )
    whole = rendered(inventory, request, whole=True)
    trace.reset()
    assert rendered(inventory, request, whole=False) == whole
    assert trace.counts()[0]["compare"] == 1


@pytest.mark.parametrize("audience", list(Audience))
def test_a_large_inventorys_packet_looks_up_its_statuses_apart_and_says_the_same(
    inventory: Path, audience: Audience, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From APART_FILES record files the statuses since the baseline are looked up on another
    core even when an earlier run kept them (ichinv.packets.province.Early): compared and
    kept there the first time, recalled there the next. The packets are the same."""
    monkeypatch.setenv("ICHINV_WORKERS", "2")
    request = Request(provinces=("KZ-61", "KZ-43"), audience=audience, lang=Lang.EN)
    whole = rendered(inventory, request, whole=True)
    monkeypatch.setattr(province, "APART_FILES", 1)
    forks: list[bool] = []
    real = forked.Ahead.__init__

    def noted(self: forked.Ahead[Any], work: Any, *, spare: bool = False) -> None:
        real(self, work, spare=spare)
        if not spare:
            forks.append(self._pid is not None)

    monkeypatch.setattr(forked.Ahead, "__init__", noted)
    for __ in range(2):  # compared there, then recalled there
        forks.clear()
        assert rendered(inventory, request, whole=False) == whole
        assert forks == [True]
