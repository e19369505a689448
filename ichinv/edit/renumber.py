"""`renumber`: give a record a new id, and follow it in every reference.

The record's file is renamed and its id changed, and references to the old id in other
records (`related`, `status_change.merged_into`) name the new one, unless another record still
holds the old id. Every new text is computed first; then every file changes, or none.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ichinv.core import dates
from ichinv.core.errors import RecordUnreadable, UsageError, typed
from ichinv.core.i18n import _, ngettext
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.edit import overlay_edits
from ichinv.edit import renumber_resume as resume
from ichinv.edit.elements import (
    Index,
    Written,
    change,
    find,
    newest,
    open_record,
    read_index,
    referrers,
    rename_references,
    texts,
)
from ichinv.inventory import attachment_folders
from ichinv.inventory import ids as idalloc
from ichinv.inventory.unreadable import cannot_read, held_ids, read_record, whole_folder
from ichinv.io import editor as yamlio
from ichinv.io import transaction
from ichinv.io.settings import Settings


def renumber(
    settings: Settings, target: str, to: str | None, *, force: bool = False, complete: bool = True
) -> Written:
    """Give a record (by id, or by path when several share an id) the next free id of its
    year, or `to`: the file is renamed, its id changed, and references to the old id in
    other records follow, unless another record still holds that id. Every file changes, or
    none.

    An id that is unique and already committed is published: it is renumbered only with
    `force`. Without the whole git history, HistoryIncomplete unless not `complete`."""
    index = read_index(settings)
    record = resume.found(settings, index, target, to)
    resumed = record is not None
    if record is None:
        record = _resolve_target(settings, index, target)
        # Named by its path, a record is resumed as named by the id its file is named by.
        resumed = resume.by_path(target) and resume.left(settings, index, record, to)
        if not resume.by_path(target):
            resume.refuse_named_otherwise(record)
    _refuse_links(settings, target, record)
    # Resumed, the old id is the one the file is still named by.
    old_id = Path(record.path).stem if resumed else str(record.id)
    history = idalloc.ids_in(idalloc.committed_paths(settings, complete=complete))
    folders = attachment_folders.ids(settings)  # the next free id passes them by
    orphans = set(index.kept.entries) if index.kept is not None else set()
    named = idalloc.named_ids(settings)
    # The ids other renumbers cut short are giving (their records hold them: index.by_id).
    giving = {new: old for old, new in idalloc.noted_renumbers(settings).items() if old != old_id}
    known = named | history | set(index.by_id) | orphans | set(giving)
    # The next free id is numbered above the ids of files, history, overlay and folders, and
    # passes by those only an `id:` line, a note or a reference holds (ids.Taken: one may be
    # mistyped; a reference to an id no element has would lead to the renumbered record).
    written = set(idalloc.named_in_records(settings))
    taken = idalloc.Taken(
        named | history | orphans | folders, set(index.by_id) | set(giving) | written
    )
    if resumed:
        resume.check(
            settings,
            index,
            record,
            to=to,
            history=history,
            folders=folders,
        )
    _refuse_published(settings, index, record, old_id, history, force=force)
    parsed = idalloc.parse(old_id)
    if parsed is None:
        raise UsageError(
            # Not quoted: text that is no id may be anything, an e-mail address too.
            _("{path} has an id not in the form KZ-YYYY-NNNN").format(path=record.path),
            hint=_("pass --to KZ-YYYY-NNNN to give it one"),
        )
    own_stem = Path(record.path).stem
    if to is not None and not resumed:
        if idalloc.parse(to) is None:
            raise UsageError(
                _("--to {to!r} is not an element id").format(to=typed(to)),
                hint=_("ids look like KZ-2026-0001"),
            )
        _refuse_impossible(to)
        if to == old_id:
            raise UsageError(_("{path} has the id {to} already").format(path=record.path, to=to))
        if to in orphans and not index.holders(to):
            assert index.kept is not None
            raise UsageError(
                _(
                    "{to} is already used by {path} in the private overlay, which belongs to "
                    "no element"
                ).format(to=to, path=index.kept.paths[to]),
                hint=_(
                    "move that file away (or give its fields to their element) first; leave "
                    "out --to to get the next free id"
                ),
            )
        if to in giving and to not in named | history:
            raise _noted_elsewhere(settings, to, giving[to])
        # The record's own file name may already be the id it should have.
        if to in known and not (to == own_stem and not index.holders(to)):
            raise UsageError(
                _("{to} is already used (in elements/ or in the git history)").format(to=to),
                hint=_("ids are never reused; leave out --to to get the next free one"),
            )
    document, raw = open_record(settings, record)
    folder = settings.folder(RecordKind.ELEMENT)
    if resumed:
        new_id = str(record.id)
    else:
        # Cut short before the record's text changed, the renumber gives the id it noted.
        again = None if to else resume.noted_free(settings, old_id, known | folders | {old_id})
        new_id = to or again or idalloc.next_free(parsed[0], taken, folder)
    new_path = folder / f"{new_id}.yaml"
    new_rel = settings.relative(new_path)
    document.set("/id", new_id)
    document.path = new_rel
    old_file = settings.root / record.path
    same = old_file.resolve() == new_path.resolve()
    text = yamlio.dump(document).encode()
    followed = _follow(settings, index, record, old_id, new_id)
    renamed = [] if same else [transaction.Change(new_path, None, None, moved_from=old_file)]
    if resumed and resume.same_file(old_file, new_path):  # killed while renaming: both names left
        renamed = [transaction.Change(old_file, None, raw)]
    # The record's new text in place first, then the references, its overlay file, and its
    # renaming last: killed before its new text is in place, nothing changed (but the note
    # below); killed after, it holds its new id under its old name (validate: id.file-name),
    # which no other element is given (ids.id_lines), and the same command completes the
    # change (ichinv.edit.renumber_resume). So no reference names the new id before the
    # record holds it: one that did, the record still under its old id, would be all that
    # kept the new id, and `new` could give it to another element. Never two live copies
    # (see ichinv.io.transaction). An overlay file that moves is noted first: moved, and the
    # record not yet renamed, it is told from another element's file only by that note.
    kept = index.kept if index.kept is not None and index.kept.available else None
    noted = [resume.noting(kept, old_id, new_id)] if kept is not None and followed.moves else []
    transaction.apply(
        [
            *noted,
            *([transaction.Change(old_file, text, raw)] if text != raw else []),
            *followed.references,
            *followed.moves,
            *renamed,
        ]
    )
    if kept is not None:
        resume.done(kept, old_id)
    summary = _("renumbered {old} → {new} ({path} → {new_path})").format(
        old=old_id, new=new_id, path=record.path, new_path=new_rel
    )
    if same:  # a copy given the id of its name (`--to` it): the file keeps its name
        summary = _("renumbered {old} → {new} ({path})").format(
            old=old_id, new=new_id, path=new_rel
        )
    notes = followed.notes
    if resumed:
        notes = (
            _(
                "{path} held the id {new} already, as a renumber interrupted before it renamed "
                "the file leaves it: the renumbering was completed"
            ).format(path=record.path, new=new_id),
            *notes,
        )
    return Written(
        summary,
        (new_rel, *followed.written),
        notes,
        removed=(*([] if same else [record.path]), *followed.removed),
    )


@dataclass(frozen=True, slots=True)
class _Followed:
    """What follows a record's new id: in other records, and in the private overlay."""

    references: list[transaction.Change]
    """Other files whose references follow the new id."""
    moves: list[transaction.Change] = field(default_factory=list)
    """The overlay file that moves with the record."""
    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def _follow(
    settings: Settings, index: Index, record: Record, old_id: str, new_id: str
) -> _Followed:
    """The changes that make references to the record's `old_id` name `new_id` (in records
    and overlay files) and move its overlay file; when another record keeps the old id, none,
    but notes. Refused, changing nothing, when a file that may take part cannot be read or
    the overlay is not here."""
    kept = index.kept
    overlay_edits.require_here(settings, kept, old_id)
    others = [h for h in index.holders(old_id) if h.path != record.path]
    overlay_problems = list(kept.problems) if kept is not None else []
    _refuse_unreadable([*overlay_problems, *(() if others else index.unreadable)], old_id)
    referring = sorted({r.path for r, __ in referrers(index, old_id, skip=record.path)})
    private_referring = overlay_edits.referrers(kept, old_id, skip=old_id) if kept else []
    if others:
        notes = []
        shown = [*referring, *(kept.paths[i] for i in private_referring if kept)]
        if shown:
            notes.append(
                _(
                    "{old} is still the id of {path}, so references to it were left as they "
                    "are; check whether any of them meant the renumbered record: {referrers}"
                ).format(old=old_id, path=others[0].path, referrers=", ".join(shown))
            )
        if kept is not None and old_id in kept.entries:
            notes.append(
                _(
                    "the private overlay's file of {old}, {path}, stays with {other}, which "
                    "keeps the id; if fields of the renumbered record were kept there too, "
                    "copy them to its file of {new}"
                ).format(old=old_id, path=kept.paths[old_id], other=others[0].path, new=new_id)
            )
        return _Followed([], notes=tuple(notes))
    changes = [
        change(settings, rel, *rename_references(index, settings, rel, old_id, new_id))
        for rel in referring
    ]
    written, removed = list(referring), []
    moves: list[transaction.Change] = []
    if kept is not None:
        moves, new_file, old_file = overlay_edits.renamed(settings, kept, old_id, new_id)
        more, shown = overlay_edits.followed(settings, kept, private_referring, old_id, new_id)
        changes += more
        written += new_file + shown
        removed += [old_file] if old_file else []
    mentions = sorted(
        r.path
        for holders in index.by_id.values()
        for r in holders
        if r.path != record.path and old_id in texts(r.data)
    ) + overlay_edits.mentions(kept, old_id, old_id, texts)
    notes = (
        [
            _(
                "{old} is also written in the text of {paths}; check whether those mentions "
                "should name the new id"
            ).format(old=old_id, paths=", ".join(mentions))
        ]
        if mentions
        else []
    )
    return _Followed(changes, moves, tuple(written), tuple(removed), tuple(notes))


def _noted_elsewhere(settings: Settings, to: str, old: str) -> UsageError:
    """The refusal of --to `to`, the id the note of a renumber of `old` cut short names (see
    renumber_resume.noting): run again, that renumber gives it."""
    return UsageError(
        _(
            "{to} is the new id a renumber of {old} cut short is giving ({note} holds it), and "
            "no id is given to two elements"
        ).format(to=to, old=old, note=idalloc.note_shown(settings, old)),
        hint=_(
            "run `ichinv renumber {old}` to complete that renumber; leave out --to to get the "
            "next free id for this record"
        ).format(old=old),
    )


def _refuse_impossible(to: str) -> None:
    """A UsageError for an id no element can be given (as `new` gives none: ids.never_given),
    one of a year still to come, or numbered 0000."""
    never = idalloc.never_given(to, today=dates.today())
    if never is not None:
        raise UsageError(
            _("{context}: {problem}").format(context=f"--to {to}", problem=never),
            hint=_(
                "an element's id carries the year it entered the inventory: give an id of "
                "that year, or leave out --to for the next free id of the record's year"
            ),
        )


def _refuse_published(
    settings: Settings,
    index: Index,
    record: Record,
    old_id: str,
    history: set[str],
    *,
    force: bool,
) -> None:
    """A UsageError, unless `force`, when the record's `old_id` is published: one committed,
    that no other record shares, or that its file is named after (of two records sharing an
    id, the committed `elements/<id>.yaml` is the published one, even named by its path)."""
    holders = index.holders(old_id)
    if force or old_id not in history:
        return
    if len(holders) <= 1:  # none: a renumber resumed (see renumber_resume)
        raise UsageError(
            _(
                "{old} is used by no other record and is already committed; ids never change "
                "once given"
            ).format(old=old_id),
            hint=_(
                "renumber is for two records that ended up with the same id; pass --force "
                "to renumber this one anyway"
            ),
        )
    if Path(record.path).stem == old_id:
        other = newest(settings, [h for h in holders if h.path != record.path])
        raise UsageError(
            _(
                "{path} is the committed record of {old}, whose id is published; ids never "
                "change once given"
            ).format(path=record.path, old=old_id),
            hint=_(
                "renumber the other record that holds {old} (`ichinv renumber {other}`), or "
                "pass --force to renumber this one anyway"
            ).format(old=old_id, other=shlex.quote(other.path)),
        )


def _refuse_unreadable(problems: Sequence[Finding], old_id: str) -> None:
    """RecordUnreadable (exit 1) naming every file that cannot be read, when there is one:
    it may refer to `old_id`, and its reference would be left leading nowhere."""
    if not problems:
        return
    raise RecordUnreadable(
        ngettext(
            "{count} file cannot be read, and it may refer to {old}, so nothing was changed:",
            "{count} files cannot be read, and they may refer to {old}, so nothing was changed:",
            len(problems),
        ).format(count=len(problems), old=old_id),
        details=[f"{p.place}: {p.message}" for p in problems],
        hint=_(
            "fix them first (`ichinv validate` says what is wrong), so that their references "
            "follow the new id"
        ),
    )


def _refuse_links(settings: Settings, target: str, record: Record) -> None:
    """Renumbering renames the record's file and removes the old one: refused when the file
    named, or the record's file, is a symbolic link, or a link in elements/ leads to it (the
    link would be left leading nowhere, or the file it leads to removed)."""
    folder = settings.folder(RecordKind.ELEMENT)
    own = settings.root / record.path
    named = Path(target) if target.endswith(".yaml") else own
    named = named if named.is_absolute() else Path.cwd() / named
    links = [p for p in (named, own) if p.is_symlink()]
    if not links:
        real = own.resolve()
        links = sorted(p for p in folder.glob("*.yaml") if p.is_symlink() and p.resolve() == real)
    if links:
        raise UsageError(
            _(
                "{path} is a symbolic link, and renumber renames the record's file: the link "
                "would be left leading nowhere"
            ).format(path=settings.relative(links[0].absolute())),
            hint=_("replace the link with the record itself (or remove it), then renumber"),
        )


def _resolve_target(settings: Settings, index: Index, target: str) -> Record:
    if not resume.by_path(target):
        return find(settings, index, target)
    path = Path(target)
    path = path if path.is_absolute() else Path.cwd() / path
    rel = settings.relative(path.resolve())
    for holders in index.by_id.values():
        for record in holders:
            if record.path == rel:
                return record
    given = settings.relative(Path(os.path.normpath(path)))
    named = {rel, given}
    problem = next((p for p in index.unreadable if p.path in named), None)
    if problem is not None:  # as `renumber ID` and `show` say it (exit 1)
        held = list(held_ids(settings, [problem]))
        raise cannot_read(held[0] if held else Path(problem.path).stem, problem)
    folder = whole_folder(index.unreadable)  # elements/ a link leading out, another repository
    if folder is not None and Path(given).parent.as_posix() == RecordKind.ELEMENT.folder:
        raise cannot_read(Path(given).name.removesuffix(".yaml"), folder)
    if path.is_file() and Path(rel).parent.as_posix() == RecordKind.ELEMENT.folder:
        # In elements/ but unreadable, or without an id: opening it says why.
        yamlio.load(read_record(settings, rel, Path(rel).stem), rel)
        raise UsageError(
            _("{rel} has no element id").format(rel=rel), hint=_("add `id:` to the record first")
        )
    raise UsageError(
        _("{target} is neither an element id nor a record file under elements/").format(
            target=typed(target)
        ),
        hint=_("pass an id (KZ-2026-0001) or the path of the record (elements/KZ-2026-0001.yaml)"),
    )
