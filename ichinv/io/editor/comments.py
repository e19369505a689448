"""Comments of record files modelled, not left where ruamel.yaml happens to hang them.

Each comment line and blank line belongs to the field (or list item) that follows it (its
*lead*); a comment at the end of a line belongs to the field on that line (its *end-of-line*
comment); comments before the first field are the file's *head* and after the last field its
*tail*. So moving a field (`fmt`) moves its comments with it, and inserting a field never
pushes a comment away from the field it describes. `extract` reads them from the text into
the model; `settle` puts them where the emitter prints them well.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import Comment, CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.tokens import CommentToken

from ichinv.io.editor.style import BLOCK, INDENT

_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""What the YAML reader counts as a line break (its line numbers must match ours)."""
_COMMENT_IN_REST = re.compile(r"(?:^|[ \t])(#.*)$")
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*")
_BLANK = " \t"
"""What YAML counts as white space: not `str.strip()`'s, which also takes U+00A0 and the other
spaces of Unicode (a literal line of one no-break space was taken for a blank line, and a key
starting with a thin space and `#` for a comment: each `fmt` added a line)."""


@dataclass(frozen=True, slots=True)
class EndComment:
    """A comment at the end of a field's line."""

    text: str
    """The comment, starting with `#`."""
    column: int = 0
    """0-based column of the `#` as written; 0 when new (two spaces after the value)."""


def _lead_tokens(lines: Sequence[str]) -> list[CommentToken] | None:
    if not lines:
        return None
    return [CommentToken(line + "\n", CommentMark(0)) for line in lines]


def _entry(container: Any, key: Any) -> list[Any]:
    items = container.ca.items
    entry = items.get(key)
    if entry is None:
        entry = [None, None, None, None]
        items[key] = entry
    return entry


def _slot(container: Any) -> tuple[int, int]:
    """(end-of-line slot, lead slot) of an item's comment entry: mapping vs sequence."""
    return (2, 1) if isinstance(container, CommentedMap) else (0, 1)


def get_comments(container: Any, key: Any) -> tuple[list[str], EndComment | None]:
    """The lead lines and the end-of-line comment of `container[key]`."""
    entry = container.ca.items.get(key)
    if not entry:
        return [], None
    eol_slot, lead_slot = _slot(container)
    lead = [t.value.rstrip("\n").strip() for t in entry[lead_slot] or []]
    token = entry[eol_slot]
    eol = None
    if token is not None:
        text = token.value.strip()
        if text:
            eol = EndComment(text, token.column if isinstance(token.column, int) else 0)
    return lead, eol


def set_comments(
    container: Any, key: Any, lead: Sequence[str] | None, eol: EndComment | None
) -> None:
    """Attach `lead` lines (comments `# …` or blank `""`) and an end-of-line comment."""
    eol_slot, lead_slot = _slot(container)
    if not lead and eol is None:
        container.ca.items.pop(key, None)
        return
    entry = _entry(container, key)
    entry[lead_slot] = _lead_tokens(lead or [])
    if eol is None:
        entry[eol_slot] = None
    else:
        # Column 0 makes the emitter put the comment right after the value; the leading space
        # makes that two spaces, the usual style.
        text = eol.text if eol.column else " " + eol.text
        entry[eol_slot] = CommentToken(text, CommentMark(eol.column))


def unalign(container: Any, key: Any) -> None:
    """Put the end-of-line comment of `container[key]`, whose line changed, two spaces after
    its value: aligned for the old value, it could touch the new one, or come before its end."""
    lead, eol = get_comments(container, key)
    if eol is not None and eol.column:
        set_comments(container, key, lead, EndComment(eol.text))


def comment_lines(text: str | Sequence[str]) -> list[str]:
    """Comment lines from plain text: each line gets `# ` unless it is one already."""
    lines = text.splitlines() if isinstance(text, str) else list(text)
    return [
        line if line.startswith("#") else (f"# {line}" if line.strip() else "") for line in lines
    ]


def _clear_comments(value: Any) -> None:
    """Remove every comment ruamel.yaml attached while reading (we keep our own model)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, CommentedMap):
            setattr(node, Comment.attrib, Comment())
            stack.extend(node.values())
        elif isinstance(node, CommentedSeq):
            setattr(node, Comment.attrib, Comment())
            stack.extend(node)
        elif isinstance(node, BLOCK) and getattr(node, "comment", None) is not None:
            setattr(node, "comment", None)  # noqa: B010 - a slot the type stubs do not declare


# --- reading -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Scan:
    """What the comment extraction learns from the node tree."""

    lines: list[str]
    anchor_lines: list[int] = field(default_factory=list)
    anchors: list[tuple[Any, Any]] = field(default_factory=list)
    """(container, key or index) of every field and list item in block style, in file order."""
    inside: set[int] = field(default_factory=set)
    """Lines inside multi-line text: no comment can be there."""
    blocked: set[int] = field(default_factory=set)
    """Lines where multi-line quoted or plain text starts: the rest of the line is text."""
    scan_from: dict[int, int] = field(default_factory=dict)
    """Column after the last value or key ending on a line: a comment can only come after it."""

    def anchor(self, line: int, container: Any, key: Any) -> None:
        self.anchor_lines.append(line)
        self.anchors.append((container, key))

    def scalar(self, node: Any) -> None:
        start, end = node.start_mark, node.end_mark
        if node.style in ("|", ">"):
            header = _BLOCK_HEADER.match(self.lines[start.line], start.column)
            after = header.end() if header else start.column + 1
            self.scan_from[start.line] = max(self.scan_from.get(start.line, 0), after)
            last = end.line if end.column > 0 else end.line - 1
            last = min(last, len(self.lines) - 1)
            limit = last
            value = str(node.value)
            breaks = len(value) - len(value.rstrip("\n"))
            text = value.rstrip("\n")
            if node.style == "|" and text:
                # A literal block holds one line of text for each line of the file: its last
                # line of text may be spaces (content, not a blank line to move).
                last = start.line + text.count("\n") + 1 + max(breaks - 1, 0)
            else:
                while last > start.line and not self.lines[last].strip(_BLANK):
                    last -= 1
                if last == start.line:  # nothing but line breaks, kept by `|+`
                    last += breaks
                else:  # blank lines after the text belong to it only when kept (`|+`)
                    last += max(breaks - 1, 0)
            last = min(last, limit)
            self.inside.update(range(start.line + 1, last + 1))
        elif end.line > start.line:
            self.blocked.add(start.line)
            self.inside.update(range(start.line + 1, end.line))
            self.scan_from[end.line] = max(self.scan_from.get(end.line, 0), end.column)
        else:
            self.scan_from[end.line] = max(self.scan_from.get(end.line, 0), end.column)


def _walk(node: Any, data: Any, scan: _Scan) -> None:
    """Record anchors (in file order) and the extent of every scalar. Records are at most
    `yamlload.MAX_DEPTH` deep, so recursion is bounded."""
    if isinstance(node, MappingNode):
        block = not node.flow_style
        for (key_node, value_node), key in zip(node.value, list(data.keys()), strict=True):
            if block:
                scan.anchor(key_node.start_mark.line, data, key)
            scan.scalar(key_node)
            _walk(value_node, data[key], scan)
    elif isinstance(node, SequenceNode):
        block = not node.flow_style
        for index, value_node in enumerate(node.value):
            if block:
                scan.anchor(value_node.start_mark.line, data, index)
            _walk(value_node, data[index], scan)
    elif isinstance(node, ScalarNode):
        scan.scalar(node)


def _end_comment(scan: _Scan, number: int) -> tuple[str, int] | None:
    line = scan.lines[number]
    start = scan.scan_from.get(number, 0)
    match = _COMMENT_IN_REST.search(line, start)
    if match is None:
        return None
    return match.group(1).rstrip(), match.start(1)


_MARKER = re.compile(r"---(?:[ \t]+#.*)?")
"""A document-start marker alone on its line (a comment may follow it)."""


_FILE_LINES = re.compile(r"#\s*yaml-language-server:|#!|#\s*-\*-")
"""Head comments that speak of the file, not of the field below them: an editor's schema line
(ichinv writes it first in every record), a shebang, an Emacs mode line."""


def first_fields_lines(head: Sequence[str]) -> int:
    """Where the comment lines of the first field start among the lines above it (`head`,
    comments, blank lines, directives, markers); `len(head)` when none is the field's.

    The comment lines right above the first field (no blank line between) are the field's, as
    such lines are everywhere else (`fmt` moving the field left them above the field it put
    first), when a line of the file stands above them: an editor's schema line (ichinv writes
    one first in every record), a blank line, a directive or a document marker. Comments that
    open the file with nothing above them are the file's (`# Private overlay of …`)."""
    own = len(head)
    while own and head[own - 1].startswith("#") and _FILE_LINES.match(head[own - 1]) is None:
        own -= 1
    return own if own else len(head)


def extract(text: str, node: Any, data: Any) -> tuple[list[str], list[str]]:
    """Move every comment of `text` into the model; return the file's head and tail lines."""
    lines = _BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    scan = _Scan(lines)
    if isinstance(node, MappingNode):
        _walk(node, data, scan)
    _clear_comments(data)

    first = scan.anchor_lines[0] if scan.anchor_lines else len(lines)
    head: list[str] = []
    body_start = 0
    while body_start < first and body_start < len(lines):
        stripped = lines[body_start].strip(_BLANK)
        # (a document marker with the record on its line, `--- {id: …}`, is the record's:
        # kept as a head line, the record was written after it again; an outside review)
        if stripped and not (stripped.startswith(("#", "%")) or _MARKER.fullmatch(stripped)):
            break
        head.append(lines[body_start].rstrip())
        body_start += 1
    while head and not head[0]:
        head.pop(0)

    leads: dict[int, list[str]] = {}
    ends: dict[int, EndComment] = {}
    tail: list[str] = []
    own = first_fields_lines(head) if scan.anchors else len(head)
    if own < len(head):
        leads[0] = [line.strip(_BLANK) for line in head[own:]]
        del head[own:]

    def add_lead(after_line: int, text: str) -> None:
        index = bisect.bisect_right(scan.anchor_lines, after_line)
        if index < len(scan.anchors):
            leads.setdefault(index, []).append(text)
        else:
            tail.append(text)

    for number in range(body_start, len(lines)):
        if number in scan.inside:
            continue
        stripped = lines[number].strip(_BLANK)
        if number not in scan.blocked and (
            not stripped
            # a `#` before the end of text ending on this line is the text's (`  #"` after
            # `a: "x\`): it was taken for a comment line, and each `fmt` wrote one more
            or (stripped[0] == "#" and lines[number].index("#") >= scan.scan_from.get(number, 0))
        ):
            add_lead(number, stripped)
            continue
        if number in scan.blocked:
            continue
        found = _end_comment(scan, number)
        if found is None:
            continue
        owner = bisect.bisect_right(scan.anchor_lines, number) - 1
        if owner < 0:
            tail.append(found[0])
        elif owner in ends:
            add_lead(number, found[0])
        else:
            ends[owner] = EndComment(found[0], found[1])

    for index, (container, key) in enumerate(scan.anchors):
        lead = leads.get(index)
        eol = ends.get(index)
        if lead or eol:
            set_comments(container, key, lead, eol)
    return head, tail


def settle(node: Any, column: int) -> list[str]:
    """Put every comment where the emitter prints it well, at the column of its field.

    Returns comment lines that cannot stay inside `node` (it is written in flow style) for the
    caller to place before it.
    """
    if not isinstance(node, CommentedMap | CommentedSeq):
        return []
    if node.fa.flow_style():
        return _take_all(node)
    items = list(node.items()) if isinstance(node, CommentedMap) else list(enumerate(node))
    in_list = isinstance(node, CommentedSeq)
    for key, value in items:
        lead, eol = get_comments(node, key)
        lead = list(lead)
        if isinstance(value, CommentedMap | CommentedSeq) and not len(value):
            value.fa.set_flow_style()  # `[]` / `{}`: an empty block collection has no form
        if isinstance(value, CommentedMap | CommentedSeq) and len(value):
            inner = settle(value, column + INDENT)
            lead.extend(inner)
            if in_list and not value.fa.flow_style():
                # The first field of a list item sits on the dash line: its comments go first.
                first = next(iter(value)) if isinstance(value, CommentedMap) else 0
                first_lead, first_eol = get_comments(value, first)
                lead.extend(first_lead)
                first_value = value[first]
                if (
                    eol is not None
                    and first_eol is None
                    and not isinstance(first_value, CommentedMap | CommentedSeq)
                    and not isinstance(first_value, BLOCK)  # a tuple: `|` with it raised
                ):
                    first_eol, eol = eol, None
                set_comments(value, first, [], first_eol)
                if eol is not None:
                    lead.append(eol.text)
                    eol = None
        elif isinstance(value, BLOCK) and eol is not None:
            lead.append(eol.text)
            eol = None
        set_comments(node, key, [_indent(line, column) for line in lead], eol)
    return []


def _indent(line: str, column: int) -> str:
    stripped = line.strip(_BLANK)
    return " " * column + stripped if stripped else ""


def _take_all(node: Any) -> list[str]:
    """Every comment inside a flow-style collection, removed from it, as lines."""
    found: list[str] = []
    items = list(node.items()) if isinstance(node, CommentedMap) else list(enumerate(node))
    for key, value in items:
        lead, eol = get_comments(node, key)
        found.extend(line for line in lead if line)
        if eol is not None:
            found.append(eol.text)
        found.extend(_take_all(value) if isinstance(value, CommentedMap | CommentedSeq) else [])
    node.ca.items.clear()
    return found
