"""A submission given twice in one export, whatever its format: copies alike are imported once
(ichinv.exchange.odk reports the later ones as repeated), copies that differ are refused.

The same submission is the same instance id, in any case (`submission_row`, as records keep
it): ODK Central's CSV ZIP, its JSON and KoboToolbox's JSON are held to one rule."""

from __future__ import annotations

from collections.abc import Iterable

from ichinv.core.errors import UsageError
from ichinv.core.i18n import _
from ichinv.exchange.odk_submissions import Submission, submission_row


def refuse_differing_copies(submissions: Iterable[Submission]) -> None:
    """Refuse a submission given again with other answers (KoboToolbox: the same instance id
    under another `_uuid`; a CSV edited by hand, the KEY in other case): which copy is the
    team's is not known, and one copy's answers would be dropped without a word. Both lines
    are named; neither copy is quoted. Who sent a copy, and when, are not answers."""
    first: dict[str, Submission] = {}
    for submission in submissions:
        if not submission.key:
            continue
        before = first.setdefault(submission_row(submission.key), submission)
        if before is submission or _alike(before, submission):
            continue
        where = submission.start.file
        if submission.start.line:
            where = f"{where}:{submission.start.line}"
        raise UsageError(
            _(
                "{where}: the submission of line {line} is given again here with other answers"
            ).format(where=where, line=before.start.line or 1),
            hint=_(
                "export it again from the server, or delete on the server the copy that is "
                "not the team's"
            ),
        )


def _alike(one: Submission, other: Submission) -> bool:
    return (one.answers, one.review, one.unreadable) == (
        other.answers,
        other.review,
        other.unreadable,
    )
