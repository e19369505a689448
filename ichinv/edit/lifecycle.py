"""Changing an element's place in the inventory: `retire`, `merge` and `renumber`.

Each use case reads the records it needs, computes every new file text first (through
the round-trip editor, comments and formatting kept), and only then writes, each file atomically. The
cross-references are kept coherent on both sides: a merged element names the element it went
into (`status_change.merged_into`) and that element lists it under `related` with `relation:
merged-from`; a renumbered element's id is changed wherever another record refers to it.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ichinv.core import dates
from ichinv.core.errors import UsageError, typed
from ichinv.core.i18n import _
from ichinv.core.model import Record, RecordKind
from ichinv.inventory import ids as idalloc
from ichinv.inventory import record_files as records
from ichinv.io import atomic as files
from ichinv.io import editor as yamlio
from ichinv.io import transaction
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader


@dataclass(frozen=True, slots=True)
class Written:
    """What a command changed, and what the editor should know about it."""

    summary: str
    """One line saying what was done."""
    paths: tuple[str, ...]
    """Files written (relative to the inventory root), in the order written."""
    notes: tuple[str, ...] = ()
    """Consequences worth checking (shown after the summary)."""
    removed: tuple[str, ...] = ()
    """Files removed (renumber: the record's old file)."""


@dataclass(frozen=True, slots=True)
class Decision:
    """Why, when and by which act an element leaves the active inventory."""

    reason: str
    date: str
    """YYYY-MM-DD; not in the future."""
    decision: str | None = None
    """Reference of the order or minutes, when there is one."""


# --- the elements as they are ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Index:
    by_id: Mapping[str, tuple[Record, ...]]
    """Every readable element record, by id."""

    def holders(self, element_id: str) -> tuple[Record, ...]:
        return self.by_id.get(element_id, ())


def _index(settings: Settings) -> _Index:
    by_id: dict[str, list[Record]] = {}
    for item in records.load_all(settings):
        if isinstance(item, Record) and item.kind is RecordKind.ELEMENT and item.id is not None:
            by_id.setdefault(item.id, []).append(item)
    return _Index({k: tuple(v) for k, v in by_id.items()})


def _find(settings: Settings, index: _Index, element_id: str, role: str = "") -> Record:
    """The one record holding `element_id` (UsageError when there is none, or several)."""
    if idalloc.parse(element_id) is None:
        raise UsageError(
            _("{id!r} is not an element id").format(id=typed(element_id)),
            hint=_("element ids look like KZ-2013-0001"),
        )
    holders = index.holders(element_id)
    if len(holders) > 1:
        paths = ", ".join(h.path for h in holders)
        raise UsageError(
            _("the id {id} is used by {count} records: {paths}").format(
                id=element_id, count=len(holders), paths=paths
            ),
            hint=_("give one of them a new id first: `ichinv renumber {path}`").format(
                path=holders[-1].path
            ),
        )
    if holders:
        return holders[0]
    stem_file = settings.folder(RecordKind.ELEMENT) / f"{element_id}.yaml"
    if stem_file.is_file():
        # Unreadable: opening it for editing reports why, with the line and column.
        yamlio.load(stem_file.read_bytes(), settings.relative(stem_file))
    guess = difflib.get_close_matches(element_id, list(index.by_id), n=1)
    raise UsageError(
        _("there is no element {id} in {folder}/").format(id=role + element_id, folder="elements"),
        hint=(
            _("did you mean {guess}?").format(guess=guess[0])
            if guess
            else _("`ichinv list` shows the elements")
        ),
    )


def _open(settings: Settings, record: Record) -> tuple[yamlio.Document, bytes]:
    """The record for editing, and the bytes it was read from (written back only if the file
    still holds them)."""
    path = settings.root / record.path
    order = schema_loader.load_schema(
        RecordKind.ELEMENT, settings.schema_file(RecordKind.ELEMENT), check=False
    ).property_order
    raw = path.read_bytes()
    return yamlio.load(raw, record.path, order), raw


def _require_active(record: Record, element_id: str, role: str = "") -> None:
    status = record.data.get("status")
    if status == "active":
        return
    change = record.data.get("status_change")
    into = change.get("merged_into") if isinstance(change, Mapping) else None
    hint = _("only active elements can be retired, merged or merged into")
    if role and into:
        hint = _("merge into {into}, the element {id} was merged into").format(
            into=into, id=element_id
        )
    if status == "merged" and into:
        message = _("{id} is merged into {into}, not active")
    elif status == "merged":
        message = _("{id} is merged, not active")
    elif status == "retired":
        message = _("{id} is retired, not active")
    else:
        message = _("{id} is {status!r}, not active")
    raise UsageError(message.format(id=role + element_id, into=into, status=status), hint=hint)


def check_reason(value: str, option: str = "--reason") -> str:
    """A reason as published with the record: some words, surrounding blanks removed."""
    text = value.strip()
    if not text:
        raise UsageError(
            _("{option} is empty").format(option=option),
            hint=_('say in plain words why, e.g. --reason "No longer practised since 2019."'),
        )
    return text


def check_date(value: str | None, today: dt.date, option: str = "--date") -> str:
    """A decision date: YYYY-MM-DD, a real date, not in the future (ichinv.core.dates, where
    every date option is read); today when not given."""
    return (dates.option_date(value, option, latest=today) or today).isoformat()


def _apply_decision(
    document: yamlio.Document, status: str, decision: Decision, **extra: str
) -> None:
    document.set("/status", status)
    change: dict[str, Any] = {"reason": decision.reason, "date": decision.date}
    change.update(extra)
    if decision.decision:
        change["decision"] = decision.decision
    document.set("/status_change", change)


def _touch(document: yamlio.Document, today: dt.date) -> None:
    """Record the revision date in provenance.updated (when the record has provenance)."""
    provenance = document.get("/provenance")
    if isinstance(provenance, Mapping):
        document.set("/provenance/updated", today.isoformat())


def _change(settings: Settings, rel: str, text: str, read: bytes) -> transaction.Change:
    """Replacing the record at `rel` (read as `read`) with `text`."""
    path = files.edited(settings.root / rel, settings.root)
    return transaction.Change(path, text.encode("utf-8"), read)


def _write_all(settings: Settings, texts: list[tuple[str, str, bytes]]) -> tuple[str, ...]:
    """Replace every record (path, new text, bytes read): all of them, or none."""
    transaction.apply([_change(settings, rel, text, read) for rel, text, read in texts])
    return tuple(rel for rel, __, ___ in texts)


def _referrers(index: _Index, element_id: str, *, skip: str = "") -> list[tuple[Record, str]]:
    """(record, how) for every record that refers to `element_id`."""
    found = []
    for holders in index.by_id.values():
        for record in holders:
            if record.path == skip:
                continue
            change = record.data.get("status_change")
            if isinstance(change, Mapping) and change.get("merged_into") == element_id:
                found.append((record, "merged into it"))
            related = record.data.get("related")
            found.extend(
                (record, f"related ({item.get('relation')})")
                for item in (related if isinstance(related, list) else [])
                if isinstance(item, Mapping) and item.get("id") == element_id
            )
    return sorted(found, key=lambda pair: pair[0].path)


# --- retire and merge -----------------------------------------------------------------------


def retire(settings: Settings, element_id: str, decision: Decision, today: dt.date) -> Written:
    """Set the element's status to retired, with the reason, date and decision."""
    index = _index(settings)
    record = _find(settings, index, element_id)
    _require_active(record, element_id)
    document, raw = _open(settings, record)
    _apply_decision(document, "retired", decision)
    _touch(document, today)
    paths = _write_all(settings, [(record.path, yamlio.dump(document), raw)])
    notes = [
        _(
            "{path} ({other}) is merged into {id}, which is now retired: point its "
            "status_change.merged_into at the element that carries it on"
        ).format(path=other.path, other=other.id, id=element_id)
        for other, how in _referrers(index, element_id, skip=record.path)
        if how == "merged into it"
    ]
    return Written(
        _("retired {id} ({path})").format(id=element_id, path=record.path), paths, tuple(notes)
    )


def merge(
    settings: Settings, element_id: str, into: str, decision: Decision, today: dt.date
) -> Written:
    """Merge the element into another: both records updated (status_change.merged_into on
    the one merged, a `merged-from` entry under `related` on the other)."""
    if element_id == into:
        raise UsageError(
            _("cannot merge {id} into itself").format(id=element_id),
            hint=_("--into names the element that carries this one on"),
        )
    index = _index(settings)
    source = _find(settings, index, element_id)
    target = _find(settings, index, into, "--into ")
    _require_active(source, element_id)
    _require_active(target, into, "--into ")
    source_doc, source_raw = _open(settings, source)
    target_doc, target_raw = _open(settings, target)
    _apply_decision(source_doc, "merged", decision, merged_into=into)
    _touch(source_doc, today)
    related = target_doc.get("/related")
    position = next(
        (
            number
            for number, item in enumerate(related if isinstance(related, list) else [])
            if isinstance(item, Mapping) and item.get("id") == element_id
        ),
        None,
    )
    if position is None:
        target_doc.append("/related", {"id": element_id, "relation": "merged-from"})
    else:
        target_doc.set(f"/related/{position}/relation", "merged-from")
    _touch(target_doc, today)
    texts = [
        (source.path, yamlio.dump(source_doc), source_raw),
        (target.path, yamlio.dump(target_doc), target_raw),
    ]
    paths = _write_all(settings, texts)
    notes = [
        _("{path} ({other}) was merged into {id}; point it at {into} too").format(
            path=other.path, other=other.id, id=element_id, into=into
        )
        for other, how in _referrers(index, element_id, skip=source.path)
        if how == "merged into it"
    ]
    return Written(
        _("merged {id} into {into}").format(id=element_id, into=into), paths, tuple(notes)
    )


# --- renumber ---------------------------------------------------------------------------------


def renumber(
    settings: Settings, target: str, to: str | None, *, force: bool = False, complete: bool = True
) -> Written:
    """Give a record (by id, or by path when several share an id) the next free id of its
    year, or `to`: the file is renamed, its id changed, and references to the old id in
    other records follow, unless another record still holds that id. Every file changes, or
    none.

    An id that is unique and already committed is published: it is renumbered only with
    `force`. Without the whole git history, HistoryIncomplete unless not `complete`."""
    index = _index(settings)
    record = _resolve_target(settings, index, target)
    _refuse_links(settings, target, record)
    old_id = str(record.id)
    history = idalloc.git_ids(settings, complete=complete)
    if not force and len(index.holders(old_id)) == 1 and old_id in history:
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
    parsed = idalloc.parse(old_id)
    if parsed is None:
        raise UsageError(
            # Not quoted: text that is no id may be anything, an e-mail address too.
            _("{path} has an id not in the form KZ-YYYY-NNNN").format(path=record.path),
            hint=_("pass --to KZ-YYYY-NNNN to give it one"),
        )
    known = idalloc.working_tree_ids(settings) | history | set(index.by_id)
    own_stem = Path(record.path).name.removesuffix(".yaml")
    if to is not None:
        if idalloc.parse(to) is None:
            raise UsageError(
                _("--to {to!r} is not an element id").format(to=typed(to)),
                hint=_("ids look like KZ-2026-0001"),
            )
        if to == old_id:
            raise UsageError(_("{path} has the id {to} already").format(path=record.path, to=to))
        # The record's own file name may already be the id it should have.
        if to in known and not (to == own_stem and not index.holders(to)):
            raise UsageError(
                _("{to} is already used (in elements/ or in the git history)").format(to=to),
                hint=_("ids are never reused; leave out --to to get the next free one"),
            )
    document, raw = _open(settings, record)
    folder = settings.folder(RecordKind.ELEMENT)
    new_id = to if to is not None else idalloc.next_free(parsed[0], known, folder)
    new_path = folder / f"{new_id}.yaml"
    new_rel = settings.relative(new_path)
    document.set("/id", new_id)
    document.path = new_rel
    old_file = settings.root / record.path
    same = old_file.resolve() == new_path.resolve()
    changes = [transaction.Change(new_path, yamlio.dump(document).encode(), raw if same else None)]
    if not same:
        changes.append(transaction.Change(old_file, None, raw))
    written = [new_rel]
    notes: list[str] = []
    others = [h for h in index.holders(old_id) if h.path != record.path]
    referrers = _referrers(index, old_id, skip=record.path)
    if others:
        if referrers:
            notes.append(
                _(
                    "{old} is still the id of {path}, so references to it were left as they "
                    "are; check whether any of them meant the renumbered record: {referrers}"
                ).format(
                    old=old_id,
                    path=others[0].path,
                    referrers=", ".join(sorted({r.path for r, __ in referrers})),
                )
            )
    else:
        for rel in sorted({r.path for r, __ in referrers}):
            changes.append(
                _change(settings, rel, *_rename_references(index, settings, rel, old_id, new_id))
            )
            written.append(rel)
    transaction.apply(changes)
    mentions = sorted(
        r.path
        for holders in index.by_id.values()
        for r in holders
        if r.path != record.path and old_id in _texts(r.data)
    )
    if mentions and not others:
        notes.append(
            _(
                "{old} is also written in the text of {paths}; check whether those mentions "
                "should name the new id"
            ).format(old=old_id, paths=", ".join(mentions))
        )
    summary = _("renumbered {old} → {new} ({path} → {new_path})").format(
        old=old_id, new=new_id, path=record.path, new_path=new_rel
    )
    return Written(summary, tuple(written), tuple(notes), removed=(record.path,))


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


def _resolve_target(settings: Settings, index: _Index, target: str) -> Record:
    if idalloc.parse(target) is not None and not target.endswith(".yaml"):
        return _find(settings, index, target)
    path = Path(target)
    path = path if path.is_absolute() else Path.cwd() / path
    rel = settings.relative(path.resolve())
    for holders in index.by_id.values():
        for record in holders:
            if record.path == rel:
                return record
    if path.is_file() and Path(rel).parent.as_posix() == RecordKind.ELEMENT.folder:
        # In elements/ but unreadable, or without an id: opening it says why.
        yamlio.load(path.read_bytes(), rel)
        raise UsageError(
            _("{rel} has no element id").format(rel=rel), hint=_("add `id:` to the record first")
        )
    raise UsageError(
        _("{target} is neither an element id nor a record file under elements/").format(
            target=typed(target)
        ),
        hint=_("pass an id (KZ-2026-0001) or the path of the record (elements/KZ-2026-0001.yaml)"),
    )


def _rename_references(
    index: _Index, settings: Settings, rel: str, old_id: str, new_id: str
) -> tuple[str, bytes]:
    """The new text of the record at `rel`, its references to `old_id` naming `new_id`, and
    the bytes it was read from."""
    record = next(r for holders in index.by_id.values() for r in holders if r.path == rel)
    document, raw = _open(settings, record)
    if document.get("/status_change/merged_into") == old_id:
        document.set("/status_change/merged_into", new_id)
    related = document.get("/related")
    for number, item in enumerate(related if isinstance(related, list) else []):
        if isinstance(item, Mapping) and item.get("id") == old_id:
            document.set(f"/related/{number}/id", new_id)
    return yamlio.dump(document), raw


def _texts(data: Any) -> str:
    """Every text of a record except its id and its structured references, joined."""
    found: list[str] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        key, value = stack.pop()
        if isinstance(value, Mapping):
            stack.extend((str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((key, v) for v in value)
        elif isinstance(value, str) and key not in ("id", "merged_into"):
            found.append(value)
    return "\n".join(found)
