"""`ichinv migrate`: bring records up to the record format their schema describes.

Each schema states its format version (`x-ichinv-schema-version`); a record states the version
it was written for (`schema_version`; absent means 1). When the schema moves on, a migration
per version step turns a record of version N into version N+1: `MIGRATIONS[kind][N]` is a
function that edits the record in place through `yamlio.Document` (rename, set, delete), so
comments and formatting survive. `migrate` runs every step a record needs, in order, then sets
its `schema_version`. A second run changes nothing.

To change the format: raise `x-ichinv-schema-version` in the schema and the `maximum` of its
`schema_version` with it (so that validate accepts the records migrate writes), and register the
step here (see `_province_v1_to_v2`). A field added as optional needs no step and no new
version: records of the old format are records of the new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ichinv.core.errors import ConfigError, IchinvError
from ichinv.core.i18n import _
from ichinv.core.model import RecordKind
from ichinv.edit.unhandled import Unhandled
from ichinv.edit.verdicts import Verdicts
from ichinv.inventory import record_files as records
from ichinv.inventory import snapshots
from ichinv.inventory.unreadable import unread_records
from ichinv.io import atomic as files
from ichinv.io import editor as yamlio
from ichinv.io import strict_yaml, transaction
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader

Migration = Callable[[yamlio.Document], None]
"""Edits a record of version N, in place, into a record of version N+1."""

MIGRATIONS: dict[RecordKind, dict[int, Migration]] = {kind: {} for kind in RecordKind}
"""Migration steps by record kind and the version they start from."""


class Unmigratable(IchinvError):
    """A record a step cannot bring to the next format without losing something, or whose
    value is of a form the step does not know: left as it is, and named at the value
    (`pointer`) with what to do in its hint."""

    def __init__(self, message: str, hint: str | None = None, *, pointer: str = "") -> None:
        super().__init__(message, hint)
        self.pointer = pointer
        """The field the step refused (a JSON pointer), to give its line and column."""


def _province_v1_to_v2(record: yamlio.Document) -> None:
    """Province format 2 keeps every ISO 3166-2 code of a unit, with its period, in
    `iso_codes`: the single `iso_code` of format 1 becomes its first entry, in its place and
    with its comments. A record that has both is migrated only when `iso_codes` lists the code
    already or is empty (`iso_codes:` or `iso_codes: []`: then it is filled with the code) and
    `iso_code` has no comment (nothing is lost by dropping it); else it is left to the editor
    (found by an outside review: the code and its comments were dropped).

    Only a code written as text is carried over (format 1 had it so; validate judges whether
    it is a code): a list, a mapping, a number, true/false or an empty `iso_code` is refused
    rather than wrapped into an entry format 2 cannot hold (an outside review found a list
    ending in an internal error, a mapping written as `- code: {code: …}`, and an empty one
    left in a record marked version 2); so is text with a line break or spaces around the code
    (`iso_code: |` was carried over as `code: |`, holding "KZ-10\n")."""
    data = record.plain()
    if "iso_code" not in data:
        return
    code = data["iso_code"]
    if not isinstance(code, str):
        raise Unmigratable(
            _(
                "iso_code holds {kind}, not one ISO 3166-2 code written as text, so it cannot "
                "be migrated; the record was left as it is"
            ).format(kind=strict_yaml.kind_of(code)),
            hint=_(
                "write the unit's one code as text (iso_code: KZ-35), or write its codes in "
                "iso_codes yourself and delete iso_code, then run `ichinv migrate` again"
            ),
            pointer="/iso_code",
        )
    if code != code.strip():
        raise Unmigratable(
            _(
                "iso_code holds text with a line break or spaces before or after the code, not "
                "exactly one ISO 3166-2 code, so it cannot be migrated; the record was left as it "
                "is"
            ),
            hint=_(
                "write the code alone on the line of iso_code (iso_code: KZ-35), then run "
                "`ichinv migrate` again"
            ),
            pointer="/iso_code",
        )
    absent = object()
    codes = data.get("iso_codes", absent)
    if codes is absent:
        record.rename("/iso_code", "iso_codes")
        record.set("/iso_codes", [{"code": code}])
        return
    if codes in (None, []) and not record.has_comments("/iso_code"):  # left empty
        record.set("/iso_codes", [{"code": code}])
        record.delete("/iso_code")
        return
    listed = isinstance(codes, list) and any(
        isinstance(entry, dict) and entry.get("code") == code for entry in codes
    )
    if not listed or record.has_comments("/iso_code"):
        raise Unmigratable(
            _(
                "the record has both iso_code and iso_codes; ichinv does not merge them, so it "
                "was left as it is"
            ),
            hint=_(
                "keep the code, its period and its comments in iso_codes, delete iso_code, "
                "then run `ichinv migrate` again"
            ),
            pointer="/iso_code",
        )
    record.delete("/iso_code")


MIGRATIONS[RecordKind.PROVINCE][1] = _province_v1_to_v2


@dataclass(frozen=True, slots=True)
class Migrated:
    """A record brought to a newer format."""

    path: str
    old: int
    new: int


@dataclass(frozen=True, slots=True)
class MigrationResult:
    """What `migrate` found (and, unless checking, did)."""

    checked: int
    migrated: tuple[Migrated, ...]
    problems: tuple[Unhandled, ...] = ()
    written: bool = False
    versions: tuple[tuple[RecordKind, int], ...] = ()
    """The format version of each schema."""

    @property
    def ok(self) -> bool:
        return not self.problems and (self.written or not self.migrated)


def version_of(data: object) -> int | None:
    """The record's format version (1 when absent); None when it is not a whole number."""
    if not isinstance(data, dict):
        return None
    value = data.get("schema_version", 1)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else None


def _version_read_plainly(raw: bytes) -> int | None:
    """The record's format version as the strict reader reads it; None when it cannot tell
    (then opening the record for editing says why)."""
    try:
        data, __ = strict_yaml.load(raw)
    except strict_yaml.LoadError:
        return None
    return version_of(data)


def _position(raw: bytes, pointer: str) -> tuple[int | None, int | None]:
    """The line and column of the key of the field at `pointer` in `raw`; none when the
    strict reader cannot tell."""
    try:
        positions = strict_yaml.load(raw, positions=True)[1]
    except strict_yaml.LoadError:
        return None, None
    found = (positions or {}).get(pointer)
    return (found[2], found[3]) if found is not None else (None, None)


def upgrade(document: yamlio.Document, kind: RecordKind, current: int, target: int) -> None:
    """Run every step from `current` to `target` on `document`, then record `target`."""
    steps = MIGRATIONS[kind]
    for version in range(current, target):
        step = steps.get(version)
        if step is None:
            raise ConfigError(
                _(
                    "the {kind} schema is at version {target}, but ichinv has no migration of "
                    "{kind} records from version {version} to {next}"
                ).format(kind=kind.value, target=target, version=version, next=version + 1),
                hint=_("update ichinv to the release that matches the schema"),
            )
        step(document)
    document.set("/schema_version", target)


def migrate(settings: Settings, *, write: bool = True) -> MigrationResult:
    """Migrate every record that is behind its schema's format version. A file whose bytes
    were found current before (ichinv.edit.verdicts) is not read again."""
    with Verdicts.open(settings, "migrate") as current:
        return _migrate(settings, write, current)


def _migrate(settings: Settings, write: bool, current_files: Verdicts) -> MigrationResult:
    tree = snapshots.current(settings) if current_files.active else None
    found, listed = (
        (tree.sources(), tree.problems) if tree is not None else records.discover(settings)
    )
    current_files.size_hint = len(found)
    loaded = {
        kind: schema_loader.load_schema(kind, settings.schema_file(kind), check=False)
        for kind in RecordKind
    }
    migrated: list[Migrated] = []
    problems: list[Unhandled] = []
    texts: list[tuple[records.SourceFile, bytes, str]] = []
    for source in found:
        schema = loaded[source.kind]
        target = schema.version
        if tree is not None and current_files.settled(source.kind, tree.blob_of(source.rel)):
            continue
        raw = (
            tree.read(source.rel)
            if tree is not None
            else records.read(source, settings.max_file_size)
        )
        if not isinstance(raw, bytes):
            problems.append(Unhandled(source.rel, raw.message, raw.hint))
            continue
        blob = records.blob_id(raw)
        if current_files.settled(source.kind, blob):
            continue
        if _version_read_plainly(raw) == target:
            # Current: known from the strict reader (~0.5 ms), without opening the record for
            # editing (ruamel.yaml's round trip, ~20 ms), which only a migration needs.
            current_files.settle(source.kind, blob)
            continue
        try:
            document = yamlio.load(raw, source.rel, schema.property_order)
        except IchinvError as exc:
            problems.append(Unhandled(source.rel, exc.message, exc.hint))
            continue
        current = version_of(document.plain())
        if current is None:
            problems.append(
                Unhandled(
                    source.rel,
                    _("{path}: schema_version must be a whole number from 1").format(
                        path=source.rel
                    ),
                    hint=_("set it to the version the record was written for (1 if unsure)"),
                )
            )
            continue
        if current > target:
            problems.append(
                Unhandled(
                    source.rel,
                    _(
                        "{path} is written for format version {version}, newer than the {kind} "
                        "schema (version {target})"
                    ).format(
                        path=source.rel, version=current, kind=source.kind.value, target=target
                    ),
                    hint=_("update schema/ and ichinv to the release the record was written with"),
                )
            )
            continue
        if current == target:
            current_files.settle(source.kind, blob)
            continue
        try:
            upgrade(document, source.kind, current, target)
        except Unmigratable as exc:
            line, column = _position(raw, exc.pointer)
            problems.append(Unhandled(source.rel, exc.message, exc.hint, line, column))
            continue
        try:
            text = yamlio.dump(document)
        except IchinvError as exc:  # the writer refuses (a value it cannot keep as written)
            problems.append(Unhandled(source.rel, exc.message, exc.hint))
            continue
        texts.append((source, raw, text))
        migrated.append(Migrated(source.rel, current, target))
    # A record that cannot be read (a pipe, a link leading out, KZ-2013-0001.yml, elements/
    # itself a link or another repository) may be behind its format too: named, as `validate`
    # and `fmt` name it (exit 1), never counted among the current ones.
    unread = unread_records(listed)
    problems.extend(Unhandled(p.path, p.message, p.hint) for p in unread)
    if write:
        # Every record is migrated in memory first: a missing step writes nothing at all. Then
        # all are written or none (a record that cannot be written, a full disk: "…; nothing
        # was changed"), each only over the bytes read, as merge and renumber write theirs.
        transaction.apply(
            [
                transaction.Change(
                    files.edited(source.path, settings.root), text.encode("utf-8"), raw
                )
                for source, raw, text in texts
            ]
        )
    return MigrationResult(
        checked=len(found) + len(unread),
        migrated=tuple(migrated),
        problems=tuple(problems),
        written=write,
        versions=tuple((kind, loaded[kind].version) for kind in RecordKind),
    )
