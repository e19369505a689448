"""The record cache: parsed records by blob id give back exactly what the reader gives, a
damaged or foreign entry is never used, and the caches are off when asked."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ichinv.core.model import Record, RecordKind
from ichinv.diff import change_cache
from ichinv.diff.fields import DiffRules, diff_records
from ichinv.inventory import record_cache, record_uses, view
from ichinv.inventory import record_files as records
from ichinv.inventory.fields import strings
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.record_entries import decode, encode, encode_outline, outline_of
from ichinv.io import cache_files, strict_yaml
from ichinv.io import settings as settings_module
from tests.support.helpers import REPO_ROOT, build_inventory, element_yaml, parse_calls


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (1 is not 1.0 nor True)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def test_every_record_of_the_repository_comes_back_as_the_reader_gave_it() -> None:
    for path in sorted((REPO_ROOT / "elements").glob("*.yaml")):
        data, _ = strict_yaml.load(path.read_bytes())
        encoded = encode(data)
        assert encoded is not None and same(decode(encoded), data), path.name


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)


@given(
    st.dictionaries(
        st.text(max_size=5),
        st.recursive(
            SCALARS,
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
            max_leaves=10,
        ),
        max_size=4,
    )
)
def test_data_of_the_reader_s_types_round_trips_exactly(data: dict[str, Any]) -> None:
    encoded = encode(data)
    assert encoded is not None and same(decode(encoded), data)


def test_bytes_that_are_no_entry_are_not_used() -> None:
    assert decode(b"") is None
    assert decode(b"not marshal at all") is None
    assert decode(encode({"a": 1})[:-3]) is None  # type: ignore[index]


@pytest.fixture
def inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = build_inventory(tmp_path / "inventory")
    monkeypatch.chdir(root)
    return root


def entries(root: Path) -> list[tuple[str, str]]:
    connection = sqlite3.connect(cache_files.database_path(root))
    try:
        return list(connection.execute("SELECT blob, context FROM records"))
    finally:
        connection.close()


def test_a_second_load_parses_nothing_and_gives_the_same_inventory(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = settings_module.load(inventory)
    first = view.load(config)
    parsed = parse_calls(monkeypatch)
    again = view.load(config)
    assert parsed == []
    assert [(r.path, r.blob) for r in again.elements] == [(r.path, r.blob) for r in first.elements]
    assert all(
        same(dict(a.data), dict(b.data))
        for a, b in zip(again.elements, first.elements, strict=True)
    )


def test_an_entry_of_another_context_is_not_used(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = settings_module.load(inventory)
    view.load(config)
    blob = entries(inventory)[0][0]
    with RecordCache.open(config) as cache:
        assert cache.data([blob])
    monkeypatch.setattr(RecordCache, "context", staticmethod(lambda settings: "another"))
    with RecordCache.open(config) as cache:
        assert cache.data([blob]) == {}


def test_a_damaged_entry_is_parsed_again(inventory: Path) -> None:
    config = settings_module.load(inventory)
    first = view.load(config)
    connection = sqlite3.connect(cache_files.database_path(inventory))
    connection.execute("UPDATE records SET data = X'00ff00'")
    connection.commit()
    connection.close()
    again = view.load(config)
    assert [dict(r.data) for r in again.elements] == [dict(r.data) for r in first.elements]


def test_without_the_cache_nothing_is_kept(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ICHINV_NO_CACHE", "1")
    view.load(settings_module.load(inventory))
    assert not cache_files.database_path(inventory).exists()


def test_changes_are_kept_by_both_blobs_and_answer_with_or_without_words(
    inventory: Path,
) -> None:
    config = settings_module.load(inventory)
    old_raw = element_yaml("KZ-2013-0009", description={"en": "One two three four. " * 10})
    new_raw = element_yaml("KZ-2013-0009", description={"en": "One two six four. " * 10})
    old = Record(RecordKind.ELEMENT, "elements/x.yaml", strict_yaml.load(old_raw.encode())[0])
    new = Record(RecordKind.ELEMENT, "elements/x.yaml", strict_yaml.load(new_raw.encode())[0])
    rules = DiffRules(long_text=20)
    changes = diff_records(old.data, new.data, rules)
    assert any(c.words for c in changes)
    with change_cache.ChangeCache.open(config, rules) as cache:
        cache.put("a" * 40, "b" * 40, changes)
    with change_cache.ChangeCache.open(config, rules) as cache:
        cache.prefetch([("a" * 40, "b" * 40)])
        assert cache.get("a" * 40, "b" * 40) == changes
    plain = DiffRules(long_text=20, words=False)
    with change_cache.ChangeCache.open(config, plain) as cache:
        cache.prefetch([("a" * 40, "b" * 40)])
        assert cache.get("a" * 40, "b" * 40) == diff_records(old.data, new.data, plain)
    other = DiffRules(long_text=30)
    with change_cache.ChangeCache.open(config, other) as cache:
        cache.prefetch([("a" * 40, "b" * 40)])
        assert cache.get("a" * 40, "b" * 40) is None


def test_many_blobs_are_read_in_one_pass_with_the_same_answer(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ichinv.inventory import record_cache

    config = settings_module.load(inventory)
    view.load(config)
    blobs = [blob for blob, _ in entries(inventory)] + ["0" * 40]
    with RecordCache.open(config) as cache:
        one_by_one = (cache.data(blobs), cache.facts(blobs))
        one_by_one_outlines = cache.outlines(blobs)
    monkeypatch.setattr(record_cache, "SCAN_FROM", 0)
    with RecordCache.open(config) as cache:
        assert (cache.data(blobs), cache.facts(blobs)) == one_by_one
    assert len(one_by_one[0]) == len(blobs) - 1
    with RecordCache.open(config) as cache:
        assert cache.outlines(blobs) == one_by_one_outlines
    assert len(one_by_one_outlines) == len(blobs) - 1


def test_an_outline_is_the_id_and_provinces_the_record_gives(inventory: Path) -> None:
    config = settings_module.load(inventory)
    loaded = view.load(config)
    with RecordCache.open(config) as cache:
        outlines = cache.outlines(r.blob for r in loaded.elements)
    assert outlines and all(
        outlines[r.blob] == (r.id, tuple(strings(r.data.get("provinces")))) for r in loaded.elements
    )
    assert outline_of({"id": 7, "provinces": ["KZ-23", 5, None, "KZ-YUZ"]}) == (
        None,
        ("KZ-23", "KZ-YUZ"),
    )
    assert outline_of({"provinces": "KZ-23"}) == (None, ())


def test_a_damaged_outline_is_not_used(inventory: Path) -> None:
    config = settings_module.load(inventory)
    view.load(config)
    connection = sqlite3.connect(cache_files.database_path(inventory))
    connection.execute("UPDATE records SET outline = X'00ff00'")
    connection.commit()
    connection.close()
    with RecordCache.open(config) as cache:
        assert cache.outlines(blob for blob, __ in entries(inventory)) == {}


def test_the_outlines_of_a_whole_listing_are_kept_as_one_row(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ichinv.inventory import record_cache

    monkeypatch.setattr(record_cache, "SCAN_FROM", 0)  # here a whole listing is a few records
    config = settings_module.load(inventory)
    blobs = [r.blob for r in view.load(config).elements]
    with RecordCache.open(config) as cache:
        first = cache.outlines(blobs)
    assert len(first) == len(blobs)
    database = cache_files.database_path(inventory)
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE records SET outline = NULL")
    # The entries' outlines gone: the whole answers by blob, for the same blobs in any order
    # and for some of them.
    with RecordCache.open(config) as cache:
        assert cache.outlines(reversed(blobs)) == first
        assert cache.outlines(blobs[1:]) == {b: first[b] for b in blobs[1:]}
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE wholes SET value = X'00ff00'")
    with RecordCache.open(config) as cache:
        assert cache.outlines(blobs) == {}  # damaged: not used
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE wholes SET value = ?", (cache_files.pack({"x": (None, ())}),))
    with RecordCache.open(config) as cache:
        assert cache.outlines(blobs) == {}  # the outlines of other blobs: not used
    # An outline of the wrong shape (found by an outside test: a crash) is not used; the
    # others are.
    for wrong in (7, ("KZ-2013-0001",), (None, "KZ-23"), (None, (5,))):
        damaged = dict(first) | {blobs[0]: wrong}
        with sqlite3.connect(database) as connection:
            connection.execute("UPDATE wholes SET value = ?", (cache_files.pack(damaged),))
        with RecordCache.open(config) as cache:
            assert cache.outlines(blobs) == {b: first[b] for b in blobs[1:]}


def test_a_listing_that_differs_in_a_few_blobs_looks_up_only_those(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state after an edit: the outlines of the last listing answer for the files that
    did not change, and only the edited one is looked up (at 10,000 records, looking up every
    outline took 0.06–0.09 s of a province packet)."""
    from ichinv.inventory import record_cache

    monkeypatch.setattr(record_cache, "SCAN_FROM", 0)
    config = settings_module.load(inventory)
    blobs = [r.blob for r in view.load(config).elements]
    with RecordCache.open(config) as cache:
        first = cache.outlines(blobs)
    data = {"id": "KZ-2026-0001", "provinces": ["KZ-23"]}
    edited = "0" * 40
    with RecordCache.open(config) as cache:
        cache.put_encoded(edited, (None, None), encode(data), encode_outline(data))
    asked: list[list[str]] = []
    decoded = RecordCache._decoded

    def counting(self: RecordCache, blobs: Any, *rest: Any) -> Any:
        asked.append(list(blobs))
        return decoded(self, asked[-1], *rest)

    monkeypatch.setattr(RecordCache, "_decoded", counting)
    now = [*blobs[1:], edited]
    with RecordCache.open(config) as cache:
        found = cache.outlines(now)
    assert [a for a in asked if a] == [[edited]]
    assert found == {b: first[b] for b in blobs[1:]} | {edited: ("KZ-2026-0001", ("KZ-23",))}
    # That listing is now kept too: the next run looks up nothing.
    asked.clear()
    with RecordCache.open(config) as cache:
        assert cache.outlines(now) == found
    assert [a for a in asked if a] == []


def test_the_outlines_of_two_listings_and_of_a_switched_branch_are_kept(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A province packet asks for the outlines of the working tree and of the baseline's
    files that differ, and an editor switches branches: none of these displaces another (the
    one whole they shared was written back and forth, every run, found by an outside review),
    and a damaged outline in a whole is looked up and replaced once."""
    from ichinv.inventory import record_cache

    monkeypatch.setattr(record_cache, "SCAN_FROM", 0)
    config = settings_module.load(inventory)
    view.load(config)
    blobs = sorted(blob for blob, __ in entries(inventory))
    branch_a, branch_b, baseline = blobs[:-1], blobs[1:], blobs[:2]
    asked: list[str] = []
    decoded = RecordCache._decoded

    def counting(self: RecordCache, wanted: Any, *rest: Any) -> Any:
        asked.extend(wanted := list(wanted))
        return decoded(self, wanted, *rest)

    monkeypatch.setattr(RecordCache, "_decoded", counting)
    for __ in range(2):
        for tree in (branch_a, branch_b):
            with RecordCache.open(config) as cache:
                cache.outlines(tree, "working-tree")
                cache.outlines(baseline, "c" * 40)
    asked.clear()
    for tree in (branch_a, branch_b):
        with RecordCache.open(config) as cache:
            assert len(cache.outlines(tree, "working-tree")) == len(tree)
            assert len(cache.outlines(baseline, "c" * 40)) == len(baseline)
    assert asked == []
    database = cache_files.database_path(inventory)
    with sqlite3.connect(database) as connection:
        (value,) = connection.execute(
            "SELECT value FROM wholes WHERE key = 'outlines working-tree'"
        ).fetchone()
        damaged = cache_files.unpack(value) | {blobs[0]: 7}
        connection.execute(
            "UPDATE wholes SET value = ? WHERE key = 'outlines working-tree'",
            (cache_files.pack(damaged),),
        )
    for __ in range(2):
        with RecordCache.open(config) as cache:
            assert len(cache.outlines(branch_a, "working-tree")) == len(branch_a)
    assert asked == [blobs[0]]


def test_a_snapshot_asks_the_cache_for_each_outline_once(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A province packet reads the outlines of every element, and its comparison with the
    baseline those of the files that changed: the second takes them from the first."""
    from ichinv.inventory import snapshots

    config = settings_module.load(inventory)
    view.load(config)
    asked: list[str] = []
    outlines = RecordCache.outlines

    def counting(self: RecordCache, blobs: Any, *rest: Any) -> Any:
        asked.extend(blobs := list(blobs))
        return outlines(self, blobs, *rest)

    monkeypatch.setattr(RecordCache, "outlines", counting)
    with RecordCache.open(config) as cache, snapshots.current(config, cache=cache) as tree:
        paths = tree.paths(RecordKind.ELEMENT)
        first = tree.outlines(paths)
        assert len(asked) == len(paths) == len(first)
        assert tree.outlines(reversed(paths)) == first
        assert tree.outlines(paths[:1]) == {paths[0]: first[paths[0]]}
    assert len(asked) == len(paths)


def test_a_blob_without_an_outline_in_the_whole_is_looked_up_again(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ichinv.inventory import record_cache

    monkeypatch.setattr(record_cache, "SCAN_FROM", 0)
    config = settings_module.load(inventory)
    blobs = [r.blob for r in view.load(config).elements]
    later = "0" * 40  # a record no run has parsed yet
    with RecordCache.open(config) as cache:
        assert later not in cache.outlines([*blobs, later])
    data = {"id": "KZ-2026-0001", "provinces": ["KZ-23"]}
    with RecordCache.open(config) as cache:
        cache.put_encoded(later, (None, None), encode(data), encode_outline(data))
    with RecordCache.open(config) as cache:
        assert cache.outlines([*blobs, later])[later] == ("KZ-2026-0001", ("KZ-23",))


def _made_by_hand(inventory: Path, *statements: str) -> None:
    """The cache database of `inventory` holding what `statements` make (before any run)."""
    path = cache_files.database_path(inventory)
    path.parent.mkdir(parents=True)
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def test_a_table_an_older_ichinv_made_is_made_again(inventory: Path) -> None:
    _made_by_hand(
        inventory,
        "CREATE TABLE records (blob TEXT PRIMARY KEY, context TEXT NOT NULL, quick_id TEXT, "
        "quick_status TEXT, data BLOB, stored INTEGER NOT NULL)",
        "INSERT INTO records VALUES ('a', 'old', NULL, NULL, NULL, 0)",
    )
    config = settings_module.load(inventory)
    first = view.load(config)  # keeps what it parsed
    kept = {blob for blob, __ in entries(inventory)}
    assert "a" not in kept and {r.blob for r in first.elements} <= kept
    with RecordCache.open(config) as cache:
        assert len(cache.outlines(r.blob for r in first.elements)) == len(first.elements)


def test_a_table_with_the_right_names_but_no_key_is_made_again(inventory: Path) -> None:
    _made_by_hand(
        inventory,
        "CREATE TABLE records (blob TEXT, context TEXT NOT NULL, quick_id TEXT, "
        "quick_status TEXT, outline BLOB, data BLOB, stored INTEGER NOT NULL)",
    )
    config = settings_module.load(inventory)
    first = view.load(config)
    with RecordCache.open(config) as cache:
        assert len(cache.data(r.blob for r in first.elements)) == len(first.elements)


def test_a_whole_each_run_uses_outlives_the_wholes_written_after_it(inventory: Path) -> None:
    """A baseline's listing and the reasons files do not parse are read by every run; the
    outlines of each state an editor passes through are written once. The first must not be
    dropped for the second (it was: after 8 edits the 44 defective files of the benchmark were
    parsed again)."""
    from ichinv.inventory import record_cache

    config = settings_module.load(inventory)
    with RecordCache.open(config) as cache:
        cache.put_whole("used by every run", {"a": (1, 2)})
        cache.put_whole("used once", {"b": 2})
    for run in range(2 * record_cache.WHOLES_KEPT):
        with RecordCache.open(config) as cache:
            assert cache.whole("used by every run") == {"a": (1, 2)}
            cache.put_whole(f"state {run}", {"run": run})
    with RecordCache.open(config) as cache:
        assert cache.whole("used by every run") == {"a": (1, 2)}
        assert cache.whole("used once") is None
        assert cache.whole("state 0") is None
        assert cache.whole(f"state {2 * record_cache.WHOLES_KEPT - 1}") is not None


def test_an_entry_read_long_after_it_was_stored_outlives_those_not_read(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The oldest entries are dropped first when the cache is full; a baseline's records are
    stored once and read by every diff, so reading one counts as new: editors' rounds of new
    versions do not push them out. It is noted beside the entry (the entry itself is not
    written again: a thousand read after a break took 0.06 s), once each STAMP_AFTER_NS, so
    that most reads write nothing."""
    config = settings_module.load(inventory)
    view.load(config)
    database = cache_files.database_path(inventory)
    blobs = sorted(blob for blob, __ in entries(inventory))  # an element and provinces
    assert len(blobs) >= 3

    def table(name: str) -> dict[str, int]:
        with sqlite3.connect(database) as connection:
            return dict(connection.execute(f"SELECT blob, stored FROM {name}"))  # noqa: S608

    def read() -> None:
        with RecordCache.open(config) as cache:
            assert cache.data(blobs[:1]) and cache.facts(blobs[1:2])

    fresh = table("records")
    read()
    assert table("records") == fresh and table("record_uses") == {}  # read soon: nothing written
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE records SET stored = 1")
    read()
    uses = table("record_uses")
    assert set(uses) == set(blobs[:2]) and all(stored > 1 for stored in uses.values())
    assert set(table("records").values()) == {1}  # not written again
    noted: list[object] = []
    with monkeypatch.context() as patch:
        patch.setattr(record_uses, "note", lambda *args: noted.append(args))
        read()
    assert noted == []  # noted once each STAMP_AFTER_NS: nothing to write
    # Full: the entries read outlive the others, with the one stored now, and what was noted
    # of an entry dropped is forgotten with it.
    with sqlite3.connect(database) as connection:
        connection.execute("INSERT INTO record_uses VALUES (?, 2)", (blobs[2],))
    monkeypatch.setattr(record_cache, "MIN_ENTRIES", 0)
    monkeypatch.setattr(record_cache, "MAX_ENTRIES_FACTOR", 1)
    with RecordCache.open(config) as cache:
        cache.size_hint = 3
        cache.put(records.blob_id(b"id: KZ-2026-0999\n"), b"id: KZ-2026-0999\n", {"id": "x"})
    kept = table("records")
    assert set(kept) == {*blobs[:2], records.blob_id(b"id: KZ-2026-0999\n")}
    assert set(table("record_uses")) == set(blobs[:2])


def test_a_cache_another_run_holds_locked_is_left_as_it_is(
    inventory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache made by an older ichinv lacks a table this one adds; when another run holds the
    database locked longer than a run waits, this run keeps nothing, and the cache is left as
    it is (it used to be deleted as if damaged, and the other run's writes with it)."""
    config = settings_module.load(inventory)
    view.load(config)
    database = cache_files.database_path(inventory)
    with sqlite3.connect(database) as connection:
        connection.execute("DROP TABLE record_uses")
    before = entries(inventory)
    monkeypatch.setattr(cache_files, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(database, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with RecordCache.open(config) as cache:
            assert not cache.active
    finally:
        holder.close()
    assert entries(inventory) == before
    with RecordCache.open(config) as cache:
        assert cache.active and cache.data([blob for blob, __ in before])


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_cold_validate_keeps_the_outlines_of_the_working_tree_as_one_row(
    inventory: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    """The first packet of a province after a cold `validate` (a fresh clone, a new version of
    ichinv) reads the outlines of the working tree from one entry: looking each up took 0.03 s
    of it at 10,000 records. They are the outlines of the records validate parsed."""
    from ichinv.inventory import record_cache
    from ichinv.inventory.snapshots import WORKING_TREE
    from ichinv.validate import api as validate_api

    monkeypatch.setattr(record_cache, "SCAN_FROM", 0)  # here a whole listing is a few records
    monkeypatch.setenv("ICHINV_WORKERS", workers)  # checked here, or by worker processes
    config = settings_module.load(inventory)
    validate_api.run(config)
    with sqlite3.connect(cache_files.database_path(inventory)) as connection:
        connection.execute("UPDATE records SET outline = NULL")  # only the whole can answer
    elements = view.load(config).elements
    with RecordCache.open(config) as cache:
        kept = cache.outlines((r.blob for r in elements), WORKING_TREE)
    assert kept == {r.blob: outline_of(r.data) for r in elements}
    # A warm run parses nothing: the whole stays as the cold run kept it.
    validate_api.run(config)
    with RecordCache.open(config) as cache:
        assert cache.outlines((r.blob for r in elements), WORKING_TREE) == kept
