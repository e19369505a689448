"""A commit's record files: listed by git once, then taken from the record cache (a commit id
names the same files for ever), the same files either way."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import git

from ichinv.core import trace
from ichinv.inventory import snapshots
from ichinv.inventory.record_cache import RecordCache
from ichinv.io import cache_files
from ichinv.io import settings as settings_module
from tests.support.helpers import commit


def _listed(root: Path, rev: str) -> tuple[dict[str, tuple[str, str]], int]:
    """Path → (kind, blob id) of the record files at `rev`, and how often git listed them."""
    config = settings_module.load(root)
    trace.reset()
    with RecordCache.open(config) as cache:
        snapshot = snapshots.at_commit(config, rev, cache=cache)
        files = {p: (f.kind.value, f.blob) for p, f in snapshot.files.items()}
        links = {p for p in files if snapshot.blob_of(p) == ""}
        snapshot.close()
    return files | dict.fromkeys(links, ("link", "")), trace.totals().get("list-commit", 0)


def test_a_commit_is_listed_by_git_once_and_then_read_back_the_same(git_inventory: Path) -> None:
    elements = git_inventory / "elements"
    first = sorted(elements.glob("*.yaml"))[0]
    os.symlink(first.name, elements / "KZ-2013-0999.yaml")  # git stores a symbolic link
    commit(git.Repo(git_inventory), "a link")
    listed, calls = _listed(git_inventory, "HEAD")
    assert calls == 1
    assert listed["elements/KZ-2013-0999.yaml"] == ("link", "")
    again, calls = _listed(git_inventory, "HEAD")
    assert (again, calls) == (listed, 0)
    baseline, calls = _listed(git_inventory, "inventory-2013")  # another commit: git again
    assert calls == 1 and "elements/KZ-2013-0999.yaml" not in baseline


def test_a_damaged_listing_in_the_cache_is_listed_by_git_again(git_inventory: Path) -> None:
    listed, __ = _listed(git_inventory, "HEAD")
    with sqlite3.connect(cache_files.database_path(git_inventory)) as connection:
        assert connection.execute("UPDATE wholes SET value = X'00ff00'").rowcount == 1
    assert _listed(git_inventory, "HEAD") == (listed, 1)
    with sqlite3.connect(cache_files.database_path(git_inventory)) as connection:
        # Well-formed, of another shape: a kind ichinv does not know.
        shape = cache_files.pack([("recipe", "elements/x.yaml", "0" * 40, False)])
        connection.execute("UPDATE wholes SET value = ?", (shape,))
    assert _listed(git_inventory, "HEAD") == (listed, 1)
    # Of the right shape but wrong types (found by an outside test: a crash, every run).
    for wrong in ((None, "0" * 40), ("elements/x.yaml", None), (7, "0" * 40)):
        with sqlite3.connect(cache_files.database_path(git_inventory)) as connection:
            row = cache_files.pack([("element", *wrong, False)])
            connection.execute("UPDATE wholes SET value = ?", (row,))
        assert _listed(git_inventory, "HEAD") == (listed, 1)
