"""The folder a site is written to: only a folder `ichinv site` wrote before (it holds the
marker file `.ichinv-site`, which lists the files of the last build), an empty one, or a new
one — any other only with `--force`; never the inventory itself.

A rebuild makes only the files whose inputs changed (the marker keeps, for each file, the
digest of what it was made from and of its bytes: a file with the same inputs that nobody
touched is neither rendered nor written), writes only those whose bytes changed, and removes
the files of the last build that are no longer part of the site (a page of an element
renumbered away); files it did not write (a CNAME, a hand-made page) are left alone. Each file
is written atomically (ichinv.io.atomic).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ichinv.core.errors import UsageError, WriteRefused
from ichinv.core.i18n import _
from ichinv.core.model import RecordKind
from ichinv.exchange.odk_model import DOCUMENTATION, EVIDENCE
from ichinv.io import atomic as files
from ichinv.io.settings import Settings

MARKER = ".ichinv-site"
GENERATOR = "ichinv site"


class Planned(Protocol):
    """A file of the site to be made (ichinv.site.api.Planned)."""

    @property
    def path(self) -> str: ...
    @property
    def inputs(self) -> str: ...
    def make(self) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Written:
    """What a build changed in its folder."""

    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]
    rendered: int
    """Files made anew (the others had the same inputs as in the last build)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A file of the last build, as the marker lists it."""

    inputs: str = ""
    sha256: str = ""


def inventory_folders(settings: Settings) -> list[Path]:
    """The folders of an inventory that a site must never be written into."""
    found = [settings.folder(kind) for kind in RecordKind]
    found += [settings.schema_dir, settings.templates_dir, settings.root / ".git"]
    found += [settings.root / DOCUMENTATION, settings.root / EVIDENCE]
    if settings.private_overlay is not None:
        found.append(settings.private_overlay)
    return found


def check_folder(folder: Path, root: Path, *, force: bool, owned: Iterable[Path] = ()) -> None:
    """Refuse a folder that is not the site's: a file, the inventory or a folder holding it,
    a folder the inventory keeps (`owned`: records, schemas, templates, git's folder…) or one
    inside them, or (without `force`) a folder with files that no build of the site wrote."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            _("--output {folder} is a file, not a folder").format(folder=folder),
            hint=_("give a folder to write the site in (it is created if its parent exists)"),
        )
    resolved = folder.resolve()
    if resolved == root.resolve() or root.resolve().is_relative_to(resolved):
        raise WriteRefused(
            _("--output {folder} would write the site over the inventory itself").format(
                folder=folder
            ),
            hint=_("give a folder of its own, e.g. --output _site"),
        )
    for kept in owned:
        kept = kept.resolve()
        if resolved == kept or resolved.is_relative_to(kept) or kept.is_relative_to(resolved):
            raise WriteRefused(
                _(
                    "--output {folder} would write the site into {kept}, which the inventory keeps"
                ).format(folder=folder, kept=kept),
                hint=_("give a folder of its own, e.g. --output _site"),
            )
    if not folder.is_dir() or force or (folder / MARKER).is_file():
        return
    with os.scandir(folder) as entries:
        if any(True for __ in entries):
            raise WriteRefused(
                _(
                    "{folder} is not empty and was not written by ichinv site (no {marker} file)"
                ).format(folder=folder, marker=MARKER),
                hint=_(
                    "choose a new or empty folder, or pass --force to write the site into it "
                    "anyway (files of the same names are replaced, other files are left alone)"
                ),
            )


def previous(folder: Path) -> dict[str, Entry]:
    """The files the last build wrote into `folder`, from its marker (none when unreadable)."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found = data.get("files") if isinstance(data, dict) else None
    if not isinstance(found, dict):
        return {}
    return {
        path: Entry(str(entry.get("inputs", "")), str(entry.get("sha256", "")))
        for path, entry in found.items()
        if isinstance(path, str) and isinstance(entry, dict) and _plain(path)
    }


def _plain(path: str) -> bool:
    """A path the site could have written: relative, forward slashes, no `..` (a marker that
    names anything else was not written by ichinv, and is not followed)."""
    parts = path.split("/")
    return (
        bool(path)
        and not path.startswith("/")
        and "\\" not in path
        and ".." not in parts
        and "" not in parts
    )


def marker(entries: Mapping[str, Entry]) -> bytes:
    document = {
        "generator": GENERATOR,
        "files": {
            path: {"inputs": entry.inputs, "sha256": entry.sha256}
            for path, entry in sorted(entries.items())
        },
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()


def write(folder: Path, planned: Iterable[Planned]) -> Written:
    """Write the planned files into `folder` (checked with check_folder); see the module.

    The marker is written first with every file of both builds (the new ones with no digest),
    so that an interrupted build still knows its files and makes them again next time."""
    planned = list(planned)
    files.make_folder(folder)
    before = previous(folder)
    _put(folder, MARKER, marker({**{p.path: Entry() for p in planned}, **before}))
    after: dict[str, Entry] = {}
    written: list[str] = []
    unchanged = rendered = 0
    made: set[Path] = set()
    for item in planned:
        target = files.inside(folder, item.path)
        old = before.get(item.path)
        if old is not None and old.inputs == item.inputs and _sha256(target) == old.sha256:
            after[item.path] = old
            unchanged += 1
            continue
        data = item.make()
        rendered += 1
        after[item.path] = Entry(item.inputs, hashlib.sha256(data).hexdigest())
        if target.parent not in made:
            files.make_folder(target.parent, within=folder.resolve())
            made.add(target.parent)
        if _same(target, data):
            unchanged += 1
            continue
        files.write_bytes_atomic(target, data, overwrite=True)
        written.append(item.path)
    removed = []
    for path in sorted(set(before) - set(after)):
        if path == MARKER:
            continue
        try:
            target = files.inside(folder, path)
        except WriteRefused:  # through a link leading out of the folder: not the site's
            continue
        if target.is_file() and not target.is_symlink():
            try:
                target.unlink()
            except OSError:
                continue
            removed.append(path)
    _put(folder, MARKER, marker(after))
    return Written(tuple(written), unchanged, tuple(removed), rendered)


def _put(folder: Path, name: str, data: bytes) -> None:
    target = files.inside(folder, name)
    if not _same(target, data):
        files.write_bytes_atomic(target, data, overwrite=True)


def _sha256(target: Path) -> str | None:
    """The digest of a regular file's bytes; None when it is missing, a link or unreadable."""
    try:
        if target.is_symlink() or not target.is_file():
            return None
        return hashlib.sha256(target.read_bytes()).hexdigest()
    except OSError:
        return None


def _same(target: Path, data: bytes) -> bool:
    """Whether `target` is a regular file holding exactly `data`."""
    try:
        if target.is_symlink() or not target.is_file() or target.stat().st_size != len(data):
            return False
        return target.read_bytes() == data
    except OSError:
        return False
