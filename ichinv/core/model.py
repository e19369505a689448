"""Value types shared by every layer: records, findings, validation and diff results."""

from __future__ import annotations

import weakref
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NewType

from ichinv.core.contacts import without_contacts
from ichinv.core.quoted import holds_contact, without_quoted_contacts

ElementId = NewType("ElementId", str)
"""`KZ-YYYY-NNNN`: YYYY is the year the element entered the national inventory."""

ProvinceId = NewType("ProvinceId", str)
"""ISO 3166-2 code of a current unit (`KZ-31`), or the former code of a historical one."""


class RecordKind(StrEnum):
    """The two kinds of record an inventory holds, each in its own folder."""

    ELEMENT = "element"
    PROVINCE = "province"

    @property
    def folder(self) -> str:
        """Folder of the inventory holding records of this kind."""
        return "elements" if self is RecordKind.ELEMENT else "provinces"


class Severity(StrEnum):
    """How serious a finding is; only errors make `validate` fail."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True, weakref_slot=True, eq=False)
class NoContact:
    """What a search of a record's texts found (ichinv.inventory.contact_texts.no_contact): no text
    outside its top-level fields `around` (those of personal data, which hold contacts by
    design) holds an e-mail address, a phone number or a messenger's link. Made as a record's
    bytes are first parsed or checked (`validate`, rule text.contact) and kept by the record
    cache beside its data, so that a public view of the same data need not search again; it
    speaks of `data` alone, and is found from it (`of`) while anything holds it (a Record read
    from the cache does). Record data is never changed in place (every view, overlay and merge
    copies it): a search of changed data would be trusted. Its identity is its equality."""

    data: Mapping[str, Any] = field(repr=False)
    """The data searched (the very object: other data, even equal, is searched again; never
    printed: it holds contacts)."""
    around: frozenset[str]
    """The top-level fields of `data` whose texts were not searched."""

    def __post_init__(self) -> None:
        _SEARCHED[id(self.data)] = self

    @staticmethod
    def of(data: Mapping[str, Any]) -> NoContact | None:
        """The search of the very object `data` that something still holds, if any (it holds
        `data` too: the id is not another object's)."""
        found = _SEARCHED.get(id(data))
        return found if found is not None and found.data is data else None

    def kept_around(self) -> tuple[str, ...]:
        """`around` in order: as the record cache keeps it beside the data (`no_contact`)."""
        return tuple(sorted(self.around))

    def covers(self, data: Mapping[str, Any], around: Collection[str]) -> bool:
        """Whether this search answers for the texts of `data` outside the fields `around`:
        it searched those very texts (the same fields of the very data left out; not merely
        more texts, in case a text could hide what the next one holds from a search of both)."""
        return data is self.data and self.around == {key for key in around if key in data}


_SEARCHED: weakref.WeakValueDictionary[int, NoContact] = weakref.WeakValueDictionary()
"""The searches alive in this process, by the id of the data they searched."""


@dataclass(frozen=True, slots=True)
class Record:
    """One record file as read: where it lives, its data, and the git blob id of its bytes."""

    kind: RecordKind
    path: str
    """Path relative to the inventory root, with forward slashes."""
    data: Mapping[str, Any]
    """The record as plain data (dicts, lists, text, numbers, booleans, None)."""
    blob: str = ""
    """Git blob id (40 hex digits) of the file's bytes; empty when not known."""
    no_contact: NoContact | None = field(default=None, compare=False, repr=False)
    """What an earlier search of its texts for contacts found, when it found none (for `data`
    only: a record made with other data, `dataclasses.replace(record, data=…)`, drops it)."""

    def __post_init__(self) -> None:
        if self.no_contact is not None and self.no_contact.data is not self.data:
            object.__setattr__(self, "no_contact", None)

    @property
    def id(self) -> str | None:
        """The record's `id` field, when it is text."""
        value = self.data.get("id")
        return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in the inventory, located as precisely as the input allows."""

    path: str
    """Path of the file, relative to the inventory root."""
    rule: str
    """Rule identifier, e.g. `schema.enum`, `yaml.syntax`, `ref.province`."""
    message: str
    """Plain-language statement of the problem."""
    severity: Severity = Severity.ERROR
    pointer: str = ""
    """JSON pointer of the field concerned; empty for the record as a whole."""
    line: int | None = None
    """1-based line; None only where no position exists (e.g. a missing file)."""
    column: int | None = None
    """1-based column; None only where no position exists."""
    hint: str | None = None
    """What to do about it, where that helps."""
    at_key: bool = False
    """Locate the key named by `pointer` rather than its value (unknown or misplaced keys)."""
    file_key: str = field(default="", repr=False)
    """Which file the finding is about where `path` does not say (public output names a file
    whose name may be anyone's by its folder, `elements/…`: ichinv.inventory.redaction): the
    same for the findings of one file, different for two files, and nothing of the file's
    name; never printed. Empty when `path` names the file."""
    unquoted: str | None = field(default=None, repr=False, compare=False)
    """The message said without any value of the record it quotes (a schema finding's:
    ichinv.schemas.explain), for a report that may not quote the value (ichinv.inventory.
    withheld_words); None where it is not known. Never printed as it is."""

    def __post_init__(self) -> None:
        # No finding quotes a contact, whichever rule made it (ichinv.core.quoted), nor names
        # in its words a file whose name may be one: its path says where it is.
        message, hint = self.message, self.hint
        name = self.path.rpartition("/")[2]
        if holds_contact(name):
            shown = without_contacts(name)
            message = message.replace(name, shown)
            hint = hint.replace(name, shown) if hint else hint
        message = without_quoted_contacts(message)
        hint = without_quoted_contacts(hint) if hint else hint
        if message is not self.message:
            object.__setattr__(self, "message", message)
        if hint is not self.hint:
            object.__setattr__(self, "hint", hint)

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        """Order findings by file, position, rule: the order every report uses."""
        return (self.path, self.line or 0, self.column or 0, self.rule, self.pointer, self.message)

    @property
    def file(self) -> str:
        """The file the finding is about, as files are counted (`this answer is incomplete: 3
        record files …`): its path, or its `file_key` where the path does not say."""
        return self.file_key or self.path

    @property
    def place(self) -> str:
        """Where it is, as reports name it: `path:line:column`, as far as it is known."""
        if not self.line:
            return self.path
        return (
            f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"
        )


HISTORY_CUT = "history.cut"
"""Rule of a problem an answer has because this shallow clone does not hold the history it
needs (the answer is incomplete: exit 1; `git fetch --unshallow` gives the whole history)."""

NOT_COMPARED = "baseline.unavailable"
"""Rule of a comparison with a named baseline that could not be made for another reason than
a shallow clone: no such revision, no git (a configuration or environment error)."""

NO_HISTORY = "history.unavailable"
"""Rule of a history git could not give (no git repository, no git)."""

NOT_FROM_GIT = frozenset({NOT_COMPARED, NO_HISTORY})
"""Rules of what git could not give an answer (exit 2: the settings or the machine need a
fix, where HISTORY_CUT, exit 1, needs only the whole history fetched)."""


@dataclass(frozen=True, slots=True)
class Suppression:
    """A decision to accept a finding for a time: in a record's `suppressions` or in settings."""

    rule: str
    reason: str
    until: str
    """Last day (YYYY-MM-DD) the suppression holds; after it the finding is an error again."""
    path: str | None = None
    """File it applies to; None in a record (the record itself) or for every file."""
    pointer: str | None = None
    """Field it applies to; None for anywhere in the file."""
    source: str = "record"
    """Where it was declared: `record` or `settings`."""

    def __post_init__(self) -> None:
        # Every report shows why a finding is accepted (CI summaries too): never a contact.
        reason = without_contacts(self.reason)
        if reason != self.reason:
            object.__setattr__(self, "reason", reason)

    def covers(self, finding: Finding) -> bool:
        """Whether this suppression applies to `finding`."""
        if finding.rule != self.rule:
            return False
        if self.path is not None and finding.path != self.path:
            return False
        return (
            self.pointer is None
            or finding.pointer == self.pointer
            or (finding.pointer.startswith(self.pointer + "/"))
        )


@dataclass(frozen=True, slots=True)
class SuppressedFinding:
    """A finding that a suppression covered, kept so every report can list it."""

    finding: Finding
    suppression: Suppression


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """What `validate` found: how many files were checked and every finding, sorted."""

    checked: int
    findings: tuple[Finding, ...]
    suppressed: tuple[SuppressedFinding, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def counts(self) -> dict[Severity, int]:
        """Number of findings by severity (every severity present, zero included)."""
        counts = dict.fromkeys(Severity, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        return counts


# --- diff ------------------------------------------------------------------------------------


class ChangeKind(StrEnum):
    """Kind of a field-level change (SPEC)."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class ElementStatus(StrEnum):
    """Status of an element relative to the baseline (SPEC)."""

    ADDED = "added"
    REVISED = "revised"
    UNCHANGED = "unchanged"
    RETIRED = "retired"
    MERGED = "merged"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class Change:
    """One field-level change between the baseline and the current record."""

    pointer: str
    """JSON pointer of the field (into the current record; the baseline one when removed)."""
    kind: ChangeKind
    old: Any = None
    new: Any = None
    remapped: bool = False
    """True when the change only follows an administrative re-mapping of provinces."""
    words: tuple[tuple[str, str], ...] = ()
    """For long texts, a word-level diff: ("=", text), ("-", removed), ("+", added)."""
    withheld: bool = False
    """True when `old`/`new` were left out: personal data, or restricted parts of a record."""
    old_withheld: str = ""
    """Why `old` alone was left out while `new` is public: the earlier version did not publish
    that part (a reason of ichinv.inventory.audience.Why: `consent-not-given`, `restricted`…);
    empty otherwise."""
    new_withheld: str = ""
    """Why `new` alone was left out while `old` is public: the newer version's value is withheld
    for what it is itself, until the record is fixed (a reason of ichinv.inventory.audience.Why:
    `unknown-field` for a value not in the schema's form, `personal-data` for a text holding a
    contact); empty otherwise."""
    sides: tuple[str, str] | None = field(default=None, compare=False)
    """Where the change lies in the older record and in the newer one: pointers of as many keys
    as `pointer`, each in its own record's order (lists are matched by key, so one item may
    stand at another position on each side), `*` for a position a side does not hold (an item
    added or removed). None when not known: each list position is then judged as any (what
    each side withholds is named by its own positions; ichinv.inventory.changes_view)."""


@dataclass(frozen=True, slots=True)
class ElementDiff:
    """How one element differs from the baseline."""

    id: str
    status: ElementStatus
    path: str
    """Path of the current record, or of the baseline record when it is gone."""
    changes: tuple[Change, ...] = ()
    old_path: str | None = None
    """Path in the baseline when the file was renamed or moved."""
    problems: tuple[Finding, ...] = ()
    """Records that could not be read on either side, reported instead of failing the diff."""
    name: str = ""
    """Display name (English, else Russian, else Kazakh); empty when the record was not read."""
    provinces: tuple[str, ...] = ()
    """Provinces of the current record (the baseline one when removed), when it was read."""
    domains: tuple[str, ...] = ()
    """Domains of the current record (the baseline one when removed), when it was read."""
    now: str = ""
    """The element's status in the compared state (SPEC): `active`, `retired`, `merged`,
    `absent` (no record), or `unknown` (the record cannot be read, or says something else);
    with `status` it tells "added, now retired"."""

    @property
    def status_now(self) -> str:
        """The status, and for an element added since the baseline and retired or merged
        since, the status now: `added, now retired` (any other status already says what
        became of the element)."""
        late = self.status is ElementStatus.ADDED and self.now in ("retired", "merged")
        return f"{self.status.value}, now {self.now}" if late else self.status.value

    @property
    def differs(self) -> bool:
        """True when the element changed in any way (re-mappings and unreadable files included)."""
        return self.status is not ElementStatus.UNCHANGED or bool(self.changes or self.problems)


@dataclass(frozen=True, slots=True)
class DiffResult:
    """The whole comparison of the inventory with a baseline."""

    baseline_rev: str
    """The revision as given (a baseline name's revision or a git revision)."""
    baseline_commit: str
    """The 40-hex commit id it resolved to."""
    against: str
    """`working-tree` or the 40-hex commit id compared with."""
    elements: tuple[ElementDiff, ...]
    baseline_name: str | None = None
    problems: tuple[Finding, ...] = ()
    baseline_label: str = ""
    """What the named baseline is, from settings (e.g. the order that approved the list)."""
    against_rev: str | None = None
    """The revision given with --against, as given; None for the working tree."""
    province_names: Mapping[str, str] = field(default_factory=dict)
    """English names of the provinces, by id, for readable summaries."""
    filtered: bool = False
    """Filters chose the elements (--element, --province, --domain, --status)."""

    def summary(self) -> dict[str, int]:
        """Count of elements by status, every status present (SPEC order)."""
        counts = {status.value: 0 for status in ElementStatus}
        for element in self.elements:
            counts[element.status.value] += 1
        return {
            key: counts[key]
            for key in ("added", "revised", "unchanged", "retired", "merged", "removed")
        }

    @property
    def has_differences(self) -> bool:
        """True when any element differs (what `--exit-code` turns into exit 1)."""
        return bool(self.problems) or any(e.differs for e in self.elements)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One commit that touched an element, and what it changed (`ichinv log`)."""

    commit: str
    """40-hex commit id."""
    author: str
    """Author name (never the e-mail address)."""
    date: str
    """Author date, ISO 8601 with offset."""
    subject: str
    """First line of the commit message."""
    status: ElementStatus
    """What the commit did to the element: added, revised, retired, merged, removed, or
    unchanged (a file moved or provinces re-mapped, nothing else)."""
    path: str
    """Path of the record after the commit (before it, when the commit removed it)."""
    changes: tuple[Change, ...] = ()
    old_path: str | None = None
    """Path before the commit when the commit moved the file."""
    problems: tuple[Finding, ...] = ()
    cut: bool = False
    """The clone's history stops at this commit (a shallow clone): the commits before it are
    missing, so `added` here may only mean "already there where the clone starts"."""
