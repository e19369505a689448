"""What `ichinv import --from odk` does with each submission: the draft, or why there is none,
and every problem, located in the export."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ichinv.core.model import Severity
from ichinv.exchange.odk_exports import Cell, Media
from ichinv.exchange.odk_server import ServerChange

NO_CONSENT_REASON = (
    "The field submission recorded no consent of the communities concerned: the record is "
    "withheld until their consent is documented."
)
"""The published reason of a draft restricted because its submission holds no consent."""


class Outcome(StrEnum):
    """What importing does with a submission."""

    NEW = "new"
    IMPORTED = "imported"
    REPEATED = "repeated"
    """The same submission (instance id) earlier in this export: it becomes one draft."""
    REJECTED = "rejected"
    FORMAT = "format"
    NO_KEY = "no-key"
    UNREADABLE = "unreadable"
    TOO_LARGE = "too-large"
    """Its draft would be larger than a record may be, even without its longest answers."""


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
    """Written for its owner's eyes only (mode 0600): kept in the private overlay (personal
    data, or a restricted part), or the photograph of a consent form, which names bearers
    wherever it is kept."""


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
    server: tuple[ServerChange, ...] = ()
    """For a submission imported before: what changed on the server since."""
    version: str = ""
    """For one edited since: its version in the export (an instance id as ODK gives them)."""

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)
