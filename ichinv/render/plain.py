"""What every renderer shares: text from records made safe for one line of a report or for a
terminal, and JSON serialised for output."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ichinv.core import controls, jsontext


def one_line(text: str) -> str:
    """`text` with line breaks, other control characters, bidirectional controls and
    invisible characters shown as escapes (`\\n`, `\\x1b`, `\\u202e`, `\\u200b`:
    ichinv.core.controls.UNSAFE), and no GitHub workflow command (controls.inert_commands)."""
    return controls.inert_commands(controls.UNSAFE.sub(_escaped, text))


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def dumps(document: Any, *, record_text: bool = False) -> str:
    """Serialise for output: UTF-8 text, no NaN, terminal-active characters escaped, ends
    with a newline (ichinv.core.jsontext; `record_text`: but what a record's text may hold)."""
    return jsontext.dumps(document, record_text=record_text)


_ACTIVE_OR_HIDDEN = controls.pattern(keep="\t\n", record_text=True)
"""What a terminal would act on or hide: control characters (escape sequences start with one),
line and paragraph separators, bidirectional controls, invisible characters
(ichinv.core.controls). Line breaks, tabs, a record's soft hyphens and the joiners that spell
a word or an emoji stay (controls.SOFT_HYPHEN, controls.JOINERS)."""


def visible(text: str) -> str:
    """`text` safe to print on a terminal: every control character shown as an escape
    (`\\x1b`), so that record text cannot clear the screen, hide text, set the window title
    or reach the clipboard, and every invisible one (`\\u200b`); line breaks and tabs kept.
    No line of it is a GitHub workflow command (controls.inert_commands)."""
    return controls.inert_commands(_ACTIVE_OR_HIDDEN.sub(_escaped, text))


def visible_data(value: Any) -> Any:
    """Plain data (a view, a row) with every text made `visible`; a text's own type (a
    `Withheld` note) is kept, its reason made visible too."""
    if isinstance(value, str):
        if not _ACTIVE_OR_HIDDEN.search(value) and controls.inert_commands(value) == value:
            return value
        if type(value) is not str:  # a note of the audience view: same kind, visible words
            return _renamed(value)
        return visible(value)
    if isinstance(value, dict):
        return {visible(str(k)): visible_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [visible_data(v) for v in value]
    return value


def _renamed(note: Any) -> Any:
    why, reason = note.__getnewargs__()
    return type(note)(why, visible(reason) if isinstance(reason, str) else reason)


_ENDS_SENTENCE = (".", "!", "?", "…", "。")


def join_clauses(parts: Iterable[str], separator: str = "; ") -> str:
    """Parts joined by `separator`, except after a part that ends a sentence, which a space
    follows (`Reason: Merged. Date: 2026-01-01`, never `Merged.; Date`)."""
    out = ""
    for part in parts:
        if out:
            out += " " if out.rstrip().endswith(_ENDS_SENTENCE) else separator
        out += part
    return out


def named(names: Mapping[str, str] | None, group: str, code: str) -> str:
    """The name of vocabulary value `code` of `group` (`value.<group>.<code>` in the label
    tables, ichinv.render.markdown.labels.flat), else the code itself."""
    return (names or {}).get(f"value.{group}.{code}") or code
