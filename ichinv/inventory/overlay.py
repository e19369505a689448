"""The private overlay: contacts and restricted parts kept out of the repository's git history.

An inventory whose repository is (or may become) public keeps, per element, the fields that
must never be published in `<overlay>/elements/<id>.yaml` (a private repository may keep them
there too, out of its git history), a folder named by the setting
`private_overlay` (git-ignored when inside the repository, or a separate private repository
checked out elsewhere). The overlay holds an element's personal data (`contacts`, and any
field the schema marks `x-ichinv-personal-data`) and its restricted parts (the fields listed
in `access.restricted_parts`), at the same place as in the record.

Readers attach the overlay to each element record for one audience (`Overlay.attach`): the
committee gets the values merged in; the public gets only placeholders (ichinv.inventory.audience's
`Withheld` notes) where the overlay holds something, so that no overlay value can reach public
output even through a mistake in a renderer, and so that `access.restricted_parts` still
names fields the public view can withhold. ichinv.validate.overlay checks the overlay files;
ichinv.edit.private_split moves the private fields out of records into the overlay.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ichinv.core import jsontext, pointers
from ichinv.core.catalogue import rule
from ichinv.core.errors import UsageError
from ichinv.core.i18n import _
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.core.vocabulary import is_element_id
from ichinv.inventory import record_files as records
from ichinv.inventory.audience import Audience, Why, Withheld
from ichinv.inventory.plaindata import merge, plain
from ichinv.io import confined, git_ignore
from ichinv.io.settings import Settings

FOLDER = "elements"
"""Sub-folder of the overlay holding one file per element (as in the repository)."""

HEAD = (
    "# Private overlay of {id}: personal data and restricted parts, merged in for the committee\n"
    "# only. Never commit this file to a public repository.\n"
)


@dataclass(frozen=True, slots=True)
class Overlay:
    """The private overlay as read: each element's private fields, by element id."""

    folder: Path | None
    """The overlay folder from settings; None when the inventory names none."""
    entries: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Element id → the fields kept privately (without `id`)."""
    paths: Mapping[str, str] = field(default_factory=dict)
    """Element id → the overlay file, as reports show it."""
    raws: Mapping[str, bytes] = field(default_factory=dict)
    """Element id → the bytes of its overlay file (to locate findings)."""
    problems: tuple[Finding, ...] = ()
    absent: Finding | None = None
    """Said when the settings name an overlay that is not here: what reads records for the
    committee reports it (nothing else does: a first `private split` creates the folder)."""
    """Overlay files that could not be read."""
    expected: frozenset[str] = frozenset()
    """Top-level fields of the element schema: a restricted part absent from a record is taken
    to be kept in the overlay only when it names one of them."""
    may_hold: bool = False
    """Records may leave their restricted parts to the overlay (Settings.overlay_may_hold: the
    settings name one, or the repository is public)."""

    @property
    def available(self) -> bool:
        """True when the overlay folder exists here (CI of a public repository has none)."""
        return self.folder is not None and (self.folder / FOLDER).is_dir()

    def attach(self, record: Record, audience: Audience) -> Record:
        """`record` as `audience` may start from: the committee's with the private fields
        merged in; the public's with a placeholder where a restricted part listed by the record
        is kept elsewhere (where records may leave them to the overlay). What the public sees
        never depends on whether the overlay is on this machine: the public's record ignores
        it."""
        if record.kind is not RecordKind.ELEMENT:
            return record
        private = self.entries.get(record.id or "") if audience is Audience.COMMITTEE else None
        absent = self._absent_parts(record.data) if self.may_hold else []
        if not private and not absent:
            return record
        data = plain(record.data)
        reason = _reason(record.data)
        for pointer in absent:  # kept in the overlay: a note where the part would be
            _put(data, pointer, Withheld(Why.RESTRICTED, reason))
        if private:
            merge(data, private)
        return replace(record, data=data)

    def _absent_parts(self, data: Mapping[str, Any]) -> list[str]:
        return [
            p
            for p in restricted_parts(data) or []
            if "*" not in p
            and _keys(p)[:1] != ()
            and _keys(p)[0] in self.expected
            and pointers.at(data, p) is pointers.MISSING
        ]


def restricted_parts(data: Mapping[str, Any]) -> list[str] | None:
    """The parts of the element `data` that the overlay may keep as restricted (the texts
    listed in `access.restricted_parts`): none when it is not restricted; None when it is
    restricted as a whole, without a list of parts."""
    access = data.get("access")
    if not isinstance(access, Mapping) or access.get("level") != "restricted":
        return []
    listed = access.get("restricted_parts")
    if not listed or not isinstance(listed, list):
        return None
    return [p for p in listed if isinstance(p, str)]


def for_public(settings: Settings) -> Overlay:
    """The overlay as the public's records start from it (`Overlay.attach` for the public), none
    of its files read: a restricted part absent from a record is taken to be kept there as
    `show` takes it, in every version of the record a public view of changes judges."""
    return Overlay(
        settings.private_overlay,
        expected=_schema_fields(settings),
        may_hold=settings.overlay_may_hold,
    )


def load(settings: Settings) -> Overlay:
    """The overlay of the inventory (empty when none is named or it is not here)."""
    expected = _schema_fields(settings)
    may_hold = settings.overlay_may_hold
    folder = settings.private_overlay
    if folder is None:
        return Overlay(folder, expected=expected, may_hold=may_hold)
    if not (folder / FOLDER).is_dir():
        # Named but not here (another machine, a moved folder): the committee must be told
        # that what the overlay keeps is missing from its view, never shown an "everything".
        # A folder without elements/ is there, but holds no overlay (`/etc`, `elements`: an
        # outside review found it called "not here").
        words = (
            _(
                "the private overlay {display} named in the settings holds no {folder}/ folder: "
                "contacts and restricted parts kept in it are missing from this view"
            )
            if folder.is_dir()
            else _(
                "the private overlay {display} named in the settings is not here: contacts "
                "and restricted parts kept in it are missing from this view"
            )
        )
        missing = rule("privacy.overlay").finding(
            display(settings, folder),
            words.format(display=display(settings, folder), folder=FOLDER),
            line=None,
            hint=_("mount or copy the overlay folder there (`ichinv private split` creates it)"),
        )
        return Overlay(folder, expected=expected, may_hold=may_hold, absent=missing)
    entries: dict[str, Mapping[str, Any]] = {}
    paths: dict[str, str] = {}
    raws: dict[str, bytes] = {}
    problems: list[Finding] = []
    base = (folder / FOLDER).resolve()
    for entry in sorted(os.scandir(base), key=lambda e: e.name):
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        shown = display(settings, path)
        if entry.is_symlink() and not _leads_inside(path, folder):
            problems.append(
                problem(
                    shown,
                    _("{path} is a link leading out of the private overlay").format(path=shown),
                )
            )
            continue
        if not entry.is_file() or not entry.name.endswith(records.SUFFIX):
            problems.append(
                problem(
                    shown,
                    _("{path} is not an element file <id>.yaml; it was not read").format(
                        path=shown
                    ),
                    line=None,
                )
            )
            continue
        stem = entry.name[: -len(records.SUFFIX)]
        raw = records.read(
            records.SourceFile(RecordKind.ELEMENT, str(path), shown), settings.max_file_size
        )
        if isinstance(raw, Finding):
            problems.append(raw)
            continue
        parsed = records.parse(RecordKind.ELEMENT, shown, raw)
        if isinstance(parsed, Finding):
            problems.append(parsed)
            continue
        data = dict(parsed[0].data)
        declared = data.pop("id", stem)
        if declared != stem or not is_element_id(stem):
            problems.append(
                problem(
                    shown,
                    (
                        _("{path} is named {name!r} but holds the id {id!r}").format(
                            path=shown, name=entry.name, id=declared
                        )
                        if declared != stem and is_element_id(declared)
                        else _("{path} holds an id that is not its file's name").format(path=shown)
                        if declared != stem  # an id in no id's form may be anything: not quoted
                        else _(
                            "{path} is not named after an element id (KZ-YYYY-NNNN.yaml)"
                        ).format(path=shown)
                    ),
                    line=1,
                )
            )
            continue
        entries[stem], paths[stem], raws[stem] = data, shown, raw
    return Overlay(
        folder, entries, paths, raws, tuple(problems), expected=expected, may_hold=may_hold
    )


def _leads_inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (RuntimeError, OSError):  # a loop of links
        return False


def entry_text(
    element_id: str, fields: Mapping[str, Any], order: Mapping[str, Sequence[str]]
) -> str:
    """The text of an element's overlay file holding `fields` (keys in the schema's `order`)."""
    from ichinv.io import editor as yamlio

    body = yamlio.dump_new({"id": element_id, **fields}, RecordKind.ELEMENT, order)
    first, __, rest = body.partition("\n")
    return HEAD.format(id=element_id) + (
        rest if first.startswith("# yaml-language-server") else body
    )


def display(settings: Settings, path: Path) -> str:
    """`path` as reports show it: relative to the inventory root, or to the folder holding it
    (`../private/…`); a path further away is shown whole (`/etc`, not `../../../etc`)."""
    relative = Path(os.path.relpath(path, settings.root))
    if relative.parts[:2] == ("..", ".."):
        return records.shown(Path(os.path.abspath(path)).as_posix())
    return records.shown(relative.as_posix())


def problem(shown: str, message: str, *, line: int | None = 1) -> Finding:
    """A finding of rule privacy.overlay about the overlay file `shown`."""
    return rule("privacy.overlay").finding(
        shown,
        message,
        line=line,
        column=1 if line else None,
        hint=_("the private overlay holds one file per element, elements/<id>.yaml"),
    )


def _schema_fields(settings: Settings) -> frozenset[str]:
    try:
        raw = confined.read(settings.schema_file(RecordKind.ELEMENT), settings.schema_dir)
        document = jsontext.read(raw)
    except (OSError, ValueError, confined.Refused):  # policy_for reports it
        return frozenset()
    properties = document.get("properties") if isinstance(document, dict) else None
    return frozenset(properties) if isinstance(properties, dict) else frozenset()


def attach_all(
    settings: Settings, items: Iterable[Record | Finding], audience: Audience
) -> Iterator[Record | Finding]:
    """`items` (records.load_all) with the overlay attached to every element for `audience`;
    the overlay's unreadable files follow, for the committee."""
    overlay = load(settings)
    for item in items:
        yield item if isinstance(item, Finding) else overlay.attach(item, audience)
    if audience is Audience.COMMITTEE:
        yield from overlay.problems


# --- plain data ---------------------------------------------------------------------------------


def _keys(pointer: str) -> tuple[str, ...]:
    """The keys a pointer names; none when it is not a pointer."""
    try:
        return tuple(pointers.split(pointer))
    except ValueError:
        return ()


def _put(data: dict[str, Any], pointer: str, value: Any) -> None:
    """Set `value` at `pointer` when its parent mapping exists."""
    parts = _keys(pointer)
    node: Any = data
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node[parts[-1]] = value


def _reason(data: Mapping[str, Any]) -> str | None:
    access = data.get("access")
    reason = access.get("reason") if isinstance(access, Mapping) else None
    return " ".join(reason.split()) if isinstance(reason, str) and reason.strip() else None


def leaves(extra: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    """Pointers of what an overlay entry provides (the places `merge` writes to)."""
    for key, value in extra.items():
        pointer = f"{prefix}/{pointers.escape(key)}"
        if isinstance(value, Mapping) and value:
            yield from leaves(value, pointer)
        else:
            yield pointer


def require(settings: Settings) -> Path:
    """The overlay folder, or a UsageError saying how to name one."""
    if settings.private_overlay is None:
        raise UsageError(
            _("the inventory names no private overlay"),
            hint=_(
                'add private_overlay = "../<inventory>-private" (a folder outside the '
                "repository, or one listed in .gitignore) to [tool.ichinv] in "
                "pyproject.toml"
            ),
        )
    return settings.private_overlay


def not_ignored(
    settings: Settings, writing: Sequence[str] = (), *, line_added: bool = False
) -> UsageError | None:
    """Why the overlay's files could be committed (what `validate` reports and `private split`
    refuses): its folder is inside the repository and git does not ignore it, its `elements/`
    folder or one of its files (not listed in a .gitignore, listed again with `!`: git is asked
    about every one, since a line such as `/private/*` followed by `!/private/elements/` makes
    the folder look ignored while its files are not), or git tracks files in it (which no
    .gitignore hides). `writing`: the element ids whose files are about to be written, asked
    about too; `line_added`: `ignore_line`'s line was just added to .gitignore. Git decides (ichinv.io.git_ignore). None when git ignores them all or the
    overlay is outside the git working tree (outside the inventory, when there is no
    repository)."""
    folder = settings.private_overlay
    if folder is None:
        return None
    rel = f"{Path(os.path.relpath(folder, settings.root)).as_posix()}/"
    paths = _asked(settings.root, folder, rel, writing)
    unsafe = git_ignore.unignored(settings.root, paths)
    if not unsafe:
        return None
    by_rules = git_ignore.unignored(settings.root, paths, tracked=False)
    if not by_rules:
        return _tracked(rel)
    path = by_rules[0]
    message = (
        _(
            "git does not ignore the private overlay {rel}, which is inside the repository: "
            "its files could be committed"
        ).format(rel=rel)
        if path == rel
        else _(
            "git does not ignore {path} of the private overlay {rel}, which is inside the "
            "repository: it could be committed"
        ).format(path=path, rel=rel)
    )
    including = git_ignore.including_line(settings.root, path)
    if including is not None:
        hint = _(
            "line {line} of {file} starts with ! and includes it again: remove that line, or "
            "change it so that it leaves out the private overlay"
        ).format(line=including[1], file=including[0])
    elif line_added:
        hint = _(
            "a line starting with ! in the .gitignore of a folder above it includes it again, "
            "even with /{rel} at the end of .gitignore: remove that line (`git check-ignore "
            "-v -n {path}` names it once the folder exists)"
        ).format(rel=rel, path=path.rstrip("/"))
    elif folder.is_relative_to(settings.root):
        hint = _(
            "add the line /{rel} at the end of .gitignore, below any line starting with ! "
            "that includes it again (`ichinv private split` does it)"
        ).format(rel=rel)
    else:
        hint = _("list {rel} in a .gitignore of the repository").format(rel=rel)
    return UsageError(message, hint=hint)


def tracked(settings: Settings, writing: Sequence[str] = ()) -> UsageError | None:
    """Why the overlay's files would be committed whatever .gitignore says: git tracks files
    in its folder (see `not_ignored`, whose words these are once `ignore_line`'s line is
    added). A dry run of `private split`, which adds no line, is refused so too (it showed a
    plan, exit 0, that the run refused). None when git tracks none of them."""
    folder = settings.private_overlay
    if folder is None:
        return None
    rel = f"{Path(os.path.relpath(folder, settings.root)).as_posix()}/"
    if not git_ignore.tracked(settings.root, _asked(settings.root, folder, rel, writing)):
        return None
    return _tracked(rel)


def _tracked(rel: str) -> UsageError:
    return UsageError(
        _(
            "git tracks files of the private overlay {rel}, though .gitignore lists it: "
            "they are committed, or will be with the next commit"
        ).format(rel=rel),
        hint=_(
            "stop tracking them with `git rm -r --cached {rel}` (the files stay); what was "
            "already committed stays in the git history (see SECURITY.md)"
        ).format(rel=rel),
    )


def _asked(root: Path, folder: Path, rel: str, writing: Sequence[str]) -> list[str]:
    """What git is asked about for the overlay: its folder, its `elements/` folder, each file
    there and the files of the elements `writing`, and where each file that is a symbolic
    link leads (the overlay's files are written there)."""
    names = {f"{stem}{records.SUFFIX}" for stem in writing}
    targets: set[str] = set()
    try:
        for entry in os.scandir(folder / FOLDER):
            names.add(entry.name)
            if entry.is_symlink():
                targets.add(os.path.relpath(os.path.realpath(entry.path), root.resolve()))
    except OSError:
        pass  # no folder yet (or one that cannot be listed: its paths are asked about anyway)
    files = [f"{rel}{FOLDER}/{name}" for name in sorted(names)]
    return [rel, f"{rel}{FOLDER}/", *files, *(Path(t).as_posix() for t in sorted(targets))]


def ignore_line(settings: Settings, writing: Sequence[str] = ()) -> str | None:
    """The line that makes git ignore the overlay when .gitignore at the inventory root gains
    it (`/private/`); None when no line would: git ignores the overlay (its folder, its
    `elements/` folder, its files and those of the elements `writing`) by its rules already,
    or the overlay is outside the inventory."""
    folder = settings.private_overlay
    if folder is None or not folder.is_relative_to(settings.root):
        return None
    rel = f"{folder.relative_to(settings.root).as_posix()}/"
    paths = _asked(settings.root, folder, rel, writing)
    return None if not git_ignore.unignored(settings.root, paths, tracked=False) else f"/{rel}"
