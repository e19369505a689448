"""Files git does not vouch for (modified, untracked) are read and hashed once, then known by
their signature (size, times, inode) while it stays the same: with the same blob id and the
same id hint as reading them gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ichinv.core import trace
from ichinv.inventory import record_files as records
from ichinv.inventory import snapshots
from ichinv.inventory.record_cache import RecordCache
from ichinv.inventory.record_entries import facts_of
from ichinv.io import settings as settings_module


def _seen(root: Path, rel: str) -> tuple[tuple[str, str | None], int]:
    """(blob id, id hint) of `rel` in a snapshot of the working tree, and the files read."""
    config = settings_module.load(root)
    trace.reset()
    with RecordCache.open(config) as cache:
        tree = snapshots.current(config, cache=cache)
        seen = (tree.blob_of(rel), tree.hints.get(rel))
    return seen, trace.totals().get("read", 0)


@pytest.mark.parametrize("how", ["modified", "untracked"])
def test_a_file_git_does_not_vouch_for_is_read_once_while_its_signature_holds(
    git_inventory: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.setattr(records, "RACY_NS", 0)  # these files are seconds old, not minutes
    source = sorted((git_inventory / "elements").glob("*.yaml"))[0]
    path = source if how == "modified" else source.with_name("KZ-2013-0990.yaml")
    path.write_text(source.read_text("utf-8") + "# edited\n", "utf-8")
    rel = f"elements/{path.name}"
    first, reads = _seen(git_inventory, rel)
    assert reads == 1 and first == (records.blob_id(path.read_bytes()), first[1])
    assert first[1] is not None  # the id its `id:` line gives
    assert _seen(git_inventory, rel) == (first, 0)
    # Same size, same modification time, other bytes: the change time still tells.
    before = path.stat()
    path.write_text(path.read_text("utf-8").replace("# edited", "# EDITED"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    again, reads = _seen(git_inventory, rel)
    assert reads == 1 and again[0] == records.blob_id(path.read_bytes()) != first[0]


def test_a_file_changed_in_the_last_seconds_is_read_every_time(git_inventory: Path) -> None:
    path = sorted((git_inventory / "elements").glob("*.yaml"))[0]
    path.write_text(path.read_text("utf-8") + "# edited\n", "utf-8")
    rel = f"elements/{path.name}"
    assert _seen(git_inventory, rel)[1] == 1
    assert _seen(git_inventory, rel)[1] == 1  # not settled: never noted


def test_a_file_edited_after_the_listing_teaches_the_cache_nothing_about_the_listed_bytes(
    git_inventory: Path,
) -> None:
    """What a file says when read is kept under the id of the bytes read: a file edited between
    the listing and the reading (here: after it) must not give its new `id:` and `status:`
    lines to the blob id git listed, which names the old bytes in every later run."""
    path = sorted((git_inventory / "elements").glob("*.yaml"))[0]
    rel = f"elements/{path.name}"
    config = settings_module.load(git_inventory)
    listed_facts = facts_of(path.read_bytes())
    with RecordCache.open(config) as cache:
        tree = snapshots.current(config, cache=cache)
        listed = tree.blob_of(rel)
        assert listed == records.blob_id(path.read_bytes())  # git vouched for it: not read
        text = path.read_text("utf-8")
        path.write_text(text.replace("status: active", "status: removed", 1), "utf-8")
        edited = path.read_bytes()
        assert tree.facts([rel])[rel] == facts_of(edited)  # this run read the new bytes
    with RecordCache.open(config) as cache:
        assert cache.facts([listed]).get(listed, listed_facts) == listed_facts
        assert cache.facts([records.blob_id(edited)])[records.blob_id(edited)] == facts_of(edited)
