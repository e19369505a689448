"""Rule yaml.comment-in-text: a text of several words that a `#` on its line cut short
(ichinv.io.yaml_comments). Judged on the file's bytes, not its data: the data holds the text
as cut, and nothing of the comment."""

from __future__ import annotations

from collections.abc import Iterator

from ichinv.core.catalogue import rule
from ichinv.core.i18n import _
from ichinv.core.model import Finding
from ichinv.io.yaml_comments import cut_texts, may_hold_cut_text


def check_comments(path: str, raw: bytes) -> Iterator[Finding]:
    """A warning at each text of the record file `raw` (at `path`) cut short by a comment."""
    if not may_hold_cut_text(raw):
        return
    for cut in cut_texts(raw.decode("utf-8-sig", "replace")):
        yield rule("yaml.comment-in-text").finding(
            path,
            _(
                "the text ends before this #: YAML reads ` #` and the rest of the line as a "
                "comment, which is no part of the value and no output shows"
            ),
            pointer=cut.pointer,
            line=cut.line,
            column=cut.column,
            hint=_(
                "if the # and what follows belong to the text, put the whole text in quotation "
                'marks ("…"); if it is a note for editors, put it on a line of its own'
            ),
        )
