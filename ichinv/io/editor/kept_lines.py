"""An edited record's text with every line the edit did not change as the file had it.

ruamel.yaml writes a whole document again: an edit of one field (`retire`, `merge`, the
references a `renumber` rewrites, an `import`) also respaced lines it never touched
(`level:   "public"` became `level: "public"`, a comment's gap shrank; an outside attack),
where the README promises that the rest of a record stays as it was. The edited text is
compared with the file line by line, white space aside; each run of lines alike is taken from
the file. The result is kept only when it reads back as exactly the data the edit meant, else
the edited text is used as ruamel.yaml wrote it.
"""

from __future__ import annotations

import difflib
from typing import Any

from ichinv.io import strict_yaml as yamlload


def kept_lines(source: bytes | None, written: str, intended: Any) -> str:
    """`written` (the record as an edit wrote it) with the lines alike in `source` (the
    file's bytes; white space aside) as `source` has them, when that reads back as
    `intended`; else `written`."""
    if source is None:
        return written
    try:
        before = source.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return written
    after = written.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(
        None, [_alike(line) for line in before], [_alike(line) for line in after]
    )
    kept: list[str] = []
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            kept += [_ended(line) for line in before[old_start:old_end]]
        else:
            kept += after[new_start:new_end]
    text = "".join(kept)
    if text == written:
        return written
    try:
        reread, __ = yamlload.load(text.encode("utf-8"))
    except yamlload.LoadError:
        return written
    return text if reread == intended else written


def _alike(line: str) -> str:
    """What two lines alike share: their words, white space aside."""
    return " ".join(line.split())


def _ended(line: str) -> str:
    """A line of the file as an edited record ends it: with LF (records are LF)."""
    return line.rstrip("\r\n") + "\n"
