"""Rebuilds of `ichinv site`: when nothing changed, nothing is read or written; after any change
of any input, the rebuild writes exactly the files whose bytes change, and what it leaves in
the folder is byte for byte what a build from nothing makes (the law every case here holds)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ichinv.core import trace
from tests.site.conftest import files_of, published
from tests.support import reading_data as d
from tests.support.helpers import Result, commit, init_repo

Run = Callable[..., Result]
LANGS = ("kk", "ru", "en")
MARKER = ".ichinv-site"
SECOND = {"kk": "Екінші", "ru": "Второй", "en": "Second"}


@pytest.fixture
def inventory(site_inventory: Path, run: Run) -> Path:
    """Two elements, one linking the other by name, and a restricted one; committed, built."""
    d.write(
        site_inventory,
        d.element("KZ-2026-0001", related=[{"id": "KZ-2026-0002", "relation": "see-also"}]),
        d.element("KZ-2026-0002", names=SECOND),
        d.secret_element(),
    )
    commit(init_repo(site_inventory), "records")
    assert run("site", "--output", "site").exit_code == 0
    return site_inventory


def rebuild(run: Run, root: Path, tmp: Path, *args: str, status: int = 0) -> set[str]:
    """Rebuild `root`/site; check it against a build from nothing and that it wrote exactly
    the files whose bytes changed; the paths changed (written or removed)."""
    before = published(root / "site")
    result = run("site", "--output", "site", *args)
    assert result.exit_code == status, result.stdout + result.stderr
    after = published(root / "site")
    scratch = tmp / f"scratch-{len(list(tmp.glob('scratch-*')))}"
    assert run("site", "--output", str(scratch), *args).exit_code == status
    assert after == published(scratch)
    written = {p for p in after if before.get(p) != after[p]}
    removed = set(before) - set(after)
    assert f" {len(written)} written" in result.stdout, result.stdout
    assert f" {len(removed)} removed" in result.stdout, result.stdout
    assert_idle(run, *args, status=status)
    return written | removed


def assert_idle(run: Run, *args: str, status: int = 0) -> Result:
    """Building again changes nothing and parses no record; it reads only the record files
    git does not vouch are as committed (for their blob ids, as `validate` does)."""
    dirty = uncommitted(Path.cwd())
    trace.reset()
    result = run("site", "--output", "site", *args)
    counted = trace.totals()
    assert result.exit_code == status
    assert " 0 written" in result.stdout and " 0 removed" in result.stdout
    for event in ("parse", "record-cache", "schema-load"):
        assert counted.get(event, 0) == 0, (event, counted)
    assert counted.get("read", 0) <= len(dirty), counted
    return result


def uncommitted(root: Path) -> list[str]:
    done = subprocess.run(
        ["git", "status", "--porcelain", "--", "elements", "provinces"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def pages(eid: str) -> set[str]:
    return {f"{lang}/elements/{eid}.html" for lang in LANGS}


def test_nothing_changed_nothing_is_read_nor_written(inventory: Path, run: Run) -> None:
    site = inventory / "site"
    times = {p: (site / p).stat().st_mtime_ns for p in published(site)}
    assert not uncommitted(inventory)
    assert_idle(run)
    assert times == {p: (site / p).stat().st_mtime_ns for p in published(site)}


def test_a_record_changed_rebuilds_its_pages(inventory: Path, run: Run, tmp_path: Path) -> None:
    d.write(
        inventory,
        d.element("KZ-2026-0002", names=SECOND, description={"en": "Described anew."}),
    )
    assert rebuild(run, inventory, tmp_path) == pages("KZ-2026-0002")


def test_a_name_changed_rebuilds_the_pages_that_link_it(
    inventory: Path, run: Run, tmp_path: Path
) -> None:
    d.write(inventory, d.element("KZ-2026-0002", names={"kk": "Жаңа", "ru": "Новый", "en": "New"}))
    changed = rebuild(run, inventory, tmp_path)
    assert pages("KZ-2026-0002") | pages("KZ-2026-0001") <= changed
    assert "assets/search-index.js" in changed
    assert not pages("KZ-2026-0009") & changed


def test_a_province_changed(inventory: Path, run: Run, tmp_path: Path) -> None:
    path = inventory / "provinces" / "KZ-23.yaml"
    path.write_text(path.read_text("utf-8").replace("Atyrau Region", "Atyrau Oblast"), "utf-8")
    changed = rebuild(run, inventory, tmp_path)
    assert {"en/provinces/KZ-23.html", "en/elements/KZ-2026-0001.html"} <= changed
    # The Kazakh and Russian pages name it in their languages (but its own page lists all).
    assert not {"kk/elements/KZ-2026-0001.html", "ru/elements/KZ-2026-0001.html"} & changed


def test_a_template_and_a_label_changed(inventory: Path, run: Run, tmp_path: Path) -> None:
    base = inventory / "templates" / "site" / "_base.html.j2"
    base.write_text(base.read_text("utf-8").replace("</footer>", "<p>Edited</p></footer>"), "utf-8")
    changed = rebuild(run, inventory, tmp_path)
    assert {p for p in published(inventory / "site") if p.endswith(".html")} - {
        "index.html"
    } <= changed
    labels = inventory / "templates" / "i18n" / "en.yaml"
    labels.write_text(
        labels.read_text("utf-8").replace("    about: About", "    about: On"), "utf-8"
    )
    changed = rebuild(run, inventory, tmp_path)
    assert "en/about.html" in changed and pages("KZ-2026-0001") & changed
    assert all(p.startswith("en/") for p in changed), changed


def test_settings_options_and_code(
    inventory: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = rebuild(run, inventory, tmp_path, "--base-url", "https://example.org/ich")
    assert "sitemap.xml" in changed and pages("KZ-2026-0001") <= changed
    changed = rebuild(run, inventory, tmp_path, "--lang", "en,kk")
    assert "index.html" in changed and not any(
        p.startswith("ru/") for p in published(inventory / "site")
    )
    settings = inventory / "pyproject.toml"
    settings.write_text('[tool.ichinv]\nvisibility = "public"\n', "utf-8")
    rebuild(run, inventory, tmp_path)  # the same pages, found so by building them
    from ichinv.io import cache_files

    monkeypatch.setattr(cache_files, "code_digest", lambda: "another version of ichinv")
    trace.reset()
    again = run("site", "--output", "site")
    assert again.exit_code == 0 and " 0 written" in again.stdout
    assert trace.totals().get("record-cache", 0) + trace.totals().get("parse", 0) > 0
    assert_idle(run)


def test_output_files_deleted_or_edited_are_made_again(
    inventory: Path, run: Run, tmp_path: Path
) -> None:
    site = inventory / "site"
    (site / "en" / "about.html").unlink()
    edited = site / "kk" / "elements" / "KZ-2026-0001.html"
    edited.write_bytes(edited.read_bytes().replace(b"<main", b"<main data-x"))
    assert rebuild(run, inventory, tmp_path) == {"en/about.html", "kk/elements/KZ-2026-0001.html"}
    # Same size, another time: the bytes are looked at.
    same = site / "ru" / "index.html"
    raw = same.read_bytes()
    same.write_bytes(raw.replace(b"<main", b"<MAIN"))
    assert rebuild(run, inventory, tmp_path) == {"ru/index.html"}
    marker = json.loads((site / MARKER).read_text("utf-8"))
    entry = marker["files"]["ru/index.html"]
    assert entry["size"] == len(raw) and "mtime" not in entry
    # Same size and time put back: the bytes are still looked at.
    stat = same.stat()
    same.write_bytes(raw.replace(b"<main", b"<MAIN"))
    os.utime(same, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert rebuild(run, inventory, tmp_path) == {"ru/index.html"}


KILLED_AT_A_PAGE = """
import os, signal, sys
from ichinv.io import atomic
staged, at = atomic.stage, sys.argv[1]
def stage(path, *args, **kwargs):
    temporary = staged(path, *args, **kwargs)
    if path.as_posix().endswith("/" + at):
        os.kill(os.getpid(), signal.SIGKILL)
    return temporary
atomic.stage = stage
sys.argv = ["ichinv", *sys.argv[2:]]
from ichinv.cli import main
main()
"""
"""Runs ichinv killed once it has written the temporary file of a page (its first argument)."""


@pytest.mark.parametrize(
    ("at", "revert"),
    [("kk/elements/KZ-2026-0001.html", False), (MARKER, False), (MARKER, True)],
    ids=["at a page", "at the marker", "at the marker, the edit undone"],
)
def test_what_a_killed_build_left_is_removed_by_the_next(
    inventory: Path, run: Run, tmp_path: Path, at: str, revert: bool
) -> None:
    """Found by an outside test: `kk/elements/.KZ-2013-0007.html.*.tmp`, left by a build
    killed with SIGKILL, survived every later build and would have been published. (Killed
    as it began, the build leaves the marker of the last one: with the edit undone, the next
    build has the same inputs, and must not take the folder for as it was left.)"""
    record = inventory / "elements" / "KZ-2026-0001.yaml"
    edited_from = record.read_bytes()
    d.write(inventory, d.element("KZ-2026-0001", description={"en": "Described anew."}))
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AT_A_PAGE, at, "site", "--output", "site"],
        cwd=inventory,
        capture_output=True,
        check=False,
    )
    assert killed.returncode < 0, killed.stderr
    site = inventory / "site"
    name = Path(at).name
    assert [p for p in site.rglob("*.tmp") if p.name.startswith(f".{name}.")]  # left
    if revert:
        record.write_bytes(edited_from)
    again = run("site", "--output", "site")
    assert again.exit_code == 0, again.stderr
    assert list(site.rglob("*.tmp")) == []
    assert published(site) == published(_built(run, tmp_path))
    assert_idle(run)


def _built(run: Run, tmp_path: Path) -> Path:
    scratch = tmp_path / "scratch"
    assert run("site", "--output", str(scratch)).exit_code == 0
    return scratch


def test_files_like_temporary_ones_that_no_build_wrote_are_left_alone(
    inventory: Path, run: Run
) -> None:
    site = inventory / "site"
    kept = [site / ".notes.abcdefgh.tmp", site / "kk" / ".CNAME.abcdefgh.tmp"]
    for path in kept:
        path.write_text("not the site's", "utf-8")
    (inventory / "elements" / "KZ-2026-0002.yaml").unlink()
    assert run("site", "--output", "site").exit_code == 0
    assert all(path.read_text("utf-8") == "not the site's" for path in kept)


def test_records_removed_and_left_out(inventory: Path, run: Run, tmp_path: Path) -> None:
    (inventory / "elements" / "KZ-2026-0002.yaml").unlink()
    assert pages("KZ-2026-0002") <= rebuild(run, inventory, tmp_path)
    broken = inventory / "elements" / "KZ-2026-0001.yaml"
    broken.write_text("id: KZ-2026-0001\nnames: [unclosed\n", "utf-8")
    rebuild(run, inventory, tmp_path, status=1)
    # Left out again when nothing changed: said again, with the same exit code.
    again = assert_idle(run, status=1)
    assert "elements/KZ-2026-0001.yaml" in again.stderr


def test_the_private_overlay_changes_nothing_public(
    inventory: Path, run: Run, tmp_path: Path
) -> None:
    overlay = inventory.parent / "private"
    (overlay / "elements").mkdir(parents=True)
    (inventory / "pyproject.toml").write_text(
        f'[tool.ichinv]\nprivate_overlay = "{overlay.as_posix()}"\n', "utf-8"
    )
    rebuild(run, inventory, tmp_path)
    secret = "Overlay-only secret text"
    (overlay / "elements" / "KZ-2026-0009.yaml").write_text(
        f"id: KZ-2026-0009\ntransmission:\n  description:\n    en: {secret}\n", "utf-8"
    )
    assert_idle(run)
    assert not any(secret.encode() in data for data in files_of(inventory / "site").values())
    os.utime(inventory / "elements" / "KZ-2026-0009.yaml")
    assert_idle(run)
