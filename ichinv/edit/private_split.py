"""`ichinv private split`: move personal data and restricted parts from records into the
private overlay, keeping everything else of the records (comments included) as it was."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ichinv.core import pointers
from ichinv.core.errors import RecordUnreadable, UsageError, unknown_id
from ichinv.core.i18n import _, ngettext
from ichinv.core.model import Finding, RecordKind
from ichinv.inventory import overlay
from ichinv.inventory import record_files as records
from ichinv.inventory.audience import unrestrictable
from ichinv.inventory.policy import policy_for
from ichinv.inventory.unreadable import about_elements, cannot_read, held_ids, whole_folder
from ichinv.io import atomic as files
from ichinv.io import confined, transaction
from ichinv.io import editor as yamlio
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader


@dataclass(frozen=True, slots=True)
class Moved:
    """What was (or, in a dry run, would be) moved out of one record."""

    id: str
    record: str
    """The record file, relative to the inventory root."""
    overlay: str
    """The overlay file, as reports show it."""
    pointers: tuple[str, ...]
    """JSON pointers of the fields moved."""


@dataclass(frozen=True, slots=True)
class SplitResult:
    """Every record split, and whether .gitignore was given the overlay."""

    moved: tuple[Moved, ...]
    ignored: str | None = None
    """The line added to .gitignore, when one was."""
    dry_run: bool = False


def split(settings: Settings, ids: Sequence[str] = (), *, dry_run: bool = False) -> SplitResult:
    """Move the private fields of the elements `ids` (default: every element) to the overlay."""
    folder = overlay.require(settings)
    kept = overlay.load(settings)
    if kept.problems:
        first = kept.problems[0]
        raise UsageError(
            _("the private overlay cannot be read: {message}").format(message=first.message),
            hint=_("fix the overlay first (`ichinv validate` lists its problems)"),
        )
    personal = policy_for(settings.schema_dir).personal_fields(RecordKind.ELEMENT)
    found, problems = records.discover(settings)
    by_id = {f.stem: f for f in found if f.kind is RecordKind.ELEMENT}
    # elements/ itself a link leading out, another repository, a file: none of its records
    # was read, and any of them may hold contacts (it was "nothing to move", exit 0).
    folder_problem = whole_folder(problems)
    if folder_problem is not None and not ids:
        raise RecordUnreadable(
            _("{problem}; nothing was changed").format(problem=folder_problem.message),
            hint=folder_problem.hint,
        )
    missing = [i for i in ids if i not in by_id]
    if missing:
        held = held_ids(settings, problems).get(missing[0]) or folder_problem
        if held is not None:  # a pipe, a folder in its place: as every command says it (exit 1)
            raise cannot_read(missing[0], held)
        raise unknown_id(
            "element",
            missing[0],
            by_id,
            "elements",
            otherwise=_("run `ichinv list` to see the ids of the inventory"),
        )
    plan: list[tuple[records.SourceFile, bytes, list[str]]] = []
    refused: list[UsageError] = []
    # Every element, when none is named: one whose file cannot be read may hold contacts too,
    # so nothing is moved then (it used to be passed over in silence, and the run said done).
    # (What in elements/ may hold an element: a README or a folder of photographs does not.)
    holding = held_ids(settings, [p for p in problems if about_elements(p)]).values()
    unread = [] if ids else list(dict.fromkeys(holding))
    for stem in ids or sorted(by_id):
        file = by_id[stem]
        raw = records.read(file, settings.max_file_size)
        parsed = records.parse(file.kind, file.rel, raw) if isinstance(raw, bytes) else raw
        if isinstance(parsed, Finding):
            if ids:  # as every command asked about a record it cannot read says it (exit 1)
                raise cannot_read(stem, parsed)
            unread.append(parsed)
            continue
        data = parsed[0].data
        try:
            moving = _private_pointers(file.rel, data, personal)
        except UsageError as problem:
            refused.append(problem)  # every such record is named, then nothing is moved
            continue
        if not moving:
            continue
        private = dict(kept.entries.get(stem, {}))  # to refuse what the overlay holds otherwise
        for pointer in moving:
            _move_into(private, pointer, pointers.at(data, pointer), file.rel)
        assert isinstance(raw, bytes)
        plan.append((file, raw, moving))
    if unread:
        raise RecordUnreadable(
            ngettext(
                "{count} record cannot be read, so nothing was moved:",
                "{count} records cannot be read, so nothing was moved:",
                len(unread),
            ).format(count=len(unread)),
            details=[f"{problem.place}: {problem.message}" for problem in unread],
            hint=_("fix them (`ichinv validate` says what is wrong with each) and run it again"),
        )
    if len(refused) == 1:
        raise refused[0]
    if refused:
        raise UsageError(
            ngettext(
                "{count} record cannot be split, so nothing was moved:",
                "{count} records cannot be split, so nothing was moved:",
                len(refused),
            ).format(count=len(refused)),
            details=[problem.message for problem in refused],
            hint=refused[0].hint,
        )
    shown = {stem: kept.paths.get(stem) or _shown(settings, stem) for stem in by_id}
    result = tuple(Moved(f.stem, f.rel, shown[f.stem], tuple(moving)) for f, _raw, moving in plan)
    writing = [file.stem for file, _raw, _moving in plan]
    ignore = overlay.ignore_line(settings, writing)
    if ignore is None and (unsafe := overlay.not_ignored(settings, writing)) is not None:
        raise unsafe  # above the inventory, or files git tracks: no line of ours would do
    if dry_run:
        # The run adds the line to .gitignore, asks git again and refuses files git tracks
        # there, which no line hides: so is the dry run (which adds none).
        if ignore is not None and (still := overlay.tracked(settings, writing)) is not None:
            raise still
        return SplitResult(result, ignore, dry_run=True)
    order = schema_loader.key_orders(settings.schema_dir)[RecordKind.ELEMENT]
    # Every change is made before anything is written: a record the editor cannot rewrite, or
    # a link leading out of the inventory, stops the command with nothing changed.
    changes = [
        change
        for file, raw, moving in plan
        for change in _changes(settings, file, raw, moving, kept, shown[file.stem], order)
    ]
    if ignore is not None:
        before = _add_to_gitignore(settings, ignore)
        # A file git tracks there stays committable, and so does what a line starting with !
        # below ours, or in a deeper .gitignore, includes again: refused, .gitignore as it was.
        still = overlay.not_ignored(settings, writing, line_added=True)
        if still is not None:
            _restore_gitignore(settings, before)
            raise still
    if plan:
        # The overlay holds personal data: its folders are made 0700 and its files 0600,
        # whatever the umask; the folder named in the settings, never a missing parent.
        files.make_folder(folder / overlay.FOLDER, within=folder, private=True)
    transaction.apply(changes)  # every file, or none
    return SplitResult(result, ignore)


def _changes(
    settings: Settings,
    file: records.SourceFile,
    raw: bytes,
    moving: Sequence[str],
    kept: overlay.Overlay,
    shown: str,
    order: Mapping[str, list[str]],
) -> list[transaction.Change]:
    """Writing the overlay file and the record once the fields `moving` went from the record
    to the overlay, each with its comments (the overlay file's own are kept too); a file that
    is a symbolic link is written where it leads, as every edit in place does. The overlay
    first: were even putting back to fail, the fields would be in both places, never lost."""
    record = yamlio.load(raw, file.rel, order)
    existing = kept.raws.get(file.stem)
    private = (
        yamlio.load(existing, shown, order)
        if existing is not None
        else yamlio.load(overlay.entry_text(file.stem, {}, order), shown, order)
    )
    for pointer in moving:
        yamlio.move(record, private, pointer)
    folder = overlay.require(settings)
    target = folder / overlay.FOLDER / f"{file.stem}{records.SUFFIX}"
    return [
        transaction.Change(
            files.edited(target, folder),
            yamlio.dump(private).encode("utf-8"),
            existing,
            private=True,
        ),
        transaction.Change(
            files.edited(file.path, settings.root), yamlio.dump(record).encode("utf-8"), raw
        ),
    ]


def _private_pointers(rel: str, data: Any, personal: Sequence[str]) -> list[str]:
    found = [
        pointer
        for pattern in personal
        for pointer, value in pointers.matches(data, pattern)
        if value not in (None, [], {}, "")
    ]
    access = data.get("access")
    if not isinstance(access, dict) or access.get("level") != "restricted":
        return found
    parts = access.get("restricted_parts")
    if not parts:
        raise UsageError(
            _(
                "{rel}: the whole record is restricted, but access.restricted_parts does "
                "not say which fields to keep in the private overlay"
            ).format(rel=rel),
            hint=_(
                "list the restricted fields in access.restricted_parts (for example "
                "/description, /locations), then run the command again"
            ),
        )
    # An entry is never quoted: it is text an editor wrote where a field name belongs, and
    # may hold anything (a contact); its place in the list says which it is.
    for number, part in enumerate(parts if isinstance(parts, list) else [], start=1):
        if not isinstance(part, str):
            continue
        try:
            segments = pointers.split(part)
            if not segments:  # `""`, the whole record: no field to move
                raise ValueError(part)
        except ValueError:
            raise UsageError(
                _(
                    "{rel}: entry {number} of access.restricted_parts is not a field's pointer"
                ).format(rel=rel, number=number),
                hint=_(
                    "write it as a pointer to a field (for example /locations); `ichinv "
                    "validate` checks it"
                ),
            ) from None
        field = unrestrictable(part)
        if field is not None:
            raise UsageError(
                _(
                    "{rel}: entry {number} of access.restricted_parts names {field}, which "
                    "cannot be restricted: public lists always show the id, status and access "
                    "of an element"
                ).format(rel=rel, number=number, field=field),
                hint=_(
                    "remove the entry (`ichinv validate` reports it too), then run the command "
                    "again"
                ),
            )
        if "*" in segments or any(pointers.is_index(s) for s in segments):
            raise UsageError(
                _(
                    "{rel}: entry {number} of access.restricted_parts names items of a list, "
                    "which cannot be moved on their own"
                ).format(rel=rel, number=number),
                hint=_("restrict the whole list (for example /locations) instead"),
            )
        found.extend(p for p, __ in pointers.matches(data, part))
    return list(dict.fromkeys(found))


def _move_into(private: dict[str, Any], pointer: str, value: Any, rel: str) -> None:
    parts = pointers.split(pointer)
    node = private
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise UsageError(
                _(
                    "{rel}: the private overlay holds {pointer} in another form than the record"
                ).format(rel=rel, pointer=pointer),
                hint=_("reconcile the record and its overlay file by hand"),
            )
    last = parts[-1]
    if last in node and node[last] != value:
        raise UsageError(
            _(
                "{rel}: {pointer} is both in the record and in the private overlay, with "
                "different values"
            ).format(rel=rel, pointer=pointer.lstrip("/")),
            hint=_("reconcile the record and its overlay file by hand, then run the command again"),
        )
    node[last] = value


def _shown(settings: Settings, stem: str) -> str:
    folder = overlay.require(settings)
    return overlay.display(settings, folder / overlay.FOLDER / f"{stem}{records.SUFFIX}")


def _add_to_gitignore(settings: Settings, line: str) -> str | None:
    """Append `line` to .gitignore at the inventory root; its text before (None: there was
    none)."""
    path = settings.root / ".gitignore"
    try:
        before: str | None = confined.text(path, settings.root)
    except FileNotFoundError:
        before = None
    text = before or ""
    if text and not text.endswith("\n"):
        text += "\n"
    files.write_text_atomic(
        path,
        text + "# the private overlay (personal data): never committed\n" + line + "\n",
        overwrite=True,
    )
    return before


def _restore_gitignore(settings: Settings, before: str | None) -> None:
    path = settings.root / ".gitignore"
    if before is None:
        path.unlink(missing_ok=True)
    else:
        files.write_text_atomic(path, before, overwrite=True)
