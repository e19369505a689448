"""`ichinv import`: a table edited from a committee export, back into the records.

The round trip loses nothing: importing an unedited export changes no file, and an edited
cell changes exactly that field of that record, through the round-trip editor
(ichinv.io.editor) so that comments, key order and quoting of the rest of the file stay as
they were. Rows with a new id become new records. Nothing is written unless every row can be
read and no edited record gains a validation error (or --force is given).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from ichinv.core import dates, pointers
from ichinv.core.errors import UsageError, closest_ids, did_you_mean
from ichinv.core.i18n import _
from ichinv.core.model import Finding, RecordKind, Severity
from ichinv.core.vocabulary import is_element_id, typed_id
from ichinv.diff import fields as field_diff
from ichinv.diff.compare import inventory_rules
from ichinv.exchange import import_refusals as refusals
from ichinv.exchange import json_export, row_cells, spreadsheet, table
from ichinv.exchange.export import CHECKSUM, WITHHELD
from ichinv.exchange.list_edits import InnerChange, inner_changes
from ichinv.inventory import ids as idalloc
from ichinv.inventory import record_files as records
from ichinv.inventory import view as inventory_view
from ichinv.inventory.audience import Audience
from ichinv.inventory.unreadable import read_record
from ichinv.io import atomic as files
from ichinv.io import editor as yamlio
from ichinv.io import strict_yaml as yamlload
from ichinv.io import transaction
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader
from ichinv.validate import file_check
from ichinv.validate.rules import cross as cross


@dataclass(frozen=True, slots=True)
class FieldEdit:
    """One field of one record set to a new value (or removed, when `new` is ABSENT)."""

    column: table.Column
    old: Any
    new: Any
    inside: tuple[InnerChange, ...] | None = None
    """When both values are lists or both mappings: the changes between them, field by field
    (ichinv.exchange.list_edits: a long value is shown by what changed in it)."""
    reordered: bool = False
    """When both values are lists: whether the entries kept come in another order."""

    @property
    def removed(self) -> bool:
        return self.new is table.ABSENT

    @property
    def added(self) -> bool:
        return self.old is table.ABSENT


@dataclass(frozen=True, slots=True)
class RecordChange:
    """What importing does to one record: edit fields of an existing file, or create a new one."""

    id: str
    path: str
    """Path of the record file, relative to the inventory root."""
    line: int
    """Where its row starts in the imported file."""
    created: bool
    edits: tuple[FieldEdit, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)
    """The whole record after the import (plain data)."""


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """Everything an import would do, and what stands in its way."""

    source: str
    rows: int
    changes: tuple[RecordChange, ...]
    unchanged: int
    stale: tuple[str, ...] = ()
    """Messages on rows whose record changed since the export (refused without --force)."""
    findings: tuple[Finding, ...] = ()
    """Validation errors the import would introduce in the records it touches."""
    unchecked: tuple[str, ...] = ()
    """Messages on rows imported with --force though they have no checksum (whether their
    record changed since the export was not checked)."""

    @property
    def blocked(self) -> bool:
        """True when writing needs --force."""
        return bool(self.stale or self.errors)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)


def plan_import(
    settings: Settings,
    path: Path,
    *,
    force: bool = False,
    phrasings: Collection[str] = (),
    complete: bool = True,
) -> ImportPlan:
    """Read `path` (CSV, xlsx or JSON) and work out every change it asks for, writing
    nothing. A new row's id must be one a new element may be given (no element ever had it,
    and it names no folder of elements' files: ichinv.inventory.ids.unavailable): without
    the whole git history (a shallow clone), HistoryIncomplete unless not `complete`. A row
    that would change a record but has no checksum (an export whose checksums
    were lost) is refused unless `force`, which imports it and says so (`unchecked`). A cell
    holding the note a public output writes where it withheld a value (`phrasings`: the
    sentences of packets and the site, see withheld_note.is_note) is refused: the file is a
    public export, even with its `_withheld` column deleted."""
    name = path.name
    schema_set = schema_loader.load(settings.schema_dir)
    schema = schema_set[RecordKind.ELEMENT]
    if path.suffix.lower() == ".json":
        sheet = json_export.read(spreadsheet.read_bytes(path), name, schema, force=force)
    else:
        sheet = spreadsheet.read(path)
    if WITHHELD in [h.strip() for h in sheet.header] or sheet.audience == Audience.PUBLIC:
        raise json_export.public_export(name)
    inventory = inventory_view.load(settings)
    refusals.refuse_unread(inventory)
    known = table.columns(schema, [rec.data for rec in inventory.elements])
    header = [h.strip() for h in sheet.header]
    has_checksum = CHECKSUM in header
    checksum_at = header.index(CHECKSUM) if has_checksum else -1
    try:
        cols = table.resolve_header(header, known, apart=checksum_at)
    except table.CellError as exc:
        raise UsageError(
            _("{name}: {exc}").format(name=name, exc=exc),
            hint=_("column names are the ones `ichinv export` writes"),
        ) from None
    if not any(c.path == ("id",) for c in cols):
        raise UsageError(
            _("{name} has no id column").format(name=name),
            hint=_("every row is matched to a record by its id"),
        )
    id_at = next(i for i, c in enumerate(cols) if c.path == ("id",))
    by_id = {rec.id: rec for rec in inventory.elements if rec.id}
    blobs = {rec.blob: rec.id for rec in inventory.elements if rec.id and rec.blob}
    changes: list[RecordChange] = []
    stale: list[str] = []
    unchecked: list[str] = list(sheet.unchecked)
    seen: dict[str, int] = {}
    taken: idalloc.Taken | None = None
    rules: field_diff.DiffRules | None = None
    unchanged = 0
    for cells, line in zip(sheet.rows, sheet.lines, strict=True):
        checksum = cells[checksum_at].strip() if has_checksum else ""
        values = [c for i, c in enumerate(cells) if i != checksum_at]
        where = f"{name}:{line}"
        element_id = table.line_breaks_as_kept(values[id_at])
        if not element_id.strip():
            raise UsageError(
                _("{name}:{line}: the row has no id").format(name=name, line=line),
                hint=_(
                    "give every row the id of its element (KZ-YYYY-NNNN); new elements "
                    "need a new id (see `ichinv new`)"
                ),
            )
        element_id = _taken_id(element_id)
        if element_id in seen:
            raise UsageError(
                _("{name}:{line}: {id} already has a row (line {first})").format(
                    name=name, line=line, id=element_id, first=seen[element_id]
                ),
                hint=_("keep one row per element"),
            )
        seen[element_id] = line
        other = blobs.get(checksum, element_id)  # the element the row was exported from
        if other != element_id and is_element_id(element_id):  # before any cell is read
            # (a cell that is no id is refused as such, never quoted: it may be anything)
            raise refusals.exported_from_another(name, line, element_id, other)
        current = by_id.get(element_id)
        # A cell left as exported is no edit, whatever its value's shape (read against the
        # record as the committee export wrote it).
        exported = {} if current is None else inventory.view(current, Audience.COMMITTEE)
        full = {} if current is None else inventory.full(current).data
        try:
            decoded = row_cells.decode_row(values, cols, where, (exported, full))
        except UsageError:  # a note where a list, JSON or a date is read: said as a note
            refusals.refuse_notes(zip(cols, ([c] for c in values), strict=True), where, phrasings)
            raise
        decoded[("id",)] = element_id  # the id as taken: never an edit of the record's id
        if current is None:
            refusals.refuse_unread(inventory, element_id)
            folder = settings.folder(RecordKind.ELEMENT)
            file = folder / f"{element_id}{records.SUFFIX}"
            if file.exists():
                refusals.refuse_named_otherwise(
                    inventory, (name, line), element_id, settings.relative(file)
                )
            elif is_element_id(element_id):
                if checksum:
                    raise refusals.gone_since_export(name, line, element_id)
                if taken is None:  # read once, at the first new row
                    taken = idalloc.unavailable(settings, complete=complete)
                refusals.refuse_reused_id(settings, (name, line), element_id, taken)
            refusals.refuse_notes(
                ((c, pointers.strings(decoded[c.path])) for c in cols), where, phrasings
            )
            changes.append(
                _new_record(settings, element_id, decoded, cols, name, line, known=by_id)
            )
            continue
        if PurePosixPath(current.path).stem != element_id and checksum != current.blob:
            raise refusals.doubtful_record(name, line, element_id, current.path)
        if rules is None:  # read once, at the first row of a record: keys of lists, provinces
            rules = inventory_rules(settings, inventory.provinces.values())
        edits = _edits(full, decoded, cols, rules)
        if not edits:
            unchanged += 1
            continue
        # Only what would change a record: a committee export holds the committee view's
        # own note where the overlay lacks a part, and imports back as no change.
        refusals.refuse_notes(
            ((e.column, pointers.strings(e.new)) for e in edits), where, phrasings
        )
        refusals.refuse_private_edits(inventory, current, [e.column for e in edits], where)
        if has_checksum and not checksum:
            if not force:
                raise refusals.no_checksum(name, line, element_id)
            unchecked.append(
                _(
                    "{name}:{line}: {id} has no checksum (_checksum) in this file: whether its "
                    "record changed after the export is not checked (--force)"
                ).format(name=name, line=line, id=element_id)
            )
        elif checksum and checksum != current.blob:
            fields = ", ".join(e.column.name for e in edits[:5])
            stale.append(
                _(
                    "{name}:{line}: {id} changed after this file was exported; its row would "
                    "undo those changes ({fields})"
                ).format(
                    name=name,
                    line=line,
                    id=element_id,
                    fields=fields + (", …" if len(edits) > 5 else ""),
                )
            )
        new_data = _apply_plain(_file_data(settings, current.path, element_id), edits)
        changes.append(RecordChange(element_id, current.path, line, False, tuple(edits), new_data))
    findings = _new_findings(settings, schema_set, inventory, changes)
    return ImportPlan(
        name,
        len(sheet.rows),
        tuple(changes),
        unchanged,
        tuple(stale),
        tuple(findings),
        tuple(unchecked),
    )


def _taken_id(cell: str) -> str:
    """The id a row's id cell gives: without the spaces a spreadsheet leaves around it, and as
    the other commands take ids (`kz‑2013‑0003`, with a packet's non-breaking hyphens) when
    that makes it an id."""
    taken = typed_id(cell)
    return taken if is_element_id(taken) else cell.strip()


def _file_data(settings: Settings, rel: str, element_id: str) -> Mapping[str, Any]:
    """The record as its file holds it (without anything of the private overlay)."""

    data, __ = yamlload.load(read_record(settings, rel, element_id))
    return data


def _edits(
    current: Mapping[str, Any],
    decoded: Mapping[tuple[str, ...], Any],
    cols: list[table.Column],
    rules: field_diff.DiffRules,
) -> list[FieldEdit]:
    edits = []
    for column in cols:
        old = table.value_at(current, column)
        new = decoded[column.path]
        if table.same(new, old):
            continue
        if isinstance(new, str) and isinstance(old, str) and old.endswith("\n"):
            new = new.rstrip("\n") + "\n"  # a spreadsheet drops the final line break: keep it
        inside, reordered = None, False
        if any(isinstance(old, kind) and isinstance(new, kind) for kind in (list, dict)):
            inside, reordered = inner_changes(column.path, old, new, rules)
        edits.append(FieldEdit(column, old, new, inside, reordered))
    return edits


def _apply_plain(data: Mapping[str, Any], edits: list[FieldEdit]) -> dict[str, Any]:
    """`data` with `edits` applied (a deep copy; the input is left alone)."""
    result = json.loads(json.dumps(data))
    for edit in edits:
        set_path(result, edit.column.path, edit.new)
    return result


def set_path(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set (or, for ABSENT, remove) the field at `path`, creating or pruning parent maps."""
    parents = [data]
    node = data
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            if value is table.ABSENT:
                return
            child = node[part] = {}
        parents.append(child)
        node = child
    if value is table.ABSENT:
        node.pop(path[-1], None)
        # A group whose every cell was emptied goes too.
        for depth in range(len(path) - 1, 0, -1):
            if parents[depth]:
                break
            parents[depth - 1].pop(path[depth - 1], None)
    else:
        node[path[-1]] = value


def _new_record(
    settings: Settings,
    element_id: str,
    decoded: Mapping[tuple[str, ...], Any],
    cols: list[table.Column],
    name: str,
    line: int,
    *,
    known: Collection[str] = (),
) -> RecordChange:
    """The new record a row with an id no element has makes (`known`: the ids elements have,
    to suggest one for a cell that is no id)."""
    data: dict[str, Any] = {}
    for column in cols:
        value = decoded[column.path]
        if value is not table.ABSENT:
            set_path(data, column.path, value)
    if not is_element_id(element_id):
        # Only ids of the inventory are suggested: the cell itself is never quoted.
        close = closest_ids(element_id, known, cutoff=0.8)
        raise UsageError(
            _(
                "{name}:{line}: column id: the cell is not an element id, and no element has it"
            ).format(name=name, line=line),
            hint=did_you_mean(close)
            if close
            else _(
                "ids are KZ-YYYY-NNNN (the year the element entered the inventory and a "
                "number); a row with a new id becomes a new record"
            ),
        )
    rel = f"{RecordKind.ELEMENT.folder}/{element_id}{records.SUFFIX}"
    if (settings.root / rel).exists():
        raise UsageError(
            _("row at line {line}: {rel} exists but could not be read as element {id}").format(
                line=line, rel=rel, id=element_id
            ),
            hint=_("run `ichinv validate {rel}` and fix the file first").format(rel=rel),
        )
    edits = tuple(
        FieldEdit(c, table.ABSENT, decoded[c.path])
        for c in cols
        if decoded[c.path] is not table.ABSENT
    )
    return RecordChange(element_id, rel, line, True, edits, data)


def _new_findings(
    settings: Settings,
    schema_set: Any,
    inventory: inventory_view.Inventory,
    changes: list[RecordChange],
) -> list[Finding]:
    """Validation errors and warnings the changed records would have that they do not have now."""

    if not changes:
        return []
    day = dates.today()
    public = settings.visibility == "public"
    touched = {c.path: c for c in changes}
    before: dict[str, set[tuple[str, str]]] = {}
    after: list[Finding] = []
    entries = [cross.index_entry(rec) for rec in inventory.elements if rec.path not in touched]
    entries.extend(cross.index_entry(rec) for rec in inventory.provinces.values())
    for change in changes:
        raw = json.dumps(change.data, ensure_ascii=False).encode("utf-8")
        check = file_check.check_file(
            RecordKind.ELEMENT, change.path, raw, schema_set, settings.root, day, public=public
        )
        after.extend(check.findings)
        if check.entry is not None:
            entries.append(check.entry)
        if not change.created:
            old = read_record(settings, change.path, change.id)
            previous = file_check.check_file(
                RecordKind.ELEMENT, change.path, old, schema_set, settings.root, day, public=public
            )
            before[change.path] = {(f.rule, f.pointer) for f in previous.findings}
    after.extend(f for f in cross.check(entries) if f.path in touched)
    # Positions would point into a rendering of the record, not the file: leave them out.
    after = [replace(f, line=None, column=None) for f in after]
    fresh = [
        f
        for f in after
        if (f.rule, f.pointer) not in before.get(f.path, set()) and f.severity is not Severity.INFO
    ]
    return sorted(
        {(f.path, f.rule, f.pointer, f.message): f for f in fresh}.values(),
        key=Finding.sort_key,
    )


def apply_import(settings: Settings, plan: ImportPlan) -> list[str]:
    """Write the plan's changes (through the round-trip editor, ichinv.io.editor); the paths
    written. All of them or none (ichinv.io.transaction): a record that cannot be rewritten,
    or a file the system refuses to replace, stops the import with nothing written."""
    if not plan.changes:
        return []

    schema = schema_loader.load(settings.schema_dir)[RecordKind.ELEMENT]
    order = schema.property_order
    written: list[tuple[RecordChange, transaction.Change]] = []
    for change in plan.changes:
        target = settings.root / change.path
        if change.created:
            text = yamlio.dump_new(change.data, RecordKind.ELEMENT, order)
            written.append((change, transaction.Change(target, text.encode("utf-8"), None)))
            continue
        target = files.edited(target, settings.root)
        read = read_record(settings, change.path, change.id)
        edits = [(e.column.path, None if e.removed else e.new) for e in change.edits]
        data = yamlio.edit(read, edits, order, schema.list_keys).encode("utf-8")
        if data != read:
            written.append((change, transaction.Change(target, data, read)))
    transaction.apply([file for __, file in written])
    return [change.path for change, __ in written]
