"""What changed on the server in a submission imported before (for `ichinv import --from
odk`): a new version of it (edited in ODK Central or KoboToolbox), its rejection, consent
withdrawn in its copy there. The record is left as it is (the committee edits it, never a
later import), and the report says each change.

Which version a draft was made from is written in its source's note, `(version uuid:…)`, when
it is not the submission's first (whose instance id is the source's `row`): an edit on the
server afterwards is a version the record does not name. Only instance ids as ODK gives them
are taken or written (ichinv.exchange.odk_submissions.instance_id)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from ichinv.core.vocabulary import Consent, SourceList
from ichinv.exchange.odk_submissions import Submission, instance_id, submission_row


class ServerChange(StrEnum):
    """What changed on the server in a submission imported before (the record is left as it
    is: the committee decides what becomes of it)."""

    EDITED = "edited"
    """Its version in the export is not the one the draft was made from."""
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    """Consent is withdrawn in the server's copy, and not in the record."""


_NOTED = re.compile(r"\(version (uuid:[0-9A-Fa-f-]{36})\)")


def version_note(submission: Submission, version: str) -> str:
    """The words of a draft's source note naming the version it is made from: "" for the
    submission's first version (its key)."""
    if not version or submission_row(version) == submission_row(submission.key):
        return ""
    return f"(version {version})"


def versions_of(found: Iterable[tuple[Submission, str]]) -> tuple[tuple[str, str], ...]:
    """`Export.versions` of the submissions and the versions their export gives (any text:
    only an instance id as ODK gives it is kept), the first copy's of each."""
    versions: dict[str, str] = {}
    for submission, version in found:
        version = instance_id(version) if isinstance(version, str) else ""
        if submission.key and version:
            versions.setdefault(submission.key, version)
    return tuple(versions.items())


def changed_since_import(
    submission: Submission, version: str, record: Mapping[str, Any] | None
) -> tuple[ServerChange, ...]:
    """What changed on the server in `submission` (its `version` in the export) since the
    `record` was made from it."""
    if record is None:
        return ()
    found: list[ServerChange] = []
    if version and submission_row(version) != submission_row(_imported_version(submission, record)):
        found.append(ServerChange.EDITED)
    if submission.review == "rejected":
        found.append(ServerChange.REJECTED)
    consent = submission.answers.get("consent")
    sent = consent.get("status") if isinstance(consent, Mapping) else None
    recorded = record.get("consent")
    held = recorded.get("status") if isinstance(recorded, Mapping) else None
    if sent == Consent.WITHDRAWN and held != Consent.WITHDRAWN:
        found.append(ServerChange.WITHDRAWN)
    return tuple(found)


def _imported_version(submission: Submission, record: Mapping[str, Any]) -> str:
    """The version of `submission` the record was made from: the one its source's note names,
    else the first (the submission's key)."""
    provenance = record.get("provenance")
    sources = provenance.get("sources") if isinstance(provenance, Mapping) else None
    row = submission_row(submission.key)
    for source in sources if isinstance(sources, list) else []:
        if (
            isinstance(source, Mapping)
            and source.get("list") == SourceList.COMMUNITY_INVENTORY
            and isinstance(source.get("row"), str)
            and source["row"].strip().lower() == row
            and isinstance(source.get("note"), str)
            and (noted := _NOTED.search(source["note"])) is not None
        ):
            return noted.group(1)
    return submission.key
