"""Element ids: parsing them, and allocating the next free one of a year without collisions.

An id is never reused. The next id of a year is one more than the highest number of that year
found in the working tree (`elements/*.yaml`) or anywhere in the history of the local
branches and the remote-tracking branches (so ids deleted, or created on a colleague's
fetched branch, are not handed out again), passing by the ids only the `id:` line of a record
file named by another id holds (`Taken.passed`). The new file is created exclusively: when two
`ichinv new` run at the same moment in the same folder, the second finds the file taken and
moves on to the next number. Two editors on different machines who have not fetched each
other's branches can still pick the same id; `ichinv validate` then reports `id.unique` with
a hint to run `ichinv renumber`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ichinv.core.errors import IchinvError, UsageError, WriteRefused
from ichinv.core.i18n import _
from ichinv.core.model import RecordKind
from ichinv.core.vocabulary import ELEMENT_ID, MAX_SEQUENCE
from ichinv.inventory import attachment_folders, overlay
from ichinv.inventory import record_files as records
from ichinv.inventory.quick_read import quick_id
from ichinv.inventory.record_files import SUFFIX
from ichinv.inventory.unreadable import LOOKED_AT, named_id
from ichinv.io import atomic as files
from ichinv.io import confined
from ichinv.io import git as gitrepo
from ichinv.io.settings import Settings

ATTEMPTS = 100
"""How many numbers `create` tries when files keep appearing under it (concurrent runs)."""


@dataclass(frozen=True, slots=True)
class Allocation:
    """An id given out, with the record file created for it."""

    id: str
    path: Path
    """Absolute path of the new file."""
    rel: str
    """Path relative to the inventory root."""


def parse(element_id: str) -> tuple[int, int] | None:
    """(year, number) of an element id, or None when it is not one."""
    match = ELEMENT_ID.fullmatch(element_id)
    return (int(match.group(1)), int(match.group(2))) if match else None


def format_id(year: int, number: int) -> str:
    return f"KZ-{year:04d}-{number:04d}"


def check_year(year: int, *, today: dt.date | None = None) -> None:
    """A UsageError unless `year` can be the year in an element id: 1900 to 2099, and not
    after `today`'s year when given (an element enters the inventory in the year of its id)."""
    if not 1900 <= year <= 2099:
        raise UsageError(
            _("{year} is not a year an element can have entered the inventory").format(year=year),
            hint=_("element ids carry a year from 1900 to 2099, e.g. --year 2026"),
        )
    if today is not None and year > today.year:
        raise UsageError(
            _("the year {year} has not come yet (today is {today})").format(
                year=year, today=today.isoformat()
            ),
            hint=_(
                "an element's id carries the year it entered the inventory: leave out --year "
                "for this year, or give an earlier one"
            ),
        )


def never_given(element_id: str, *, today: dt.date) -> str | None:
    """Why `new` never gives the well-formed `element_id` (its year is one check_year refuses
    by `today`, or it is numbered 0000: a year's ids are numbered from 0001); None when it
    may."""
    year, number = parse(element_id) or (0, 0)
    try:
        check_year(year, today=today)
    except UsageError as refused:
        return refused.message
    if number == 0:
        return _("{id} is numbered 0000, and the ids of a year are numbered from 0001").format(
            id=element_id
        )
    return None


def working_tree_ids(settings: Settings) -> set[str]:
    """Ids named by the record files under elements/ (file names, which are the ids)."""
    return {name[: -len(".yaml")] for name in _entries(settings) if name.endswith(".yaml")}


def _entries(settings: Settings) -> list[str]:
    """The names in elements/ (not a Path each: 10× faster); none without the folder."""
    try:
        return os.listdir(settings.folder(RecordKind.ELEMENT))
    except OSError:  # no folder yet, or not one
        return []


def named_ids(settings: Settings) -> set[str]:
    """Ids the entries of elements/ are named by, in every spelling of a record's name
    (`named_id`: `KZ-2013-0001.yaml`, `.yml`, `.YAML`, a folder or a pipe of such a name):
    none of them is given to a new record. A record named `KZ-2026-0003.yml` is one
    `validate` cannot read, and `new` gave its id to another (exit 0)."""
    return set(_named(settings).values())


def _named(settings: Settings) -> dict[str, str]:
    """Each entry of elements/ named by an id (`named_id`) → that id."""
    return {name: found for name in _entries(settings) if (found := named_id(name)) is not None}


def named_folder(settings: Settings, element_id: str) -> str | None:
    """The folder in elements/ named by `element_id` alone (`elements/KZ-2026-0055/`, of an
    element's photographs: no record, and no record file `validate` reads), as reports show
    it, if there is one: `named_ids` counts its id, as `new` passes it by."""
    folder = settings.folder(RecordKind.ELEMENT)
    for name, named in sorted(_named(settings).items()):
        if named == element_id and named_id(name, folder=True) is None:
            if (folder / name).is_dir():
                return settings.relative(folder / name)
    return None


class HistoryIncomplete(IchinvError):
    """The git history that says which ids were ever used cannot be read completely (exit 2)."""


RISK_OPTION = "--allow-incomplete-history"
"""The option with which the user accepts ids chosen without the whole git history."""


def git_ids(settings: Settings, *, complete: bool = True) -> set[str]:
    """Ids of every element file ever committed on a local or remote-tracking branch; empty
    when the inventory is not in git (see committed_paths for `complete`)."""
    return ids_in(committed_paths(settings, complete=complete))


def ids_in(paths: Iterable[str]) -> set[str]:
    """The ids the element files at `paths` (relative to the inventory root) are named by."""
    prefix = f"{RecordKind.ELEMENT.folder}/"
    return {rel[len(prefix) : -len(".yaml")] for rel in paths if rel.startswith(prefix)}


def committed_paths(settings: Settings, *, complete: bool = True) -> set[str]:
    """The element files (relative to the inventory root) ever committed on a local or
    remote-tracking branch; empty when the inventory is not in git.

    When it is in git but the history cannot be read completely (git missing or failing, a
    shallow clone), HistoryIncomplete, unless `complete` is false (the user accepted the
    risk of reusing an id): then the files that could be read, possibly none."""
    if not _in_git(settings.root):
        return set()
    try:
        repo = gitrepo.open_repo(settings.root)
        shallow = repo.is_shallow()
        paths = repo.paths_ever_committed((RecordKind.ELEMENT,))
    except IchinvError as exc:
        if not complete:
            return set()
        raise HistoryIncomplete(
            _(
                "ichinv cannot read the git history, so it cannot tell which ids were ever "
                "used: {problem}"
            ).format(problem=exc.message),
            hint=_(
                "{hint}; or pass {option} to accept that an id used before may be given again"
            ).format(
                hint=exc.hint or _("check that git works here (`git log`)"), option=RISK_OPTION
            ),
        ) from None
    if shallow and complete:
        raise HistoryIncomplete(
            _(
                "this is a shallow clone: the ids of the history it lacks are unknown, so an id "
                "used before could be given again"
            ),
            hint=_("run `git fetch --unshallow`, or pass {option} to accept that risk").format(
                option=RISK_OPTION
            ),
        )
    return set(paths)


def _in_git(root: Path) -> bool:
    """Whether `root` is inside a git working tree (a `.git` in it or a folder above)."""
    folder = root.resolve()
    return any((level / ".git").exists() for level in (folder, *folder.parents))


def used_numbers(ids: Iterable[str], year: int) -> set[int]:
    """The numbers of `year` among `ids`."""
    numbers = set()
    for element_id in ids:
        parsed = parse(element_id)
        if parsed is not None and parsed[0] == year:
            numbers.add(parsed[1])
    return numbers


def overlay_ids(settings: Settings) -> set[str]:
    """Ids named by the files of the private overlay (when it is at hand): a file there that
    belongs to no element still holds someone's contacts, so its id is never given out."""
    return {path.name[: -len(SUFFIX)] for path in _overlay_files(settings)}


@dataclass(frozen=True, slots=True)
class Taken:
    """The ids a new element must not be given, of two kinds. The next id of a year is
    numbered above those `used`, and passes by those only `passed`: the ids a renumber cut
    short is giving, in the `id:` line of a record file named by another id or in its note
    (`id_lines`, `noted_renumbers`), and those records name (`named_in_records`: a reference
    to an id no element has would lead to the new element). Such a line may as well hold a
    mistyped id (KZ-2013-9999 in elements/KZ-2013-0003.yaml), and a reference a mistyped
    one: numbered above it, every id given after would be shifted, or the rest of the year
    taken."""

    used: set[str]
    passed: set[str] = field(default_factory=set)

    def __contains__(self, element_id: object) -> bool:
        return element_id in self.used or element_id in self.passed


def unavailable(settings: Settings, *, complete: bool = True) -> Taken:
    """Every id a new element must not be given (by `new`, `import`, `import --from odk`):
    used, those the entries of elements/ are named by, those of the private overlay's files,
    every one in git (see git_ids for `complete`), those that name folders of elements' files
    (`documentation/<id>/`, `evidence/<id>/`): one left by an interrupted import holds
    another draft's files, never to be taken over; and passed by, those a renumber cut short
    is giving (`id_lines`, `noted_renumbers`): run again, it completes the change under that
    id; and those records name (`named_in_records`)."""
    used = (
        named_ids(settings)
        | overlay_ids(settings)
        | git_ids(settings, complete=complete)
        | attachment_folders.ids(settings)
    )
    lines, named = _read_records(settings)
    return Taken(used, {*lines, *noted_renumbers(settings).values(), *named})


def id_lines(settings: Settings) -> dict[str, str]:
    """Id → the record file in elements/ whose `id:` line holds it while the file is named by
    another id (`elements/KZ-2013-0008.yaml` holding `KZ-2013-0022`), shown by its path
    relative to the inventory root: a renumber cut short before it renamed the file leaves it
    so, and a mistyped id too (`validate` reports both: id.file-name). That id is given to no
    other element, nor does the next id count it (Taken.passed)."""
    return _read_records(settings)[0]


def named_in_records(settings: Settings) -> dict[str, str]:
    """Id → the first record file in elements/, or file of the private overlay, that names it
    (in `related`, `status_change.merged_into`, or a text), shown as reports show it. A new
    element is given none of them: a reference to an id no element has (left by a renumber
    cut short, mistyped, or to an element of a branch not fetched yet) would lead to it
    (Taken.passed)."""
    return _read_records(settings)[1]


_WRITTEN = re.compile(rb"(?<![0-9A-Za-z-])KZ-[0-9]{4}-[0-9]{4}(?![0-9A-Za-z])")
"""An element id written anywhere in a file's bytes."""


def _read_records(settings: Settings) -> tuple[dict[str, str], dict[str, str]]:
    """One read of the head of each record file in elements/ and of each file of the private
    overlay (when it is at hand): `id_lines`, and the ids the files name
    (`named_in_records`), each shown by its first file."""
    folder = settings.folder(RecordKind.ELEMENT)
    records_read = [
        (folder / name, settings.relative(folder / name))
        for name in sorted(_entries(settings))
        if name.endswith(SUFFIX)
    ]
    # A link in the overlay is no file of it (`validate` says so); its name counts.
    overlay_read = [
        (path, overlay.display(settings, path))
        for path in _overlay_files(settings)
        if not path.is_symlink()
    ]
    lines: dict[str, str] = {}
    named: dict[str, str] = {}
    for number, (path, shown) in enumerate([*records_read, *overlay_read]):
        raw = records.head(path, LOOKED_AT)
        if raw is None:
            continue
        held = quick_id(raw) if number < len(records_read) else None
        if held is not None and held != path.name[: -len(SUFFIX)] and parse(held) is not None:
            lines.setdefault(held, shown)
        for match in _WRITTEN.findall(raw):
            if parse(found := match.decode()) is not None:
                named.setdefault(found, shown)
    return lines, named


def _overlay_files(settings: Settings) -> list[Path]:
    """The element files of the private overlay, when it is at hand."""
    folder = settings.private_overlay
    if folder is None or not (folder / RecordKind.ELEMENT.folder).is_dir():
        return []
    return sorted((folder / RecordKind.ELEMENT.folder).glob(f"*{SUFFIX}"))


def note_shown(settings: Settings, old: str) -> str:
    """The note of a renumber of `old` in the private overlay's folder (RENUMBER_NOTE), as
    reports show the overlay's files."""
    assert settings.private_overlay is not None
    return overlay.display(settings, renumber_note(settings.private_overlay, old))


def noted_renumbers(settings: Settings) -> dict[str, str]:
    """Old id → new id of each renumber whose note (RENUMBER_NOTE) is in the private
    overlay's folder: one cut short, or under way."""
    folder = settings.private_overlay
    try:
        names = sorted(os.listdir(folder)) if folder is not None else []
    except OSError:  # not here, or not a folder
        return {}
    start = RENUMBER_NOTE.format(old="")
    found = {}
    for name in names:
        old = name.removeprefix(start)
        new = noted_id(folder, old) if folder and old != name and parse(old) else None
        if new is not None:
            found[old] = new
    return found


RENUMBER_NOTE = ".ichinv-renumber-{old}"
"""The name of the note, in the private overlay's folder, that a renumber of `old` is moving
its overlay file (ichinv.edit.renumber_resume writes it): it holds the new id."""


def renumber_note(overlay_folder: Path, old: str) -> Path:
    """Where the note of a renumber of `old` is (see RENUMBER_NOTE)."""
    return overlay_folder / RENUMBER_NOTE.format(old=old)


def noted_id(overlay_folder: Path, old: str) -> str | None:
    """The new id the note of a renumber of `old` holds (its one line that is no comment), if
    it is there and holds an element id."""
    try:
        text = confined.text(renumber_note(overlay_folder, old), overlay_folder, limit=4096)
    except (OSError, IchinvError, UnicodeDecodeError):
        return None
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return lines[0] if len(lines) == 1 and parse(lines[0]) is not None else None


def next_free(year: int, taken: Taken, folder: Path) -> str:
    """The next id of `year` above every one `taken` uses, that is not `taken` and whose file
    in `folder` does not exist yet (the file is not created: see create for that)."""
    check_year(year)
    used = used_numbers(taken.used, year)
    number = max(used, default=0) + 1  # never a number used before
    while number <= MAX_SEQUENCE:
        element_id = format_id(year, number)
        if element_id not in taken and not (folder / f"{element_id}.yaml").exists():
            return element_id
        number += 1
    raise _exhausted(year, used)


def _exhausted(year: int, used: set[int]) -> UsageError:
    """The error for a year whose ids are all given: ids follow the highest used, so one
    stray high id (KZ-2026-9999) takes the rest of the year; the hint says how to free them,
    with the id it could have had (one above the highest of the others), when there is one."""
    message = _("every id of {year} up to {last} is taken").format(
        year=year, last=format_id(year, MAX_SEQUENCE)
    )
    highest = max(used, default=0)
    below = max(used - {highest}, default=0) + 1
    if below >= highest:
        return UsageError(message)
    return UsageError(
        message,
        hint=_(
            "ids of a year are given in order, one above the highest used, {highest}; if that "
            "id was given by mistake and is not committed yet, renumber it (`ichinv renumber "
            "{highest} --to {free}`)"
        ).format(highest=format_id(year, highest), free=format_id(year, below)),
    )


def create(
    settings: Settings,
    year: int,
    render: Callable[[str], str],
    *,
    taken: Taken | None = None,
    complete: bool = True,
) -> Allocation:
    """Create `elements/<id>.yaml` for the next free id of `year`, with `render(id)` as its
    text. The file is created exclusively (never overwriting), so concurrent runs get
    different ids."""
    check_year(year)
    ids = unavailable(settings, complete=complete) if taken is None else taken
    folder = settings.folder(RecordKind.ELEMENT)
    refused: set[str] = set()  # created by a concurrent run meanwhile: the next one
    for _attempt in range(ATTEMPTS):
        element_id = next_free(year, Taken(ids.used | refused, ids.passed), folder)
        path = folder / f"{element_id}.yaml"
        try:
            files.write_text_atomic(path, render(element_id))
        except WriteRefused:
            refused.add(element_id)
        else:
            return Allocation(element_id, path, settings.relative(path))
    raise UsageError(
        _("no free id of {year} could be created in {folder}/").format(
            year=year, folder=settings.relative(folder)
        ),
        hint=_("check that the folder is writable, then run the command again"),
    )
