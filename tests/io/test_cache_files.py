"""What every cache keeps a value as (ichinv.io.cache_files.pack): the value back exactly, or
nothing when the bytes were damaged, and damaged bytes never reach marshal (a length damaged
in them can make it reserve gigabytes: found by an outside attack, 4,843 of 150,000 one- to
four-byte changes of real entries did)."""

from __future__ import annotations

import marshal
import os
import stat
import struct
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ichinv.io import cache_files, cache_trust

PLAIN = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(PLAIN)
def test_a_value_comes_back_exactly(value: Any) -> None:
    packed = cache_files.pack(value)
    assert packed is not None
    back = cache_files.unpack(packed)
    assert back == value and type(back) is type(value)


@given(PLAIN, st.data())
def test_damaged_bytes_come_back_as_nothing(value: Any, data: st.DataObject) -> None:
    packed = bytearray(cache_files.pack({"value": value}) or b"")
    at = data.draw(st.integers(0, len(packed) - 1))
    flip = data.draw(st.integers(1, 255))
    packed[at] ^= flip
    assert cache_files.unpack(bytes(packed)) is None
    assert cache_files.unpack(bytes(packed[: data.draw(st.integers(0, len(packed) - 1))])) is None


def test_damaged_bytes_never_reach_marshal(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> Any:
        raise AssertionError("damaged bytes were handed to marshal")

    huge = b"[" + struct.pack("<i", 2**31 - 1)  # a list of two thousand million items
    kept = cache_files.pack(("KZ-2013-0001", "active"))
    assert kept is not None
    monkeypatch.setattr(marshal, "loads", refuse)
    for damaged in (huge, b"\x00\x00\x00\x00" + huge, kept[:4] + huge, kept[:-1], b"", None, 7):
        assert cache_files.unpack(damaged) is None


def test_what_marshal_cannot_keep_is_not_packed() -> None:
    assert cache_files.pack(object()) is None
    assert cache_files.pack({"when": 1j, "of": [set(), frozenset()]}) is not None


def test_missing_cache_folders_are_made_private_and_never_through_a_link(tmp_path: Path) -> None:
    base, elsewhere = tmp_path / "base", tmp_path / "elsewhere"
    base.mkdir()
    elsewhere.mkdir()
    old = os.umask(0o002)
    try:
        cache_trust.make_folders(base / "ichinv" / "inventory-0123456789abcdef")
    finally:
        os.umask(old)
    made = [base / "ichinv", base / "ichinv" / "inventory-0123456789abcdef"]
    assert [stat.S_IMODE(p.stat().st_mode) for p in made] == [0o700, 0o700]
    (base / "steered").symlink_to(elsewhere)  # put in the way after the check
    with pytest.raises(OSError):
        cache_trust.make_folders(base / "steered" / "inventory-0123456789abcdef")
    assert list(elsewhere.iterdir()) == []


def test_where_owners_cannot_be_told_the_cache_opens_without_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On systems without user ids (Windows) the checks cannot be made: folders are made the
    plain way and the database is opened where it is named (no compiled code is kept there)."""
    monkeypatch.setattr(cache_trust, "owners_known", lambda: False)
    for name in ("O_DIRECTORY", "O_NOFOLLOW"):
        monkeypatch.delattr(os, name)
    monkeypatch.setattr(os, "supports_dir_fd", set())
    path = tmp_path / "cache" / "ichinv" / "inventory-0123456789abcdef" / "results.sqlite"
    cache_files.connect(path).close()
    assert path.is_file()


def test_a_table_of_another_shape_is_made_again_and_one_of_the_same_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older ichinv (or a hand) made the table with other columns: it only holds a cache,
    so it is dropped and made as this version makes it; a table as this version makes it
    keeps its rows."""
    monkeypatch.delenv("ICHINV_NO_CACHE", raising=False)
    root = tmp_path / "inventory"
    root.mkdir()
    old = "CREATE TABLE IF NOT EXISTS kept (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
    new = "CREATE TABLE IF NOT EXISTS kept (key TEXT PRIMARY KEY, value BLOB, stored REAL)"
    for script, row in ((old, ("a", "old")), (new, ("b", b"new", 1.0))):
        for _time in range(2):
            db = cache_files.open_table(root, "kept", script)
            assert db is not None
            rows = list(db.execute("SELECT * FROM kept"))
            if not rows:
                db.execute(f"INSERT INTO kept VALUES ({', '.join('?' * len(row))})", row)
            db.close()
        assert rows == [row]  # kept from the first opening to the second
    db = cache_files.open_table(root, "kept", new)
    assert db is not None
    assert [c[1] for c in db.execute("PRAGMA table_info(kept)")] == ["key", "value", "stored"]
    db.close()
