"""A province packet made again from what an earlier run kept says exactly what one made afresh
says, and is made afresh as soon as anything it shows depends on changes.

Two caches (ichinv.packets.row_cache, ichinv.packets.since_cache): what the public is shown of
each element, by its record's bytes; and each element's status since the baseline, by the
state of the whole inventory. Held here against a packet made with no cache at all
(`ICHINV_NO_CACHE=1`) after every kind of change: a record, a record elsewhere, the baseline,
the schema's personal-data marks, a translation, the audience. Neither cache may hold what a
public packet does not print.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ichinv.core import trace
from ichinv.core.vocabulary import Lang
from ichinv.inventory.audience import Audience
from ichinv.io import cache_files
from ichinv.io import settings as settings_io
from ichinv.packets import api, row_cache
from ichinv.packets.builder import Request
from tests.support import packet_inventory
from tests.support.helpers import commit, examples

PROVINCE = "KZ-23"


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    return packet_inventory.build(tmp_path / "inventory")


def packet(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    caches: bool = True,
    audience: Audience = Audience.PUBLIC,
    lang: Lang = Lang.EN,
    province: str = PROVINCE,
) -> tuple[str, dict[str, int]]:
    """The province packet, and what making it counted (ICHINV_TRACE's counters)."""
    if caches:
        monkeypatch.delenv("ICHINV_NO_CACHE", raising=False)
    else:
        monkeypatch.setenv("ICHINV_NO_CACHE", "1")
    trace.reset()
    request = Request(provinces=(province,), audience=audience, lang=lang)
    config = settings_io.load(root)
    made = api.packets(config, request, api.read_inventory(config, request))
    counted = trace.counts()[0]
    monkeypatch.delenv("ICHINV_NO_CACHE", raising=False)
    return made[0].text, counted


def same_as_afresh(root: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> dict:
    """The packet made with the caches, after checking it is the one made with none: what
    making it counted."""
    text, counted = packet(root, monkeypatch, **options)  # type: ignore[arg-type]
    afresh, __ = packet(root, monkeypatch, caches=False, **options)  # type: ignore[arg-type]
    assert text == afresh
    return counted


def warmed(root: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> dict[str, int]:
    """Make the packet twice, as a user would: the first run reads the whole inventory (the
    record cache does not know which records are practised where yet), the second only the
    records the packet shows, and keeps what they show. What the second counted."""
    same_as_afresh(root, monkeypatch, **options)
    return same_as_afresh(root, monkeypatch, **options)


def database(root: Path) -> Path:
    return cache_files.database_path(root)


def kept_rows(root: Path) -> int:
    """How many rows the row cache of `root` keeps."""
    with sqlite3.connect(database(root)) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        if "packet_rows" not in tables:
            return 0
        (count,) = db.execute("SELECT count(*) FROM packet_rows").fetchone()
    return int(count)


@pytest.mark.parametrize("lang", list(Lang))
def test_a_packet_made_again_recalls_every_row_and_status_and_says_the_same(
    inventory: Path, monkeypatch: pytest.MonkeyPatch, lang: Lang
) -> None:
    first = warmed(inventory, monkeypatch, lang=lang)
    assert first["compare"] == 1
    shown = kept_rows(inventory)
    assert shown >= 3  # the elements practised in KZ-23 (and in the units it replaced)
    second = same_as_afresh(inventory, monkeypatch, lang=lang)
    assert second["row-cache"] == shown
    assert second.get("compare", 0) == 0


def test_an_edited_record_is_shown_as_it_is_now(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warmed(inventory, monkeypatch)
    shown = kept_rows(inventory)
    path = inventory / "elements" / "KZ-2025-0001.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["names"]["en"] = "Felt carpets of the steppe"
    data["viability"]["status"] = "in-danger"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    counted = same_as_afresh(inventory, monkeypatch)
    text, __ = packet(inventory, monkeypatch)
    assert "Felt carpets of the steppe" in text
    assert counted["compare"] == 1  # the inventory changed: compared afresh
    assert counted["row-cache"] == shown - 1


def test_an_edit_elsewhere_and_a_moved_baseline_compare_afresh(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import git

    warmed(inventory, monkeypatch)
    before, __ = packet(inventory, monkeypatch)
    # A province the packet does not show: its successors could change what KZ-23 holds.
    path = inventory / "provinces" / "KZ-43.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "notes: Renamed in 2026.\n", "utf-8")
    assert same_as_afresh(inventory, monkeypatch)["compare"] == 1
    assert same_as_afresh(inventory, monkeypatch).get("compare", 0) == 0
    # The baseline's tag moved to the latest commit: every element is unchanged since.
    repo = git.Repo(inventory)
    commit(repo, "Commit the edits")
    repo.git.tag("-f", "inventory-2013")
    assert same_as_afresh(inventory, monkeypatch)["compare"] == 1
    after, __ = packet(inventory, monkeypatch)
    assert after != before  # what was revised or added since the old baseline is not now
    assert same_as_afresh(inventory, monkeypatch).get("compare", 0) == 0


def test_a_schema_that_marks_more_personal_data_makes_every_row_afresh(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warmed(inventory, monkeypatch)
    path = inventory / "schema" / "element.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["names"]["x-ichinv-personal-data"] = True
    path.write_text(json.dumps(schema), encoding="utf-8")
    counted = same_as_afresh(inventory, monkeypatch)
    assert counted.get("row-cache", 0) == 0
    text, __ = packet(inventory, monkeypatch)
    assert "Baksy saryny" not in text  # names are personal data now: left out


def test_an_edited_translation_makes_every_row_afresh(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warmed(inventory, monkeypatch, lang=Lang.RU)
    assert same_as_afresh(inventory, monkeypatch, lang=Lang.RU)["row-cache"] == kept_rows(inventory)
    path = inventory / "templates" / "i18n" / "ru.yaml"
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    table["value"]["viability"]["at-risk"] = "ПРОВЕРКА перевода"
    path.write_text(yaml.safe_dump(table, allow_unicode=True), encoding="utf-8")
    counted = same_as_afresh(inventory, monkeypatch, lang=Lang.RU)
    assert counted.get("row-cache", 0) == 0
    assert "ПРОВЕРКА перевода" in packet(inventory, monkeypatch, lang=Lang.RU)[0]


def test_the_committees_rows_are_never_kept(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for __ in range(2):
        counted = same_as_afresh(inventory, monkeypatch, audience=Audience.COMMITTEE)
        assert counted.get("row-cache", 0) == 0
    assert kept_rows(inventory) == 0


def test_the_caches_hold_nothing_a_public_packet_does_not_print(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    public, __ = packet(inventory, monkeypatch)
    same_as_afresh(inventory, monkeypatch, audience=Audience.COMMITTEE)  # in the same database
    with sqlite3.connect(database(inventory)) as db:
        kept = [
            *(v for (v,) in db.execute("SELECT value FROM packet_rows")),
            *(v for (v,) in db.execute("SELECT value FROM since_statuses")),
        ]
    assert kept
    for value in kept:
        text = value.decode("utf-8", "replace")
        assert packet_inventory.CONTACT_SECRET not in text
        assert packet_inventory.RESTRICTED_SECRET not in text
        assert "+7 700 000 00" not in text
    assert packet_inventory.CONTACT_SECRET not in public


def test_a_damaged_or_foreign_entry_is_made_afresh(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warmed(inventory, monkeypatch)
    shown = kept_rows(inventory)
    with sqlite3.connect(database(inventory)) as db:
        rows = db.execute("SELECT blob, value FROM packet_rows ORDER BY blob").fetchall()
        assert len(rows) >= 3
        (one, first), (two, second), (three, __) = rows[:3]
        huge = b"[" + struct.pack("<i", 2**31 - 1)  # a damaged length: 2,147,483,647 items
        db.execute("UPDATE packet_rows SET value = ? WHERE blob = ?", (huge, one))
        db.execute("UPDATE packet_rows SET value = ? WHERE blob = ?", (first, two))  # another's
        db.execute("UPDATE packet_rows SET value = ? WHERE blob = ?", (b"", three))
        db.execute("UPDATE since_statuses SET value = ?", (first[:4] + huge,))
    counted = same_as_afresh(inventory, monkeypatch)
    assert counted["row-cache"] == shown - 3
    assert counted["compare"] == 1


def test_without_a_usable_cache_folder_the_packet_is_made_all_the_same(
    inventory: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    for __ in range(2):
        counted = same_as_afresh(inventory, monkeypatch)
        assert counted.get("row-cache", 0) == 0 and counted["compare"] == 1


def test_rows_kept_are_bounded(inventory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    warmed(inventory, monkeypatch)
    shown = kept_rows(inventory)
    for lang in Lang:
        packet(inventory, monkeypatch, lang=lang)
    assert kept_rows(inventory) == 3 * shown  # a row in each language: within the bound
    monkeypatch.setattr(row_cache, "MAX_ENTRIES_FACTOR", 0)
    monkeypatch.setattr(row_cache, "MIN_ENTRIES", shown)
    path = inventory / "elements" / "KZ-2025-0001.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    packet(inventory, monkeypatch)
    assert kept_rows(inventory) == shown  # the newest only


@pytest.mark.slow  # each language's recall is also checked on one province, in the quick run
def test_every_province_in_every_language_is_recalled_on_the_next_round(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a committee does before a meeting: every province's packet, in each language,
    for the public and for itself. The next round makes nothing again (found by review:
    rows were bounded by one province's size, and statuses kept for 16 packets only)."""
    monkeypatch.setattr(row_cache, "MIN_ENTRIES", 0)  # the bound itself, at this size
    provinces = sorted(packet_inventory.PROVINCES)

    def every() -> list[dict[str, int]]:
        return [
            packet(inventory, monkeypatch, province=pid, lang=lang, audience=audience)[1]
            for pid in provinces
            for lang in Lang
            for audience in Audience
        ]

    def stored() -> list[tuple[str, str, int]]:
        with sqlite3.connect(database(inventory)) as db:
            return sorted(db.execute("SELECT blob, context, stored FROM packet_rows"))

    every()
    every()
    before = stored()
    assert len(before) == 3 * len(list((inventory / "elements").glob("*.yaml")))
    assert all(counted.get("compare", 0) == 0 for counted in every())
    assert stored() == before  # every row recalled: none made and kept again


def test_a_copy_of_the_inventory_elsewhere_keeps_its_own(
    inventory: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    warmed(inventory, monkeypatch)
    copy = tmp_path / "copy"
    shutil.copytree(inventory, copy)
    assert same_as_afresh(copy, monkeypatch).get("row-cache", 0) == 0


# --- the law: recalled or made afresh, the same packet --------------------------------------

EDITS: dict[str, Callable[[dict[str, Any]], None]] = {
    "viability": lambda d: d.update(viability={"status": "in-danger", "assessed": "2026-01-10"}),
    "renamed": lambda d: d.update(
        names={**(d["names"] if isinstance(d.get("names"), dict) else {}), "en": "Renamed"}
    ),
    "moved": lambda d: d.update(provinces=["KZ-43"]),
    "moved here": lambda d: d.update(provinces=["KZ-23", "KZ-61"]),
    "restricted": lambda d: d.update(
        access={
            "level": "restricted",
            "restricted_parts": ["/description", "/names/en"],
            "reason": "Asked by the bearers.",
            "decided_by": "The bearers",
        }
    ),
    "withdrawn": lambda d: d.update(consent={"status": "withdrawn", "date": "2026-01-01"}),
    "retired": lambda d: d.update(status="retired"),
    "contact": lambda d: d.update(
        contacts=[{"name": f"Bearer {packet_inventory.CONTACT_SECRET}", "role": "bearer"}]
    ),
    "unknown key": lambda d: d.update(notes_private=packet_inventory.CONTACT_SECRET),
    "names withheld": lambda d: d.update(names=packet_inventory.CONTACT_SECRET),
}
ELEMENTS = ("KZ-2013-0001", "KZ-2013-0002", "KZ-2024-0001", "KZ-2024-0002", "KZ-2025-0001")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return packet_inventory.build(tmp_path_factory.mktemp("law") / "inventory")


@settings(
    max_examples=examples(3, 10),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    edits=st.lists(
        st.tuples(st.sampled_from(ELEMENTS), st.sampled_from(sorted(EDITS))),
        min_size=1,
        max_size=3,
    ),
    lang=st.sampled_from(list(Lang)),
)
@example(edits=[("KZ-2013-0001", "names withheld"), ("KZ-2013-0001", "renamed")], lang=Lang.EN)
def test_a_packet_recalled_after_any_edits_is_the_one_made_afresh(
    pristine: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    edits: list[tuple[str, str]],
    lang: Lang,
) -> None:
    root = tmp_path_factory.mktemp("edited") / "inventory"
    shutil.copytree(pristine, root, symlinks=True)
    warmed(root, monkeypatch, lang=lang)
    for eid, edit in edits:
        path = root / "elements" / f"{eid}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        EDITS[edit](data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        text, __ = packet(root, monkeypatch, lang=lang)
        afresh, __ = packet(root, monkeypatch, caches=False, lang=lang)
        assert text == afresh
        assert packet_inventory.CONTACT_SECRET not in text
        assert packet_inventory.RESTRICTED_SECRET not in text


def test_rows_kept_on_another_core_are_all_recalled_by_the_next_run(
    inventory: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Many rows are kept on another core while this one renders (Builder.keep_shows,
    KEEP_APART); the packet waits for them, so the next run recalls every one."""
    from ichinv.packets import builder

    monkeypatch.setattr(builder, "KEEP_APART", 1)
    monkeypatch.setenv("ICHINV_WORKERS", "2")
    noted = tmp_path / "kept-by"
    keep = builder.Builder._keep

    def kept_by(self: builder.Builder, *args: Any, **kwargs: Any) -> None:
        with noted.open("a") as out:
            out.write(f"{os.getpid()}\n")
        keep(self, *args, **kwargs)

    monkeypatch.setattr(builder.Builder, "_keep", kept_by)
    warmed(inventory, monkeypatch)
    shown = kept_rows(inventory)
    assert shown >= 3
    assert {int(pid) for pid in noted.read_text().split()} - {os.getpid()}  # kept elsewhere
    again = same_as_afresh(inventory, monkeypatch)
    assert again["row-cache"] == shown
