"""Where in the export a draft's field was answered (for `ichinv import --from odk`,
ichinv.exchange.odk_drafts), and the problems of the answers themselves, located there: a
contact typed outside the contacts questions, an answer too long for a record, an attachment
the draft does not get."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from ichinv.core import pointers
from ichinv.core.model import Severity
from ichinv.exchange import odk_answers
from ichinv.exchange.odk_answers import FileAnswer
from ichinv.exchange.odk_media import MAX_ATTACHMENT, Media, Withheld
from ichinv.exchange.odk_model import Located
from ichinv.exchange.odk_size import LeftOut
from ichinv.exchange.odk_submissions import AnswerPath, Cell, Submission
from ichinv.inventory.contact_texts import shows_sure_contact


def source_of(pointer: str, sources: Mapping[str, AnswerPath]) -> AnswerPath | None:
    """The answer a record pointer came from: the pointer's own, else its nearest parent's."""
    current = pointer
    while current:
        if current in sources:
            return sources[current]
        current = current.rsplit("/", 1)[0]
    return None


def cell_of(submission: Submission, source: AnswerPath) -> Cell:
    """The cell of the export holding the answer at `source` (or the nearest one around it)."""
    path = source
    while path:
        if path in submission.cells:
            return submission.cells[path]
        path = path[:-1]
    return submission.start


def question_of(source: AnswerPath) -> str:
    """The form's path of the question that gave the answer at `source` (`consent/date`)."""
    return "/".join(p for p in source if isinstance(p, str))


def located(
    submission: Submission,
    mapped: odk_answers.Mapped,
    pointer: str,
    rule: str,
    label: str,
    values: Mapping[str, str] | None = None,
) -> Located:
    """A warning of the import about the answer that filled the field at `pointer`, at its
    cell and question (at the submission's start when no answer filled it)."""
    source = source_of(pointer, mapped.sources)
    return Located(
        Severity.WARNING,
        rule,
        pointer,
        cell_of(submission, source) if source is not None else submission.start,
        question_of(source) if source is not None else "",
        label=label,
        values=dict(values or {}),
    )


def contacts_in_texts(
    personal: Collection[str], submission: Submission, mapped: odk_answers.Mapped
) -> list[Located]:
    """A warning at each answer outside the contacts questions (the fields `personal`) that
    holds an e-mail address, a phone number or a messenger's link, as validate's
    `text.contact` finds them (`shows_sure_contact`; not the broad test of what output hides, which
    a date with slashes or a sum, `=1+1`, passes): the draft keeps the text, but a record's
    text may be published, and contacts belong in the contacts questions. The warning never
    quotes the answer."""
    return [
        located(submission, mapped, pointer, "import.contact", "submission.contact_in_text")
        # in the answers' order (`pointers.texts` walks a stack: the last text first)
        for pointer, text in reversed(list(pointers.texts(mapped.data)))
        if pointers.top(pointer) not in personal and shows_sure_contact(text)
    ]


def too_large(
    submission: Submission, mapped: odk_answers.Mapped, left_out: Iterable[LeftOut], limit: int
) -> list[Located]:
    """A warning at each answer left out of the draft for its length (ichinv.exchange.odk_size),
    which never quotes it."""
    return [
        located(
            submission,
            mapped,
            item.pointer,
            "import.too_large",
            "submission.too_large",
            {"size": f"{item.size:,}", "limit": f"{limit:,}"},
        )
        for item in left_out
    ]


MAX_NAMED = 3
"""Most other submissions a warning on a withheld attachment names (then `…`): a web form
names every photo taken on an iPhone `image.jpg`."""


def file_problem(
    submission: Submission,
    answer: FileAnswer,
    found: Media | Withheld | None,
    named: Mapping[str, str],
) -> Located:
    """The warning at a file answer whose attachment the draft does not get (`found`, as
    `MediaSource.find` gave it): missing from the export, larger than MAX_ATTACHMENT, or
    withheld, naming the other submissions that answer its name (`named`: who each is → its
    instance id or its place in the export), never their answers."""
    values = {"name": answer.name, "limit": str(MAX_ATTACHMENT // 2**20)}
    if found is None:
        label = "submission.missing_file"
    elif isinstance(found, Withheld) and found.others:
        label = "submission.ambiguous_file"
        others = [shown for owner, shown in named.items() if owner in found.others]
        values["submissions"] = ", ".join(
            others[:MAX_NAMED] + (["…"] if len(others) > MAX_NAMED else [])
        )
    elif isinstance(found, Withheld) and found.unknown:
        label = "submission.unknown_owner_file"
    elif isinstance(found, Withheld):
        label = "submission.same_name_files"
    else:
        label = "submission.large_file"
    return Located(
        Severity.WARNING,
        "import.file",
        answer.pointer,
        cell_of(submission, answer.source),
        question_of(answer.source),
        label=label,
        values=values,
    )
