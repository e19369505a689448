"""`ichinv import --from odk`: submissions of the field form become draft records.

One draft per submission, under the next free id of the year it was inventoried (as
`ichinv new` gives ids: never one used before, in the working tree or in git). Each draft
records where it comes from: `provenance.sources` holds a `community-inventory` source whose
`row` is the submission's id, so that importing the same export again finds it and writes
nothing (an imported record, edited since or not, is never touched). Consent decides access:
without consent given, the draft is restricted. Personal data goes to `contacts` only, and in
a public repository to the private overlay, with every restricted part of a restricted draft.
Attachments are copied into `documentation/<id>/` (the photograph of a consent form into
`evidence/<id>/`, in the overlay when the repository is public) and referenced. Each draft is
validated; every problem is located in the export (file, line, question).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

from ichinv.core import dates, pointers
from ichinv.core.errors import UsageError, WriteRefused
from ichinv.core.model import Finding, RecordKind, Severity
from ichinv.core.vocabulary import KEPT_IN_PUBLIC_REPOSITORY, SourceList
from ichinv.exchange import form_spec, odk_answers, odk_exports
from ichinv.exchange.form_spec import FormSpec
from ichinv.exchange.odk_exports import AnswerPath, Cell, Export, Media, Submission
from ichinv.inventory import ids as idalloc
from ichinv.inventory import overlay
from ichinv.inventory import view as inventory_view
from ichinv.inventory.audience import merge
from ichinv.io import atomic as files
from ichinv.io import editor as yamlio
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader
from ichinv.schemas.loader import SchemaSet
from ichinv.validate import file_check
from ichinv.validate.rules import cross

DOCUMENTATION = "documentation"
"""Folder (in the repository, or in the private overlay) of documentation files, by element."""
EVIDENCE = "evidence"
"""Folder of consent evidence, by element (in the overlay when the repository is public)."""

NO_CONSENT_REASON = (
    "The field submission recorded no consent of the communities concerned: the record is "
    "withheld until their consent is documented."
)
"""The published reason of a draft restricted because its submission holds no consent."""

MAX_ROW = 40
"""Longest `row` of a source (the schema's maxLength)."""


class Outcome(StrEnum):
    """What importing does with a submission."""

    NEW = "new"
    IMPORTED = "imported"
    REJECTED = "rejected"
    FORMAT = "format"
    NO_KEY = "no-key"
    UNREADABLE = "unreadable"


class Restriction(StrEnum):
    """Why a draft is restricted."""

    NONE = ""
    CONSENT = "consent"
    NO_CONSENT = "no-consent"
    TEAM = "team"
    NO_LEVEL = "no-level"


@dataclass(frozen=True, slots=True)
class Located:
    """A problem of a submission, where the export holds it."""

    severity: Severity
    rule: str
    pointer: str
    """The record field it concerns."""
    cell: Cell
    question: str = ""
    """The form's path of the question it concerns (`consent/date`), when one answered it."""
    message: str = ""
    """A validation finding's message (English), or "" for a problem of the import."""
    hint: str | None = None
    label: str = ""
    """For a problem of the import: the key of its words (`submission.missing_file`)."""
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file of a submission, and where the draft keeps it."""

    media: Media
    target: Path
    """Absolute path it is copied to."""
    shown: str
    """`target` as reports show it (relative to the inventory root)."""
    private: bool
    """Kept in the private overlay (personal data, or a restricted part)."""


@dataclass(frozen=True, slots=True)
class Draft:
    """What importing does with one submission."""

    key: str
    start: Cell
    outcome: Outcome
    language: str | None = None
    id: str = ""
    path: str = ""
    """The record file (new or existing), relative to the inventory root."""
    consent: str | None = None
    access: str = ""
    restriction: Restriction = Restriction.NONE
    text: str = ""
    """The new record's text."""
    overlay_text: str = ""
    overlay_path: Path | None = None
    attachments: tuple[Attachment, ...] = ()
    problems: tuple[Located, ...] = ()
    detail: Mapping[str, str] = field(default_factory=dict)
    """Values for the words of an outcome (the format version of another form)."""

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)


@dataclass(frozen=True, slots=True)
class OdkPlan:
    """Everything an import of submissions would do."""

    source: str
    server: str
    drafts: tuple[Draft, ...]
    ignored: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    schema_version: int = 1

    @property
    def new(self) -> tuple[Draft, ...]:
        return tuple(d for d in self.drafts if d.outcome is Outcome.NEW)

    @property
    def failed(self) -> bool:
        """True when a draft has errors, or a submission cannot be imported."""
        return any(d.errors for d in self.new) or any(
            d.outcome in (Outcome.FORMAT, Outcome.NO_KEY, Outcome.UNREADABLE) for d in self.drafts
        )


def submission_row(key: str) -> str:
    """The `row` under which a draft records its submission: the instance id without `uuid:`,
    in lower case (a hash of it when longer than a row may be)."""
    text = key.strip()
    text = text[5:] if text.lower().startswith("uuid:") else text
    text = text.lower()
    if len(text) > MAX_ROW:
        text = "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[: MAX_ROW - 5]
    return text


def plan(settings: Settings, path: Path) -> OdkPlan:
    """Read the export at `path` and work out the draft of each submission, writing nothing."""
    schema_set = schema_loader.load(settings.schema_dir)
    schema = schema_set[RecordKind.ELEMENT]
    spec = form_spec.build(schema)
    export = odk_exports.read(path, spec)
    public = settings.visibility == "public"
    overlay_folder = _overlay_folder(settings) if public else None
    inventory = inventory_view.load(settings)
    unreadable = [
        p for p in inventory.problems if p.path.startswith(f"{RecordKind.ELEMENT.folder}/")
    ]
    if unreadable:
        first = unreadable[0]
        raise UsageError(
            f"{first.path}:{first.line or 1}: {first.message} (and {len(unreadable) - 1} more)"
            if len(unreadable) > 1
            else f"{first.path}:{first.line or 1}: {first.message}",
            hint="a record that cannot be read may hold a submission of this export already; "
            "fix it first (`ichinv validate` says what is wrong)",
        )
    imported = _imported(inventory)
    builder = _Drafts(settings, schema_set, spec, export, overlay_folder, inventory)
    drafts: list[Draft] = []
    seen: dict[str, Draft] = {}
    submission: Submission
    for submission in export.submissions:
        row = submission_row(submission.key) if submission.key else ""
        language = _language(submission)
        if not row:
            drafts.append(Draft("", submission.start, Outcome.NO_KEY, language))
        elif row in imported:
            found_id, found_path = imported[row]
            drafts.append(
                Draft(
                    submission.key,
                    submission.start,
                    Outcome.IMPORTED,
                    language,
                    id=found_id,
                    path=found_path,
                )
            )
        elif row in seen:
            earlier = seen[row]
            drafts.append(
                Draft(
                    submission.key,
                    submission.start,
                    Outcome.IMPORTED,
                    language,
                    id=earlier.id,
                    path=earlier.path,
                )
            )
        elif submission.review == "rejected":
            drafts.append(
                Draft(
                    submission.key,
                    submission.start,
                    Outcome.REJECTED,
                    language,
                    detail={"server": export.server},
                )
            )
        elif submission.unreadable:
            drafts.append(
                Draft(
                    submission.key,
                    submission.start,
                    Outcome.UNREADABLE,
                    language,
                    detail={"value": submission.unreadable},
                )
            )
        else:
            draft = builder.draft(submission, row)
            if draft.outcome is Outcome.NEW:
                seen[row] = draft
            drafts.append(draft)
    builder.cross_check(drafts)
    return OdkPlan(
        export.name,
        export.server,
        tuple(builder.finished(d) for d in drafts),
        export.ignored,
        export.notes,
        schema.version,
    )


def _language(submission: Submission) -> str | None:
    value = submission.answers.get(form_spec.LANGUAGE)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _overlay_folder(settings: Settings) -> Path:
    folder = overlay.require(settings)
    if folder.is_relative_to(settings.root) and folder != settings.root:
        rel = folder.relative_to(settings.root).as_posix()
        if not overlay.is_ignored(settings.root, rel):
            raise UsageError(
                f"the private overlay {rel}/ is inside the repository but not in .gitignore: "
                "personal data of the submissions would be committed",
                hint=f"add the line /{rel}/ to .gitignore (`ichinv private split` does it)",
            )
    return folder


def _imported(inventory: inventory_view.Inventory) -> dict[str, tuple[str, str]]:
    """Submission row → (id, path) of the record that came from it."""
    found: dict[str, tuple[str, str]] = {}
    for record in inventory.elements:
        provenance = record.data.get("provenance")
        sources = provenance.get("sources") if isinstance(provenance, Mapping) else None
        for source in sources if isinstance(sources, list) else []:
            if (
                isinstance(source, Mapping)
                and source.get("list") == SourceList.COMMUNITY_INVENTORY
                and isinstance(source.get("row"), str)
            ):
                found.setdefault(source["row"].strip().lower(), (record.id or "", record.path))
    return found


class _Drafts:
    """Builds the drafts of one export, giving out ids as it goes."""

    def __init__(
        self,
        settings: Settings,
        schema_set: SchemaSet,
        spec: FormSpec,
        export: Export,
        overlay_folder: Path | None,
        inventory: inventory_view.Inventory,
    ) -> None:
        self.settings = settings
        self.schema_set = schema_set
        self.schema = schema_set[RecordKind.ELEMENT]
        self.spec = spec
        self.export = export
        self.overlay = overlay_folder
        self.inventory = inventory
        self.today = dates.today()
        self.order = self.schema.property_order
        self.taken = idalloc.known_ids(settings)
        self.personal = tuple(pointers.top(p) for p in self.schema.personal_fields)
        self.entries: dict[str, Any] = {}
        self.sources: dict[str, tuple[Submission, odk_answers.Mapped]] = {}

    # --- one submission ------------------------------------------------------------------------

    def draft(self, submission: Submission, row: str) -> Draft:
        mapped = odk_answers.record_fields(self.spec, submission.answers)
        answered = mapped.data.get("schema_version", self.schema.version)
        if answered != self.schema.version:
            return Draft(
                submission.key,
                submission.start,
                Outcome.FORMAT,
                mapped.language,
                detail={"version": str(answered), "current": str(self.schema.version)},
            )
        data = mapped.data
        element_id = self._next_id(data)
        rel = f"{RecordKind.ELEMENT.folder}/{element_id}.yaml"
        data["schema_version"] = self.schema.version
        data["id"] = element_id
        data["status"] = "active"
        consent = data.get("consent") if isinstance(data.get("consent"), dict) else None
        consent_status = consent.get("status") if consent else None
        restriction = self._access(data, consent_status)
        self._provenance(data, submission, row)
        private: dict[str, Any] = {}
        if self.overlay is not None:
            private = self._split(data, restriction is not Restriction.NONE)
        attachments, problems = self._attachments(submission, mapped, data, private, element_id)
        problems.extend(
            Located(
                Severity.WARNING,
                "import.unreadable",
                item.pointer,
                _cell(submission, item.source),
                _question(item.source),
                label="submission.unreadable",
                values={"value": item.value},
            )
            for item in mapped.unreadable
        )
        text = yamlio.dump_new(data, RecordKind.ELEMENT, self.order)
        overlay_path = overlay_text = None
        if private:
            assert self.overlay is not None
            overlay_path = self.overlay / overlay.FOLDER / f"{element_id}.yaml"
            overlay_text = overlay.entry_text(element_id, private, self.order)
        draft = Draft(
            submission.key,
            submission.start,
            Outcome.NEW,
            mapped.language,
            element_id,
            rel,
            consent_status,
            str(data["access"]["level"]),
            restriction,
            text,
            overlay_text or "",
            overlay_path,
            tuple(attachments),
            tuple(problems),
        )
        findings = self._check(draft, data, private)
        located = [self._locate(submission, mapped, f) for f in findings]
        self.sources[rel] = (submission, mapped)
        return replace(draft, problems=(*draft.problems, *located))

    def _next_id(self, data: Mapping[str, Any]) -> str:
        provenance = data.get("provenance")
        entered = (
            dates.parse_day(provenance.get("entered")) if isinstance(provenance, Mapping) else None
        )
        year = (
            entered.year
            if entered is not None and entered <= self.today and entered.year >= 1900
            else self.today.year
        )
        number = max(idalloc.used_numbers(self.taken, year), default=0) + 1
        element_id = idalloc.format_id(year, number)
        self.taken.add(element_id)
        return element_id

    def _access(self, data: dict[str, Any], consent_status: Any) -> Restriction:
        """Restricted unless the communities gave consent and the team made the record public."""
        access = _mapping(data.get("access"))
        asked = access.get("level")
        if consent_status != "given":
            access["level"] = "restricted"
            if consent_status is None and not access.get("reason"):
                access["reason"] = NO_CONSENT_REASON
            restriction = Restriction.NO_CONSENT if consent_status is None else Restriction.CONSENT
        elif asked == "public":
            restriction = Restriction.NONE
        else:
            access["level"] = "restricted"
            restriction = Restriction.TEAM if asked == "restricted" else Restriction.NO_LEVEL
        if restriction is not Restriction.NONE and access.get("level") != "restricted":
            access["level"] = "restricted"
        data["access"] = access
        return restriction

    def _provenance(self, data: dict[str, Any], submission: Submission, row: str) -> None:
        provenance = _mapping(data.get("provenance"))
        team, entered = provenance.get("inventoried_by"), provenance.get("entered")
        words = [
            f"Community-based inventorying: submission {submission.key} to {self.export.server}"
        ]
        if isinstance(team, str) and team:
            words.append(f"by {' '.join(team.split())}")
        if isinstance(entered, str) and entered:
            words.append(f"on {entered}")
        provenance["sources"] = [
            {
                "list": SourceList.COMMUNITY_INVENTORY.value,
                "row": row,
                "note": " ".join(words) + ".",
            }
        ]
        data["provenance"] = provenance

    def _split(self, data: dict[str, Any], restricted: bool) -> dict[str, Any]:
        """Move what a public repository must not hold to the overlay's part of the draft:
        personal data, and for a restricted draft everything but its identification and
        bookkeeping (listed in access.restricted_parts)."""
        private = {key: data.pop(key) for key in list(data) if key in self.personal}
        if restricted:
            kept = KEPT_IN_PUBLIC_REPOSITORY
            moving = [
                key for key in self.order.get("", list(data)) if key in data and key not in kept
            ]
            for key in moving:
                private[key] = data.pop(key)
            if moving:
                data["access"]["restricted_parts"] = [f"/{pointers.escape(k)}" for k in moving]
        return private

    def _attachments(
        self,
        submission: Submission,
        mapped: odk_answers.Mapped,
        data: dict[str, Any],
        private: dict[str, Any],
        element_id: str,
    ) -> tuple[list[Attachment], list[Located]]:
        attachments: list[Attachment] = []
        problems: list[Located] = []
        names: set[str] = set()
        for answer in mapped.files:
            media = self.export.media.find(answer.name, submission_row(submission.key))
            if media is None:
                problems.append(
                    Located(
                        Severity.WARNING,
                        "import.file",
                        answer.pointer,
                        _cell(submission, answer.source),
                        _question(answer.source),
                        label="submission.missing_file",
                        values={"name": answer.name},
                    )
                )
                continue
            name = _unique(_safe_name(media.name), names)
            evidence = answer.pointer == "/consent/evidence"
            top = pointers.top(answer.pointer)
            in_overlay = self.overlay is not None and (evidence or top in private)
            folder = EVIDENCE if evidence else DOCUMENTATION
            rel = f"{folder}/{element_id}/{name}"
            base = self.overlay if in_overlay and self.overlay is not None else self.settings.root
            target = base / folder / element_id / name
            shown = overlay.display(self.settings, target)
            attachments.append(Attachment(media, target, shown, in_overlay))
            holder = private if (in_overlay and top in private) else data
            if evidence:
                reference = f"private overlay: {rel}" if in_overlay else rel
                _set(holder, answer.pointer, reference)
            elif in_overlay:
                entry = _parent(holder, answer.pointer)
                note = f"File in the private overlay: {rel}"
                if entry is not None:
                    entry["citation"] = (
                        f"{entry['citation']}; {note}" if entry.get("citation") else note
                    )
            else:
                _set(holder, answer.pointer, rel)
        return attachments, problems

    # --- validation ----------------------------------------------------------------------------

    def _check(self, draft: Draft, data: dict[str, Any], private: dict[str, Any]) -> list[Finding]:
        public = self.overlay is not None
        own = file_check.check_file(
            RecordKind.ELEMENT,
            draft.path,
            draft.text.encode("utf-8"),
            self.schema_set,
            self.settings.root,
            self.today,
            public=public,
        )
        findings = list(own.findings)
        entry = own.entry
        if private:
            merged = json.loads(json.dumps(data))
            merge(merged, private)
            whole = file_check.check_file(
                RecordKind.ELEMENT,
                draft.path,
                json.dumps(merged, ensure_ascii=False).encode(),
                self.schema_set,
                self.settings.root,
                self.today,
            )
            findings = [
                *whole.findings,
                *(f for f in own.findings if f.rule.startswith("privacy.")),
            ]
            entry = whole.entry
        if entry is not None:
            self.entries[draft.path] = entry
        planned = {a.shown for a in draft.attachments}
        return [
            f
            for f in findings
            if f.severity is not Severity.INFO
            and not (f.rule == "path.missing" and _value_at(data, private, f.pointer) in planned)
        ]

    def cross_check(self, drafts: list[Draft]) -> None:
        """The rules across records (references to provinces and elements), for the drafts."""
        entries = [cross.index_entry(r) for r in self.inventory.elements]
        entries.extend(cross.index_entry(r) for r in self.inventory.provinces.values())
        entries.extend(self.entries.values())
        self.cross_findings = [f for f in cross.check(entries) if f.path in self.entries]

    def finished(self, draft: Draft) -> Draft:
        if draft.outcome is not Outcome.NEW:
            return draft
        submission, mapped = self.sources[draft.path]
        extra = [
            self._locate(submission, mapped, f)
            for f in getattr(self, "cross_findings", [])
            if f.path == draft.path and f.severity is not Severity.INFO
        ]
        problems = sorted(
            {
                (p.rule, p.pointer, p.message, p.label): p for p in (*draft.problems, *extra)
            }.values(),
            key=lambda p: (
                p.cell.file != draft.start.file,
                p.cell.file,
                p.cell.line or 0,
                p.severity is not Severity.ERROR,
                p.pointer,
                p.rule,
            ),
        )
        return replace(draft, problems=tuple(problems))

    def _locate(
        self, submission: Submission, mapped: odk_answers.Mapped, finding: Finding
    ) -> Located:
        source = _source_of(finding.pointer, mapped.sources)
        return Located(
            finding.severity,
            finding.rule,
            finding.pointer,
            _cell(submission, source) if source is not None else submission.start,
            _question(source) if source is not None else "",
            finding.message,
            finding.hint,
        )


def _source_of(pointer: str, sources: Mapping[str, AnswerPath]) -> AnswerPath | None:
    """The answer a record pointer came from: the pointer's own, else its nearest parent's."""
    current = pointer
    while current:
        if current in sources:
            return sources[current]
        current = current.rsplit("/", 1)[0]
    return None


def _cell(submission: Submission, source: AnswerPath) -> Cell:
    path = source
    while path:
        if path in submission.cells:
            return submission.cells[path]
        path = path[:-1]
    return submission.start


def _question(source: AnswerPath) -> str:
    return "/".join(p for p in source if isinstance(p, str))


def _safe_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", PurePosixPath(name).name).strip("._") or "file"
    return stem[:120]


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        stem, dot, suffix = name.rpartition(".")
        candidate = f"{stem}-{number}.{suffix}" if dot else f"{name}-{number}"
    taken.add(candidate)
    return candidate


def _set(data: dict[str, Any], pointer: str, value: Any) -> None:
    parts = pointers.split(pointer)
    node: Any = data
    for index, part in enumerate(parts[:-1]):
        following = parts[index + 1]
        if isinstance(node, list):
            position = int(part)
            while len(node) <= position:
                node.append({})
            node = node[position]
        else:
            node = node.setdefault(part, [] if pointers.is_index(following) else {})
    if isinstance(node, dict):
        node[parts[-1]] = value


def _parent(data: dict[str, Any], pointer: str) -> dict[str, Any] | None:
    """The mapping holding the field at `pointer` (a list entry), if there is one."""
    holder = pointers.at(data, pointer.rsplit("/", 1)[0])
    return holder if isinstance(holder, dict) else None


def _value_at(data: Mapping[str, Any], private: Mapping[str, Any], pointer: str) -> Any:
    for source in (data, private):
        value = pointers.at(source, pointer)
        if value is not pointers.MISSING:
            return value
    return None


# --- writing -----------------------------------------------------------------------------------


def apply(settings: Settings, odk_plan: OdkPlan, export_path: Path) -> list[str]:
    """Write the new drafts (attachments, overlay entry, then the record: a crash leaves at
    most files a second import completes); the paths written, as reports show them."""
    spec = form_spec.build(schema_loader.load(settings.schema_dir)[RecordKind.ELEMENT])
    media = odk_exports.read(export_path, spec).media
    written: list[str] = []
    for draft in odk_plan.new:
        created: list[Path] = []
        try:
            for attachment in draft.attachments:
                if _write_once(
                    attachment.target,
                    lambda a=attachment: media.read(a.media),
                    attachment.private,
                    settings,
                ):
                    created.append(attachment.target)
                written.append(attachment.shown)
            if draft.overlay_path is not None:
                if _write_once(
                    draft.overlay_path,
                    lambda d=draft: d.overlay_text.encode("utf-8"),
                    True,
                    settings,
                ):
                    created.append(draft.overlay_path)
                written.append(overlay.display(settings, draft.overlay_path))
            target = settings.root / draft.path
            files.make_folder(target.parent, within=settings.root / RecordKind.ELEMENT.folder)
            files.write_text_atomic(target, draft.text)
            written.append(draft.path)
        except WriteRefused:
            for path in reversed(created):
                path.unlink(missing_ok=True)
            raise UsageError(
                f"{draft.path} was created by another command while importing; nothing of "
                f"{draft.id} was written",
                hint="run the import again: it gives the next free id and skips what is in",
            ) from None
    return written


def _write_once(target: Path, content: Any, private: bool, settings: Settings) -> bool:
    """Write `target` unless it already holds the same bytes (left by an interrupted import);
    True when it was written. A different file there is never overwritten."""
    data: bytes = content()
    if target.exists():
        if target.is_file() and target.read_bytes() == data:
            return False
        raise UsageError(
            f"{overlay.display(settings, target)} exists and holds another file",
            hint="move it away, then run the import again",
        )
    base = _folder_base(settings, target)
    files.make_folder(target.parent, within=base, private=private)
    files.write_bytes_atomic(target, data, private=private)
    return True


def _folder_base(settings: Settings, target: Path) -> Path:
    """The folder from which `make_folder` may create folders down to `target`'s: the
    documentation or evidence folder of the repository, or the private overlay."""
    for base in (settings.root / DOCUMENTATION, settings.root / EVIDENCE):
        if target.is_relative_to(base):
            return base
    folder = settings.private_overlay
    if folder is not None and target.is_relative_to(folder):
        return folder
    return target.parent


def _mapping(value: Any) -> dict[str, Any]:
    """`value` when it is a mapping of fields, else an empty one (a new one to fill)."""
    return value if isinstance(value, dict) else {}
