"""The draft record of one submission (for `ichinv import --from odk`, ichinv.exchange.odk).

Maps the answers to record fields (ichinv.exchange.odk_answers), gives the draft the next free
id of the year it was inventoried, decides its access from consent, records where it comes
from, keeps personal data (and, in a public repository, every restricted part) for the private
overlay, places its attachments, and validates it, locating every problem in the export.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from ichinv.core import dates, pointers
from ichinv.core.model import Finding, RecordKind, Severity
from ichinv.core.vocabulary import (
    DOCUMENTATION_FOLDER,
    EVIDENCE_FOLDER,
    KEPT_IN_PUBLIC_REPOSITORY,
    SourceList,
)
from ichinv.exchange import odk_answers, odk_located, odk_server, odk_size
from ichinv.exchange.form_spec import FormSpec
from ichinv.exchange.odk_exports import AnswerPath, Cell, Export, Submission
from ichinv.exchange.odk_media import MAX_ATTACHMENT, Media
from ichinv.exchange.odk_model import (
    NO_CONSENT_REASON,
    Attachment,
    Draft,
    Located,
    Outcome,
    Restriction,
)
from ichinv.exchange.odk_submissions import folder_ids, media_claims, owner_of
from ichinv.inventory import ids as idalloc
from ichinv.inventory import overlay
from ichinv.inventory import view as inventory_view
from ichinv.inventory.plaindata import merge
from ichinv.io import editor as yamlio
from ichinv.io.settings import Settings
from ichinv.schemas.loader import SchemaSet
from ichinv.validate import file_check
from ichinv.validate.rules import cross


class DraftMaker:
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
        self.taken = idalloc.unavailable(settings, complete=False)  # drafts, renumbered later
        self.personal = tuple(pointers.top(p) for p in self.schema.personal_fields)
        self.entries: dict[str, Any] = {}
        """Draft path → its facts for the rules across records."""
        self.sources: dict[str, tuple[Submission, odk_answers.Mapped]] = {}
        self.cross_findings: list[Finding] = []
        self.claims = media_claims(export)
        """Who answers each file name: an attachment is given to one submission only."""

    # --- one submission ------------------------------------------------------------------------

    def draft(self, submission: Submission, row: str) -> Draft:
        mapped = odk_answers.record_fields(self.spec, submission.answers)
        answered = mapped.data.get("schema_version", self.schema.version)
        if answered != self.schema.version:
            detail = {"current": str(self.schema.version)}
            if re.fullmatch(r"[0-9]{1,9}", str(answered)):  # a version, not whatever was typed
                detail["version"] = str(answered)
            return Draft(
                submission.key,
                submission.start,
                Outcome.FORMAT,
                mapped.language,
                detail=detail,
            )
        data = mapped.data
        contacts_elsewhere = odk_located.contacts_in_texts(self.personal, submission, mapped)
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
        problems.extend(contacts_elsewhere)
        left_out = self._fit(data, private, element_id)
        if left_out is None:  # too large for a record, even without its longest answers
            self.taken.used.discard(element_id)
            limit = {"limit": f"{self.settings.max_file_size:,}"}
            return Draft(
                submission.key, submission.start, Outcome.TOO_LARGE, mapped.language, detail=limit
            )
        problems.extend(
            odk_located.too_large(submission, mapped, left_out, self.settings.max_file_size)
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

    def _fit(
        self, data: dict[str, Any], private: dict[str, Any], element_id: str
    ) -> list[odk_size.LeftOut] | None:
        """Leave out the answers too long for the record (ichinv.exchange.odk_size)."""
        return odk_size.fit(
            data,
            private,
            self.settings.max_file_size,
            lambda: (
                yamlio.dump_new(data, RecordKind.ELEMENT, self.order),
                overlay.entry_text(element_id, private, self.order) if private else "",
            ),
        )

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
        element_id = idalloc.next_free(year, self.taken, self.settings.folder(RecordKind.ELEMENT))
        self.taken.used.add(element_id)
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
        data["access"] = access
        return restriction

    def _provenance(self, data: dict[str, Any], submission: Submission, row: str) -> None:
        provenance = _mapping(data.get("provenance"))
        team, entered = provenance.get("inventoried_by"), provenance.get("entered")
        version = odk_server.version_note(submission, self._versions.get(submission.key, ""))
        words = [
            f"Community-based inventorying: submission {submission.key}",
            *([version] if version else []),
            f"to {self.export.server}",
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

    @functools.cached_property
    def _named(self) -> dict[str, str]:
        """Who each submission is (`owner_of`) → how a report names it: its instance id, else
        its place in the export (in the export's order)."""
        named: dict[str, str] = {}
        for s in self.export.submissions:
            named.setdefault(owner_of(s), s.key or f"{s.start.file}:{s.start.line or 1}")
        return named

    @functools.cached_property
    def _versions(self) -> dict[str, str]:
        """Submission key → its version in the export (which the draft's source notes)."""
        return dict(self.export.versions)

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
            media = self.export.media.find(
                answer.name, owner_of(submission), folder_ids(submission), self.claims
            )
            if not isinstance(media, Media) or media.size > MAX_ATTACHMENT:
                problems.append(odk_located.file_problem(submission, answer, media, self._named))
                continue
            name = _unique(_file_name(answer.source, media.name), names)
            evidence = answer.pointer == "/consent/evidence"
            top = pointers.top(answer.pointer)
            in_overlay = self.overlay is not None and (evidence or top in private)
            folder = EVIDENCE_FOLDER if evidence else DOCUMENTATION_FOLDER
            rel = f"{folder}/{element_id}/{name}"
            base = self.overlay if in_overlay and self.overlay is not None else self.settings.root
            target = base / folder / element_id / name
            shown = overlay.display(self.settings, target)
            attachments.append(Attachment(media, target, shown, in_overlay or evidence))
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
            # import.contact warns of every text that may hold one, at its question
            and f.rule != "text.contact"
        ]

    def cross_check(self, drafts: list[Draft]) -> None:
        """The rules across records (references to provinces and elements), for the drafts."""
        entries = [cross.index_entry(r) for r in self.inventory.elements]
        entries.extend(cross.index_entry(r) for r in self.inventory.provinces.values())
        entries.extend(self.entries.values())
        self.cross_findings = [f for f in cross.check(entries) if f.path in self.entries]

    def finished(self, draft: Draft) -> Draft:
        """`draft` with the findings across records, every problem in the export's order."""
        if draft.outcome is not Outcome.NEW:
            return draft
        submission, mapped = self.sources[draft.path]
        extra = [
            self._locate(submission, mapped, f)
            for f in self.cross_findings
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


_source_of: Callable[[str, Mapping[str, AnswerPath]], AnswerPath | None] = odk_located.source_of
_cell: Callable[[Submission, AnswerPath], Cell] = odk_located.cell_of
_question: Callable[[AnswerPath], str] = odk_located.question_of


def _file_name(source: AnswerPath, name: str) -> str:
    """The name an attachment is copied under: the question's name and its extension
    (`photo.jpg`). The name the export gives is never kept: it may be anything, an e-mail
    address or a phone number included, and the copy's name is public."""
    questions = [p for p in source if isinstance(p, str)]
    question = re.sub(r"[^a-z0-9_]+", "_", (questions[-1] if questions else "").lower())
    suffix = PurePosixPath(name).suffix.lower()
    extension = suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ""
    return f"{question.strip('_') or 'file'}{extension}"


def _unique(name: str, taken: set[str]) -> str:
    """`name` numbered from 1 (`photo-1.jpg`, `photo-2.jpg`), by the files already named."""
    stem, dot, suffix = name.rpartition(".")
    stem, suffix = (stem, f".{suffix}") if dot else (name, "")
    number = 1
    while f"{stem}-{number}{suffix}" in taken:
        number += 1
    candidate = f"{stem}-{number}{suffix}"
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


def _mapping(value: Any) -> dict[str, Any]:
    """`value` when it is a mapping of fields, else an empty one (a new one to fill)."""
    return value if isinstance(value, dict) else {}
