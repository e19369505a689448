"""The folder a site is written to: only a folder `ichinv site` wrote before (it holds the
marker file `.ichinv-site`, which lists the files of the last build), an empty one, or a new
one — any other only with `--force`; never the inventory itself.

A rebuild writes only the files whose bytes changed and removes the files of the last build
that are no longer part of the site (a page of an element renumbered away); files it did not
write (a CNAME, a hand-made page) are left alone. Each file is written atomically
(ichinv.io.atomic).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ichinv.core.errors import UsageError, WriteRefused
from ichinv.io import atomic as files

MARKER = ".ichinv-site"
GENERATOR = "ichinv site"


@dataclass(frozen=True, slots=True)
class Written:
    """What a build changed in its folder."""

    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]


def check_folder(folder: Path, root: Path, *, force: bool) -> None:
    """Refuse a folder that is not the site's: a file, the inventory or a folder holding it,
    or (without `force`) a folder with files that no build of the site wrote."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            f"--output {folder} is a file, not a folder",
            hint="give a folder to write the site in (it is created if its parent exists)",
        )
    resolved = folder.resolve()
    if resolved == root.resolve() or root.resolve().is_relative_to(resolved):
        raise WriteRefused(
            f"--output {folder} would write the site over the inventory itself",
            hint="give a folder of its own, e.g. --output _site",
        )
    if not folder.is_dir() or force or (folder / MARKER).is_file():
        return
    with os.scandir(folder) as entries:
        if any(True for _ in entries):
            raise WriteRefused(
                f"{folder} is not empty and was not written by ichinv site (no {MARKER} file)",
                hint="choose a new or empty folder, or pass --force to write the site into it "
                "anyway (files of the same names are replaced, other files are left alone)",
            )


def previous(folder: Path) -> tuple[str, ...]:
    """The files the last build wrote into `folder` (from its marker; none when unreadable)."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    found = data.get("files") if isinstance(data, dict) else None
    return tuple(f for f in found if isinstance(f, str)) if isinstance(found, list) else ()


def marker(paths: list[str]) -> bytes:
    document = {"generator": GENERATOR, "files": sorted(paths)}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()


def write(folder: Path, site: Mapping[str, bytes]) -> Written:
    """Write `site` into `folder` (checked with check_folder): changed files only, then remove
    the last build's files that are gone from the site. The marker is written first with every
    file of both builds, so that an interrupted build still knows its files."""
    files.make_folder(folder)
    before = previous(folder)
    _put(folder, MARKER, marker(sorted({*before, *site})))
    written: list[str] = []
    unchanged = 0
    made: set[Path] = set()
    for path, data in site.items():
        target = files.inside(folder, path)
        if target.parent not in made:
            files.make_folder(target.parent, within=folder.resolve())
            made.add(target.parent)
        if _same(target, data):
            unchanged += 1
            continue
        files.write_bytes_atomic(target, data, overwrite=True)
        written.append(path)
    removed = []
    for path in sorted(set(before) - set(site)):
        if path == MARKER:
            continue
        target = files.inside(folder, path)
        if target.is_file() and not target.is_symlink():
            try:
                target.unlink()
            except OSError:
                continue
            removed.append(path)
    _put(folder, MARKER, marker(list(site)))
    return Written(tuple(written), unchanged, tuple(removed))


def _put(folder: Path, name: str, data: bytes) -> None:
    target = files.inside(folder, name)
    if not _same(target, data):
        files.write_bytes_atomic(target, data, overwrite=True)


def _same(target: Path, data: bytes) -> bool:
    """Whether `target` is a regular file holding exactly `data`."""
    try:
        if target.is_symlink() or not target.is_file() or target.stat().st_size != len(data):
            return False
        return target.read_bytes() == data
    except OSError:
        return False
