"""The folder a site is written to: only a folder `ichinv site` wrote before (it holds the
marker file `.ichinv-site`, which lists the files of the last build), an empty one, or a new
one — any other only with `--force`; never the inventory itself.

A rebuild makes only the files whose inputs changed (the marker keeps, for each file, the
digest of what it was made from, of its bytes, and its size: a file with the same inputs that
still holds those bytes is neither rendered nor written), writes only those whose bytes
changed, and removes the files of the last build that are no longer part of the site (a
page of an element renumbered away); files it did not write (a CNAME, a hand-made page) are
left alone. Each file is written atomically (ichinv.io.atomic).

The marker also keeps one digest of ALL the inputs of the last complete build (`inputs`, see
ichinv.site.api.fingerprint) and the record files it left out: when the inputs are the same
and every file is still as written (`unchanged`), the build is done without reading a record.
A file counts as still as written when its size and the digest of its bytes are those the
marker recorded. The marker holds no time: it is part of the site, which the same inputs make
byte for byte (SPEC), and times, which no two builds share, were no proof anyway (an edit can
keep a file's size and time).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ichinv.core import jsontext
from ichinv.core.errors import UsageError, WriteRefused
from ichinv.core.i18n import _
from ichinv.core.model import Finding, Severity
from ichinv.inventory import kept
from ichinv.inventory.redaction import public_problem
from ichinv.io import atomic as files
from ichinv.io import write_lock
from ichinv.io.settings import Settings

MARKER = ".ichinv-site"
GENERATOR = "ichinv site"


class Planned(Protocol):
    """A file of the site to be made (ichinv.site.api.Planned)."""

    @property
    def path(self) -> str: ...
    @property
    def inputs(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def refs(self) -> tuple[str, ...]: ...
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
    size: int = -1
    """Size of the file as written (a file of another size differs without being read)."""
    key: str = ""
    """A digest of what the file's view model is built from, when the plan knows it (an
    element page: its record's bytes, the names it links): the same key, the same `inputs`,
    without building the view model (ichinv.site.api)."""
    refs: tuple[str, ...] = ()
    """What the view model looked up besides its record (`e:<id>`, `p:<id>`), for `key`."""


def check_folder(folder: Path, settings: Settings, *, force: bool) -> None:
    """Refuse a folder that is not the site's: a file, the inventory or a folder holding it, a
    folder the inventory keeps or one inside them (ichinv.inventory.kept), or (without
    `force`) a folder with files that no build of the site wrote."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            _("--output {folder} is a file, not a folder").format(folder=folder),
            hint=_("give a folder to write the site in (it is created if its parent exists)"),
        )
    kept.refuse_kept(folder, settings, folder=True, names=OWN_FOLDERS, beside="site", usable=_takes)
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


OWN_FOLDERS = ("_site", "site", "public")
"""Folders of the inventory a refusal may suggest instead (then one beside it: `<name>-site`)."""


def _takes(folder: Path) -> bool:
    """Whether a build would write into `folder` without --force: one a build wrote before,
    or a new or empty one (ichinv.inventory.kept.free_folder)."""
    try:
        return (folder / MARKER).is_file() or kept.free_folder(folder)
    except OSError:
        return False


def _document(folder: Path) -> dict[str, Any]:
    """The marker of `folder` as read (empty when missing or unreadable)."""
    try:
        data = jsontext.read((folder / MARKER).read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def previous(folder: Path, document: Mapping[str, Any] | None = None) -> dict[str, Entry]:
    """The files the last build wrote into `folder`, from its marker (none when unreadable)."""
    data = _document(folder) if document is None else document
    found = data.get("files")
    if not isinstance(found, dict):
        return {}
    return {
        path: _entry(entry)
        for path, entry in found.items()
        if isinstance(path, str) and isinstance(entry, dict) and _plain(path)
    }


def _entry(entry: Mapping[str, Any]) -> Entry:
    def number(name: str) -> int:
        found = entry.get(name)
        return found if isinstance(found, int) and not isinstance(found, bool) else -1

    refs = entry.get("refs")
    return Entry(
        str(entry.get("inputs", "")),
        str(entry.get("sha256", "")),
        number("size"),
        str(entry.get("key", "")),
        tuple(r for r in refs if isinstance(r, str)) if isinstance(refs, list) else (),
    )


def unchanged(folder: Path, inputs: str) -> tuple[int, tuple[Finding, ...]] | None:
    """When the last complete build into `folder` had exactly `inputs` (ichinv.site.inputs.
    fingerprint) and every one of its files is still as written: how many files it wrote, and
    the record files it left out (to be reported again). None when anything differs: then the
    site must be planned."""
    document = _document(folder)
    if not inputs or document.get("inputs") != inputs:
        return None
    try:
        left_out = tuple(_finding(item) for item in document.get("left_out", []))
    except (TypeError, ValueError, AttributeError):
        return None
    entries = previous(folder, document)
    if len(entries) != len(document.get("files", {})) or files.temporaries(folder, [MARKER]):
        return None  # a build killed as it began: its leftover is removed by the next
    for path, entry in entries.items():
        if _kept(folder / path, entry) is None:
            return None
    return len(entries), left_out


def _regular(stat: os.stat_result) -> bool:
    import stat as modes

    return modes.S_ISREG(stat.st_mode)


def _finding(item: Mapping[str, Any]) -> Finding:
    return Finding(
        str(item["path"]),
        str(item["rule"]),
        str(item["message"]),
        Severity(item["severity"]),
        str(item.get("pointer", "")),
        item.get("line"),
        item.get("column"),
        item.get("hint"),
        bool(item.get("at_key", False)),
        f"#{item['file']}" if "file" in item else "",
    )


def _finding_data(finding: Finding, files: dict[str, int]) -> dict[str, Any]:
    """`finding` as the marker keeps it; one that does not name its file (`elements/…`) with
    a number of its own for that file (`files`: those numbered so far), so that the files a
    build left out are counted as such when they are reported again."""
    data = {
        "path": finding.path,
        "rule": finding.rule,
        "message": finding.message,
        "severity": finding.severity.value,
        "pointer": finding.pointer,
        "line": finding.line,
        "column": finding.column,
        "hint": finding.hint,
        "at_key": finding.at_key,
    }
    if finding.file_key:
        data["file"] = files.setdefault(finding.file_key, len(files) + 1)
    return data


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


def marker(
    entries: Mapping[str, Entry], inputs: str = "", left_out: Iterable[Finding] = ()
) -> bytes:
    """The marker file: every file of the build, and (after a complete build) the digest of
    all its inputs and the record files it left out."""
    document: dict[str, Any] = {"generator": GENERATOR}
    if inputs:
        document["inputs"] = inputs
        # The marker is published with the site: a file is named as public output names it.
        files: dict[str, int] = {}
        document["left_out"] = [_finding_data(public_problem(f), files) for f in left_out]
    head = json.dumps(document, ensure_ascii=False, indent=1)[:-2]
    # One line a file (JSON's indenting encoder is slow: thousands of files).
    lines = [
        json.dumps(path, ensure_ascii=False)
        + ": "
        + json.dumps(
            {
                "inputs": entry.inputs,
                "sha256": entry.sha256,
                "size": entry.size,
                **({"key": entry.key, "refs": list(entry.refs)} if entry.key else {}),
            },
            ensure_ascii=False,
        )
        for path, entry in sorted(entries.items())
    ]
    return (head + ',\n "files": {\n' + ",\n".join(lines) + "\n }\n}\n").encode()


def write(
    folder: Path,
    planned: Iterable[Planned],
    *,
    inputs: str = "",
    left_out: Iterable[Finding] = (),
    before: Mapping[str, Entry] | None = None,
) -> Written:
    """Write the planned files into `folder` (checked with check_folder); see the module.
    `inputs` and `left_out`: the digest of all the build's inputs and the record files it left
    out, kept in the marker for the next build (`unchanged`); `before`: the files of the last
    build, when already read (`previous`).

    The marker is written first with every file of both builds (the new ones with no digest)
    and no `inputs`, so that an interrupted build still knows its files and makes them again
    next time; the temporary files a killed build left beside them are removed first (they
    would be published with the site). One build at a time writes into a folder (a lock on
    it, released however the build ends)."""
    planned = list(planned)
    files.make_folder(folder)
    with write_lock.held(folder):
        return _write(folder, planned, inputs, left_out, before)


def _write(
    folder: Path,
    planned: list[Planned],
    inputs: str,
    left_out: Iterable[Finding],
    before: Mapping[str, Entry] | None,
) -> Written:
    before = previous(folder) if before is None else before
    files.remove_temporaries(folder, {MARKER, *before, *(p.path for p in planned)})
    _put(folder, MARKER, marker({**{p.path: Entry() for p in planned}, **before}))
    after: dict[str, Entry] = {}
    written: list[str] = []
    unchanged = rendered = 0
    made: set[Path] = set()
    for item in planned:
        old = before.get(item.path)
        if old is not None and old.inputs == item.inputs:
            # Only looked at, not written: no need to resolve it (files.inside) yet.
            if _kept(folder / item.path, old) is not None:
                after[item.path] = Entry(old.inputs, old.sha256, old.size, item.key, item.refs)
                unchanged += 1
                continue
        target = files.inside(folder, item.path)
        data = item.make()
        rendered += 1
        digest = hashlib.sha256(data).hexdigest()
        if target.parent not in made:
            files.make_folder(target.parent, within=folder.resolve())
            made.add(target.parent)
        if not _same(target, data):
            files.write_bytes_atomic(target, data, overwrite=True)
            written.append(item.path)
        else:
            unchanged += 1
        after[item.path] = Entry(item.inputs, digest, len(data), item.key, item.refs)
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
            _drop_empty_folders(folder, target.parent)
    _put(folder, MARKER, marker(after, inputs, left_out))
    return Written(tuple(written), unchanged, tuple(removed), rendered)


def _drop_empty_folders(folder: Path, parent: Path) -> None:
    """Remove `parent` and the folders above it, up to `folder`, while they are empty (a
    language no longer built leaves no empty tree behind; a folder with any file stays)."""
    folder = folder.resolve()
    while parent != folder and parent.is_relative_to(folder):
        try:
            parent.rmdir()
        except OSError:
            return
        parent = parent.parent


def _kept(target: Path, old: Entry) -> os.stat_result | None:
    """The state of `target` when it is a regular file that still holds the bytes of the last
    build (its size, then the digest of its bytes, as recorded); None otherwise."""
    try:
        stat = target.lstat()
    except OSError:
        return None
    if not _regular(stat) or stat.st_size != old.size:
        return None
    return stat if _sha256(target) == old.sha256 else None


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
