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

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ichinv.core.errors import UsageError
from ichinv.core.i18n import _
from ichinv.core.model import RecordKind
from ichinv.core.vocabulary import SourceList
from ichinv.exchange import form_spec, odk_drafts, odk_exports, odk_writing
from ichinv.exchange.odk_exports import Submission
from ichinv.exchange.odk_model import Draft, Outcome
from ichinv.exchange.odk_server import ServerChange, changed_since_import
from ichinv.exchange.odk_submissions import OTHER_STATUS, submission_row
from ichinv.exchange.odk_writing import Limits
from ichinv.inventory import overlay
from ichinv.inventory import view as inventory_view
from ichinv.inventory.unreadable import about_elements
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader


@dataclass(frozen=True, slots=True)
class OdkPlan:
    """Everything an import of submissions would do."""

    source: str
    server: str
    drafts: tuple[Draft, ...]
    media: odk_exports.MediaSource = field(
        repr=False, compare=False, default_factory=odk_exports.MediaSource
    )
    """Where the attachments are (the export)."""
    ignored: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def new(self) -> tuple[Draft, ...]:
        return tuple(d for d in self.drafts if d.outcome is Outcome.NEW)

    @property
    def failed(self) -> bool:
        """True when a draft has errors, a submission cannot be imported, or consent was
        withdrawn on the server in one imported before."""
        return any(d.errors for d in self.new) or any(
            d.outcome in (Outcome.FORMAT, Outcome.NO_KEY, Outcome.UNREADABLE, Outcome.TOO_LARGE)
            or ServerChange.WITHDRAWN in d.server  # the committee must act on it
            for d in self.drafts
        )


def plan(settings: Settings, path: Path, limits: Limits | None = None) -> OdkPlan:
    """Read the export at `path` and work out the draft of each submission, writing nothing;
    refused (exit 2) when writing them would be unsafe or go beyond `limits`
    (ichinv.exchange.odk_writing.check)."""
    schema_set = schema_loader.load(settings.schema_dir)
    schema = schema_set[RecordKind.ELEMENT]
    spec = form_spec.build(schema)
    export = odk_exports.read(path, spec)
    public = settings.visibility == "public"
    overlay_folder = _overlay_folder(settings) if public else None
    inventory = inventory_view.load(settings)
    # elements/ itself too (a link leading out of the inventory, another repository): its
    # drafts were written through the link, outside the repository.
    unreadable = [p for p in inventory.problems if about_elements(p)]
    if unreadable:
        first = unreadable[0]
        where = f"{first.path}:{first.line or 1}"
        raise UsageError(
            _("{where}: {message} (and {count} more)").format(
                where=where, message=first.message, count=len(unreadable) - 1
            )
            if len(unreadable) > 1
            else f"{where}: {first.message}",
            hint=_(
                "a record that cannot be read may hold a submission of this export already; "
                "fix it first (`ichinv validate` says what is wrong)"
            ),
        )
    imported = _imported(inventory)
    records = {record.path: record.data for record in inventory.elements}
    versions = dict(export.versions)
    told: set[str] = set()
    builder = odk_drafts.DraftMaker(settings, schema_set, spec, export, overlay_folder, inventory)
    drafts: list[Draft] = []
    seen: dict[str, Draft] = {}
    for submission in export.submissions:
        row = submission_row(submission.key) if submission.key else ""
        known = imported.get(row) if row else None
        repeated = known is None and row in seen  # twice in one export
        if repeated:
            known = (seen[row].id, seen[row].path)
        outcome, detail = _outcome(submission, row, known is not None, export.server)
        if repeated and outcome is Outcome.IMPORTED:
            outcome = Outcome.REPEATED
        if outcome is Outcome.NEW:
            draft = builder.draft(submission, row)
            if draft.outcome is Outcome.NEW:
                seen[row] = draft
        else:
            found_id, found_path = known or ("", "")
            version = versions.get(submission.key, "")
            changed: tuple[ServerChange, ...] = ()
            if outcome is Outcome.IMPORTED and row not in told:  # said of its first copy
                told.add(row)
                changed = changed_since_import(submission, version, records.get(found_path))
            draft = Draft(
                submission.key,
                submission.start,
                outcome,
                _language(submission),
                id=found_id,
                path=found_path,
                detail=detail,
                server=changed,
                version=version if ServerChange.EDITED in changed else "",
            )
        drafts.append(draft)
    builder.cross_check(drafts)
    new = [d for d in drafts if d.outcome is Outcome.NEW]
    odk_writing.check(settings, new, overlay_folder, limits or Limits())
    return OdkPlan(
        export.name,
        export.server,
        tuple(builder.finished(d) for d in drafts),
        export.media,
        export.ignored,
        export.notes,
    )


def _outcome(
    submission: Submission, row: str, known: bool, server: str
) -> tuple[Outcome, dict[str, str]]:
    """What becomes of a submission, before its answers are read."""
    if not row:
        return Outcome.NO_KEY, {}
    if known:
        return Outcome.IMPORTED, {}
    if submission.review == "rejected":
        return Outcome.REJECTED, {"server": server}
    if submission.unreadable == OTHER_STATUS:  # not the server's word: never quoted
        return Outcome.UNREADABLE, {}
    if submission.unreadable:
        return Outcome.UNREADABLE, {"value": submission.unreadable}
    return Outcome.NEW, {}


def _language(submission: Submission) -> str | None:
    value = submission.answers.get(form_spec.LANGUAGE)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _overlay_folder(settings: Settings) -> Path:
    """The private overlay the drafts' personal data go to; refused (exit 2) when git could
    commit its files (overlay.not_ignored: git is asked about the folder and its files)."""
    folder = overlay.require(settings)
    problem = overlay.not_ignored(settings)
    if problem is not None:
        raise problem
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


# --- writing -----------------------------------------------------------------------------------


def apply(settings: Settings, odk_plan: OdkPlan) -> list[str]:
    """Write the new drafts (ichinv.exchange.odk_writing: attachments, overlay entry, then the
    record, a draft that cannot be written whole undone); the paths written, as reports show
    them."""
    return odk_writing.write(settings, odk_plan.new, odk_plan.media)
