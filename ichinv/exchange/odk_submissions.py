"""One submission of the field form as an export holds it: its answers, shaped like the form
(ichinv.exchange.form_spec), each with the cell of the export it came from, and the
attachments of the export. Readers of each export format (ichinv.exchange.odk_csv,
ichinv.exchange.odk_json) build submissions with `Builder`."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.core.contacts import may_be_contact
from ichinv.exchange import odk_media
from ichinv.exchange.odk_media import MediaSource
from ichinv.exchange.odk_media import plain_name as plain_name  # its home is odk_media
from ichinv.io import given

AnswerPath = tuple[str | int, ...]
"""Where an answer is in a submission: question names, and indices of repeat instances."""

CENTRAL = "ODK Central"
KOBO = "KoboToolbox"

MAX_TABLE = given.LIMIT
"""Largest CSV or JSON read (bytes), of a file or in a ZIP: any file given to ichinv's."""
GEOPOINT_PARTS = ("Latitude", "Longitude", "Altitude", "Accuracy")

QUESTION_NAME = re.compile(r"[A-Za-z_:][\w.:/-]{0,199}")
"""A question's name as XLSForm writes them (`consent/status`, `name_kk`): what else stands
where an answer's name should (an e-mail address as a column of an export) is not printed."""

INSTANCE_ID = re.compile(
    r"(?:uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE
)
"""An instance id as ODK gives it (`uuid:` and a UUID; KoboToolbox's `_uuid` is the bare
UUID). Any other id (an export edited by hand, or hostile) is not used: it could be anything,
a contact included, and would be printed and written into the draft's provenance."""

STATUSES = frozenset({"notdecrypted", "missingencryptedformdef"})
"""ODK Central's words for a submission whose answers it could not export (`__system.status`,
the CSV's `Status`), in lower case: only these are quoted."""

OTHER_STATUS = "other"
"""`Submission.unreadable` of a submission the server could not export, for a reason given in
words that are not the server's (never quoted)."""


MAX_ROW = 40
"""Longest `row` of a source (the schema's maxLength)."""


def submission_row(key: str) -> str:
    """The `row` under which a draft records its submission: the instance id without `uuid:`,
    in lower case (a hash of it when longer than a row may be)."""
    text = key.strip()
    text = text[5:] if text.lower().startswith("uuid:") else text
    text = text.lower()
    if len(text) > MAX_ROW:
        text = "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[: MAX_ROW - 5]
    return text


def question_name(name: str) -> bool:
    """Whether an answer's or a column's name may be printed: a question's name as XLSForm
    writes them, and nothing like a contact."""
    return QUESTION_NAME.fullmatch(name) is not None and not may_be_contact(name)


def instance_id(key: str) -> str:
    """`key` when it is an instance id as ODK gives it, else "" (a submission without one)."""
    text = key.strip()
    return text if INSTANCE_ID.fullmatch(text) else ""


def status(text: str) -> str:
    """Why the server could not export a submission: its own word, OTHER_STATUS for any other
    text, "" for none."""
    text = text.strip()
    if not text:
        return ""
    return text if text.lower() in STATUSES else OTHER_STATUS


@dataclass(frozen=True, slots=True)
class Cell:
    """Where an answer (or a submission) is in the export."""

    file: str
    """The file, as shown (`export.zip:ichinv_element.csv`, `export.json`)."""
    line: int | None
    column: str = ""
    """The export's name of the answer (`consent-status`, `consent/status`)."""


@dataclass(frozen=True, slots=True)
class Submission:
    """One submission: its answers in the form's shape, and where each came from."""

    key: str
    """The instance id (`uuid:…`) of the submission (its first version, when edited), or ""
    when the export gives none, or none as ODK gives them (INSTANCE_ID)."""
    answers: Mapping[str, Any]
    """Question name → text (a list of instances for a repeat, a mapping for a group)."""
    cells: Mapping[AnswerPath, Cell]
    start: Cell
    """The submission's row (CSV) or object (JSON)."""
    review: str = ""
    """The server's review state, lower case (`rejected` submissions are not imported)."""
    unreadable: str = ""
    """Why the server could not export the answers (an encrypted submission), if so: the
    server's word (STATUSES), or OTHER_STATUS."""
    folders: frozenset[str] = frozenset()
    """Its other instance ids, which may name its own folder of the media (KoboToolbox: its
    `_uuid`, `meta/instanceID` and `meta/rootUuid`), as `odk_media.folder_id` gives them."""
    names: frozenset[str] = frozenset()
    """Every name of a file its answers may give, to any question, the form's or not
    (`odk_media.named`): a file of the media another submission may have answered is not
    given to this one (odk_media.Claims)."""


def owner_of(submission: Submission) -> str:
    """Who a submission is when attachments are given out (odk_media.Claims): its row, so that
    two copies of one submission are one."""
    return submission_row(submission.key) if submission.key else f"#{id(submission)}"


def folder_ids(submission: Submission) -> frozenset[str]:
    """The instance ids whose folder of the media is `submission`'s own."""
    return (frozenset({odk_media.folder_id(submission.key)}) | submission.folders) - {""}


def media_claims(export: Export) -> odk_media.Claims:
    """Which submissions of an export may answer each file name, and which own each id."""
    return odk_media.claims(
        ((owner_of(s), folder_ids(s), s.names) for s in export.submissions),
        export.unowned,
        partial=export.partial,
    )


SHAPE = "shape "
"""Opens a note (`Export.notes`) naming a group or repeat whose answer is not a group of
answers or a list of them (a hand-edited or damaged export): left out, and said so."""


SINGLE = "single "
"""Opens a note naming a question answered with a list or an object where the form asks for
one value (`"contacts/phone": ["+7 …"]`): left out, never written as Python text."""


UNNAMED = "unnamed "
"""Opens a note naming a repeat of a KoboToolbox export whose instances hold answers named
without the repeat's path (`name` where KoboToolbox writes `contacts/name`): left out."""

OUTSIDE = "outside "
"""Opens a note naming a KoboToolbox answer of a repeat given outside the repeat's list of
instances (`contacts/name` beside `contacts: [...]`, or with no such list): KoboToolbox gives a
repeat's answers only inside its list, and which instance they belong to is not known. Left
out."""

EXPAND = "expand"
"""The note (`Export.notes`) of ODK Central's JSON without $expand=*: its repeats' answers are
not in the file (left out, and said so; no file of the flat media is given: odk_media.Claims
.partial)."""

LINKED = "linked "
"""Opens a note naming the media folder beside a CSV or JSON export when it is a symbolic
link: it is not read (a link may lead anywhere on the machine), and the report says so once."""

TABLE = "table "
"""Opens a note naming a file of a ZIP export (as shown) that holds no table of the form: a
repeat the form does not have, or no table of a repeat at all. Left out."""


@dataclass(frozen=True, slots=True)
class Export:
    """The submissions of one export."""

    name: str
    server: str
    submissions: tuple[Submission, ...]
    media: MediaSource
    ignored: tuple[str, ...] = ()
    """Columns or keys that answer no question of the form (another version of the form)."""
    notes: tuple[str, ...] = ()
    """What the export lacks: EXPAND (repeats not expanded), SHAPE + the name of each group
    or repeat answered with what is not one, SINGLE + each question answered with a list or an
    object where it asks for one value, UNNAMED + the name of each repeat with answers
    named without its path, OUTSIDE + each answer of a repeat given outside its list of
    instances, TABLE + each file that holds no table of the form (all left
    out), LINKED + the media folder when it is a symbolic link (not read)."""
    unowned: frozenset[str] = frozenset()
    """Names of files answered in parts of the export no submission can be told to own
    (odk_media.Claims.unowned)."""
    partial: bool = False
    """Whether the export lacks answers of its submissions (odk_media.Claims.partial)."""
    versions: tuple[tuple[str, str], ...] = ()
    """(key, version) of each submission whose version the export gives (`meta-instanceID`,
    `meta/instanceID`: the instance id of its latest edit, as ODK gives them, `instance_id`),
    its first copy's: which version of a submission an import took, and whether it was
    edited on the server since (ichinv.exchange.odk_server)."""


class Builder:
    """The answers of one submission, as its rows and objects are read."""

    def __init__(self, key: str, start: Cell) -> None:
        self.key = key
        self.start = start
        self.answers: dict[str, Any] = {}
        self.cells: dict[AnswerPath, Cell] = {}
        self.review = ""
        self.unreadable = ""
        self.folders: set[str] = set()
        self.points: dict[AnswerPath, dict[str, str]] = {}
        self.names: set[str] = set()
        """What `hear` heard (odk_media.named)."""

    def hear(self, said: Any) -> None:
        """Note the names of files `said` may give (the submission's whole object, or one of
        its rows), whatever questions it answers: see `Submission.names`."""
        self.names.update(odk_media.named(said))

    def put(self, path: AnswerPath, value: Any, cell: Cell) -> None:
        node: Any = self.answers
        for step, following in zip(path[:-1], path[1:], strict=True):
            if isinstance(step, int):
                while len(node) <= step:
                    node.append({})
                node = node[step]
            else:
                default: Any = [] if isinstance(following, int) else {}
                node = node.setdefault(step, default)
        last = path[-1]
        assert isinstance(last, str)
        node[last] = value
        self.cells[path] = cell

    def place(self, path: AnswerPath, cell: Cell) -> None:
        """Note where a repeat instance (or a group) is, so that problems about it point there."""
        self.cells.setdefault(path, cell)

    def done(self) -> Submission:
        for path, parts in self.points.items():
            text = " ".join(parts.get(p, "") for p in GEOPOINT_PARTS).strip()
            self.put(path, text, self.cells[path])
        return Submission(
            instance_id(self.key),
            self.answers,
            self.cells,
            self.start,
            self.review,
            status(self.unreadable),
            frozenset(odk_media.folder_id(f) for f in self.folders) - {""},
            frozenset(self.names),
        )


def mapping(value: Any) -> dict[str, Any]:
    """`value` when it is a mapping of fields, else an empty one (a new one to fill)."""
    return value if isinstance(value, dict) else {}
