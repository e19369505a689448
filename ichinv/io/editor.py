"""Round-trip editing of record files, comments and formatting kept: the only ruamel.yaml user.

Every command that changes a record goes through here: `load` reads the file (first with the
strict reader of `yamlload`, so a writer never handles a file `validate` would refuse), the
command edits the `Document` (pointer-based `get`/`set`/`delete`/`rename`/`append`, keys
inserted in schema order), and `dump` writes it back in the inventory's style: block style,
2-space indentation with sequences indented under their key (`  - item`), literal `|` for
multi-line text, no line folding, UTF-8 without escapes, LF, one trailing newline.

Comments are modelled, not left where ruamel.yaml happens to hang them. Each comment line and
blank line belongs to the field (or list item) that follows it (its *lead*); a comment at the
end of a line belongs to the field on that line (its *end-of-line* comment); comments before
the first field are the file's *head* and after the last field its *tail*. So moving a field
(`fmt`) moves its comments with it, and inserting a field never pushes a comment away from the
field it describes.

Dates stay the text they were written as (the timestamp type of YAML 1.1 is not resolved), and
`dump` re-reads its own output with the strict reader: a write that would change any value
is refused instead of performed.
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import Comment, CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarint import ScalarInt
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    ScalarString,
)
from ruamel.yaml.tokens import CommentToken

from ichinv.core import pointers
from ichinv.core.errors import IchinvError
from ichinv.io import strict_yaml as yamlload

INDENT = 2
"""Spaces per level of mapping; list dashes sit INDENT spaces under their key."""

WIDTH = 1_000_000
"""Line width given to the emitter: wide enough that no text is ever folded."""

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/{kind}.schema.json"
"""First line of every record: editors read it to show the schema's descriptions."""

KeyOrder = Mapping[str, Sequence[str]]
"""Pattern of a mapping (JSON pointer, `*` for list items) → its keys in canonical order
(`ichinv.schemas.Schema.property_order`)."""

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"
_BLOCK = (LiteralScalarString, FoldedScalarString)
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
"""What the YAML reader counts as a line break (its line numbers must match ours)."""
_COMMENT_IN_REST = re.compile(r"(?:^|[ \t])(#.*)$")
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*")
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
"""Characters a literal block cannot hold: such text keeps its escaped, quoted form."""


class UnreadableRecord(IchinvError):
    """A record that cannot be opened for editing (exit 2): the file is left untouched."""


class UnsafeWrite(IchinvError):
    """Writing the record back would change data it was not asked to change (exit 2)."""


# --- the ruamel.yaml configuration ------------------------------------------------------------


class _Resolver(VersionedResolver):
    """YAML 1.2 core schema without timestamps: `2025-05-14` stays the text `2025-05-14`."""

    def add_version_implicit_resolver(
        self, version: Any, tag: Any, regexp: Any, first: Any
    ) -> None:
        if tag == _TIMESTAMP:
            return
        super().add_version_implicit_resolver(version, tag, regexp, first)


def _yaml() -> YAML:
    """A round-trip reader/writer configured with the inventory's style."""
    yaml = YAML(typ="rt", pure=True)
    yaml.Resolver = _Resolver
    yaml.indent(mapping=INDENT, sequence=2 * INDENT, offset=INDENT)
    yaml.width = WIDTH
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    yaml.line_break = "\n"  # type: ignore[assignment]
    yaml.allow_duplicate_keys = False
    return yaml


_RESOLVER = _Resolver()


def needs_quotes(text: str) -> bool:
    """True when `text`, written plain, would be read as something other than text."""
    tag = _RESOLVER.resolve(ScalarNode, text, (True, False))
    return str(getattr(tag, "value", tag)) != _STR


# --- values ------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """`value` as plain data (dict, list, str, int, float, bool, None), as `yamlload` gives it."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, ScalarBoolean):
        return bool(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, ScalarInt):
        return int(value)
    if isinstance(value, ScalarFloat):
        return float(value)
    if isinstance(value, ScalarString):
        return str(value)
    return value


def to_yaml(value: Any) -> Any:
    """Plain data as round-trip values in the inventory's style: mappings and lists in block
    style, multi-line text as a literal block, text that would read as a number, a date-less
    boolean or null in double quotes."""
    if isinstance(value, CommentedMap | CommentedSeq | ScalarString):
        return value
    if isinstance(value, Mapping):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[str(key)] = to_yaml(item)
        return mapping
    if isinstance(value, list | tuple):
        return CommentedSeq(to_yaml(item) for item in value)
    if isinstance(value, str):
        if "\n" in value:
            return LiteralScalarString(value)
        if needs_quotes(value):
            return DoubleQuotedScalarString(value)
    return value


# --- comments --------------------------------------------------------------------------------


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
        elif isinstance(node, _BLOCK) and getattr(node, "comment", None) is not None:
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
            while last > start.line and not self.lines[last].strip():
                last -= 1
            value = str(node.value)
            breaks = len(value) - len(value.rstrip("\n"))
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


def _extract_comments(text: str, node: Any, data: Any) -> tuple[list[str], list[str]]:
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
        stripped = lines[body_start].strip()
        if stripped and not stripped.startswith(("#", "%", "---")):
            break
        head.append(lines[body_start].rstrip())
        body_start += 1
    while head and not head[0]:
        head.pop(0)

    leads: dict[int, list[str]] = {}
    ends: dict[int, EndComment] = {}
    tail: list[str] = []

    def add_lead(after_line: int, text: str) -> None:
        index = bisect.bisect_right(scan.anchor_lines, after_line)
        if index < len(scan.anchors):
            leads.setdefault(index, []).append(text)
        else:
            tail.append(text)

    for number in range(body_start, len(lines)):
        if number in scan.inside:
            continue
        stripped = lines[number].strip()
        if number not in scan.blocked and (not stripped or stripped.startswith("#")):
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


# --- the document --------------------------------------------------------------------------


@dataclass(eq=False)
class Document:
    """A record opened for editing: its data (round-trip values carrying their comments), the
    comment lines before and after it, and the canonical key order used for new keys."""

    data: Any
    """The record mapping (a ruamel.yaml CommentedMap; use the methods below to change it)."""
    head: list[str] = field(default_factory=list)
    """Lines before the first field (the schema comment, directives), as written."""
    tail: list[str] = field(default_factory=list)
    """Comment lines after the last field."""
    path: str = "<record>"
    """Where the record lives, for messages."""
    order: KeyOrder = field(default_factory=dict)
    """Canonical key order by mapping pattern; keys not listed go after the listed ones."""

    # --- reading -----------------------------------------------------------------------

    def get(self, pointer: str, default: Any = None) -> Any:
        """The value at `pointer`, or `default` when there is none."""
        node = self.data
        for part in pointers.split(pointer):
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            elif (
                isinstance(node, list)
                and (part.isascii() and part.isdigit())
                and int(part) < len(node)
            ):
                node = node[int(part)]
            else:
                return default
        return node

    def plain(self) -> dict[str, Any]:
        """The record as plain data."""
        value = plain(self.data)
        assert isinstance(value, dict)
        return value

    # --- changing --------------------------------------------------------------------------

    def set(
        self,
        pointer: str,
        value: Any,
        *,
        comment: str | Sequence[str] | None = None,
        eol: str | None = None,
    ) -> bool:
        """Set the field at `pointer` (a new key goes to its place in the canonical order;
        missing parent mappings are created). Comments on parts of the value that stay the
        same are kept. `comment` adds lead comment lines, `eol` an end-of-line comment.
        Returns True when anything changed."""
        parts = pointers.split(pointer)
        if not parts:
            raise ValueError("cannot replace the whole record")
        parent = self._container(parts[:-1], create=True)
        key: Any = parts[-1]
        changed = True
        inserted = False
        if isinstance(parent, CommentedSeq):
            index = _index(parent, key, pointer, allow_end=True)
            if index == len(parent):
                parent.append(to_yaml(value))
                inserted = True
            else:
                changed = _assign(parent, index, value, self._placer(parts[:-1] + [key]))
            key = index
        elif key in parent:
            changed = _assign(parent, key, value, self._placer(parts))
        else:
            parent.insert(self._position(parent, parts[:-1], key), key, to_yaml(value))
            inserted = True
        if inserted and isinstance(value, Mapping | list | tuple):
            self.reorder(pointers.join([*parts[:-1], key]))
        if changed and not inserted:
            # The line changed: an end-of-line comment aligned for the old value moves to
            # two spaces after the new one.
            lead, old_eol = get_comments(parent, key)
            if old_eol is not None and old_eol.column:
                set_comments(parent, key, lead, EndComment(old_eol.text))
        if comment is not None or eol is not None:
            lead, old_eol = get_comments(parent, key)
            if comment is not None:
                extra = comment_lines(comment)
                if extra and extra[0] not in lead:
                    lead = lead + extra
                    changed = True
            new_eol = old_eol
            if eol is not None:
                text = eol if eol.startswith("#") else f"# {eol}"
                if old_eol is None or old_eol.text != text:
                    new_eol = EndComment(text)
                    changed = True
            set_comments(parent, key, lead, new_eol)
        return changed

    def delete(self, pointer: str) -> bool:
        """Remove the field or list item at `pointer`, with the comments attached to it.
        Returns False when there was nothing there."""
        parts = pointers.split(pointer)
        if not parts:
            raise ValueError("cannot delete the whole record")
        parent = self._container(parts[:-1], create=False)
        if parent is None:
            return False
        key = parts[-1]
        if isinstance(parent, CommentedSeq):
            if not (key.isascii() and key.isdigit()) or int(key) >= len(parent):
                return False
            del parent[int(key)]
            return True
        if key not in parent:
            return False
        parent.ca.items.pop(key, None)
        del parent[key]
        return True

    def rename(self, pointer: str, new_key: str) -> bool:
        """Give the field at `pointer` a new key, in the same place and with its comments."""
        parts = pointers.split(pointer)
        parent = self._container(parts[:-1], create=False)
        old = parts[-1] if parts else None
        if not isinstance(parent, CommentedMap) or old not in parent:
            return False
        if new_key in parent and new_key != old:
            raise ValueError(f"{pointers.join(parts[:-1] + [new_key])} exists already")
        position = list(parent).index(old)
        lead, eol = get_comments(parent, old)
        value = parent.pop(old)
        parent.ca.items.pop(old, None)
        parent.insert(position, new_key, value)
        set_comments(parent, new_key, lead, eol)
        return True

    def append(self, pointer: str, value: Any, *, comment: str | None = None) -> None:
        """Add an item at the end of the list at `pointer` (created, in order, if missing)."""
        items = self.get(pointer)
        if items is None:
            self.set(pointer, [])
            items = self.get(pointer)
        if not isinstance(items, CommentedSeq):
            raise ValueError(f"{pointer} is not a list")
        items.append(to_yaml(value))
        if comment:
            set_comments(items, len(items) - 1, comment_lines(comment), None)

    def reorder(self, pointer: str = "") -> bool:
        """Put the keys of every mapping (under `pointer`) in canonical order; True when any
        moved."""
        moved = False
        start = [int(p) if (p.isascii() and p.isdigit()) else p for p in pointers.split(pointer)]
        for parts, mapping in _mappings(self.get(pointer), start):
            wanted = _order_for(self.order, parts)
            if not wanted:
                continue
            current = list(mapping)
            rank = {key: number for number, key in enumerate(wanted)}
            target = sorted(current, key=lambda k: (rank.get(k, len(rank)), current.index(k)))
            if target != current:
                for key in target:
                    mapping.move_to_end(key)
                moved = True
        return moved

    def block_style(self) -> None:
        """Write every mapping and list in block style (`key: value` lines, `- item` lines),
        and multi-line text as literal blocks."""
        stack = [self.data]
        while stack:
            node = stack.pop()
            if isinstance(node, CommentedMap | CommentedSeq):
                if len(node):
                    node.fa.set_block_style()
                items = list(node.items()) if isinstance(node, CommentedMap) else enumerate(node)
                for key, value in items:
                    if (
                        isinstance(value, str)
                        and "\n" in value
                        and not isinstance(value, LiteralScalarString | FoldedScalarString)
                        and not _UNPRINTABLE.search(value)
                    ):
                        node[key] = LiteralScalarString(str(value))
                    else:
                        stack.append(value)

    def space_comments(self) -> None:
        """Put every end-of-line comment two spaces after its value (alignment dropped)."""
        stack = [self.data]
        while stack:
            node = stack.pop()
            if not isinstance(node, CommentedMap | CommentedSeq):
                continue
            keys = list(node) if isinstance(node, CommentedMap) else list(range(len(node)))
            for key in keys:
                lead, eol = get_comments(node, key)
                if eol is not None and eol.column:
                    set_comments(node, key, lead, EndComment(eol.text))
                stack.append(node[key])

    # --- internals -------------------------------------------------------------------------

    def _container(self, parts: Sequence[str], *, create: bool) -> Any:
        node = self.data
        for depth, part in enumerate(parts):
            if isinstance(node, CommentedSeq):
                node = node[_index(node, part, pointers.join(parts[: depth + 1]))]
                continue
            if not isinstance(node, CommentedMap):
                if create:
                    raise ValueError(f"{pointers.join(parts[:depth])} is not a mapping")
                return None
            if part not in node or node[part] is None:
                if not create:
                    return None
                if part in node:
                    node[part] = CommentedMap()
                else:
                    node.insert(self._position(node, parts[:depth], part), part, CommentedMap())
            node = node[part]
        if not isinstance(node, CommentedMap | CommentedSeq):
            if create:
                raise ValueError(f"{pointers.join(parts)} is not a mapping or a list")
            return None
        return node

    def _placer(self, parts: Sequence[str | int]) -> Callable[[CommentedMap, str], int]:
        """Where new keys go in the mappings under `parts` (while assigning a value there)."""
        start = [str(p) for p in parts]

        def place(mapping: CommentedMap, key: str) -> int:
            for found, node in _mappings(self.get(pointers.join(start)), list(start)):
                if node is mapping:
                    return self._position(mapping, [str(p) for p in found], key)
            return len(mapping)

        return place

    def _position(self, mapping: CommentedMap, parts: Sequence[str], key: str) -> int:
        """Where `key` goes in `mapping`: right after the present key that comes closest
        before it in canonical order (else right before the closest one after it); at the
        end when the key has no canonical place."""
        wanted = list(_order_for(self.order, parts) or ())
        keys = list(mapping)
        if key not in wanted:
            return len(keys)
        rank = {name: number for number, name in enumerate(wanted)}
        mine = rank[key]
        ranked = [(rank[k], position) for position, k in enumerate(keys) if k in rank]
        before = [pair for pair in ranked if pair[0] < mine]
        if before:
            return max(before)[1] + 1
        after = [pair for pair in ranked if pair[0] > mine]
        return min(after)[1] if after else len(keys)


def _index(items: CommentedSeq, part: str | int, pointer: str, *, allow_end: bool = False) -> int:
    if isinstance(part, int):
        index = part
    elif part == "-" and allow_end:
        index = len(items)
    elif part.isascii() and part.isdigit():
        index = int(part)
    else:
        raise ValueError(f"{pointer}: {part!r} is not a list index")
    if index > len(items) or (index == len(items) and not allow_end):
        raise ValueError(f"{pointer}: there is no item {index}")
    return index


def _order_for(order: KeyOrder, parts: Sequence[str | int]) -> Sequence[str] | None:
    pattern = pointers.pattern(parts)
    found = order.get(pattern)
    if found is None and parts:
        # a mapping under a key matched by patternProperties
        found = order.get(pointers.pattern([*parts[:-1], "*"]))
    return found


def _mappings(
    root: Any, start: list[str | int] | None = None
) -> Iterator[tuple[list[str | int], CommentedMap]]:
    stack: list[tuple[list[str | int], Any]] = [(list(start or []), root)]
    while stack:
        parts, node = stack.pop()
        if isinstance(node, CommentedMap):
            yield parts, node
            stack.extend(([*parts, str(k)], v) for k, v in node.items())
        elif isinstance(node, CommentedSeq):
            stack.extend(([*parts, i], v) for i, v in enumerate(node))


def _assign(
    container: Any, key: Any, value: Any, place: Callable[[CommentedMap, str], int]
) -> bool:
    """Set `container[key]` to `value`, keeping the old nodes (and their comments) wherever
    the data stays the same; new keys of a mapping go where `place` says. True when anything
    changed."""
    old = container[key]
    if plain(old) == plain(value) and type(plain(old)) is type(plain(value)):
        return False
    if isinstance(old, CommentedMap) and isinstance(value, Mapping):
        for name in [k for k in old if k not in value]:
            old.ca.items.pop(name, None)
            del old[name]
        for name, item in value.items():
            if name in old:
                _assign(old, name, item, place)
            else:
                old.insert(place(old, name), name, to_yaml(item))
        return True
    if isinstance(old, CommentedSeq) and isinstance(value, list | tuple):
        _assign_list(old, list(value))
        return True
    if isinstance(old, _BLOCK) and isinstance(value, str) and not isinstance(value, ScalarString):
        container[key] = type(old)(value) if "\n" in value else to_yaml(value)
        return True
    container[key] = to_yaml(value)
    return True


def _assign_list(old: CommentedSeq, new: list[Any]) -> None:
    """Make `old` hold `new`, reusing items (and their comments) that did not change."""
    previous = [(plain(item), item, get_comments(old, i)) for i, item in enumerate(old)]
    used: set[int] = set()
    items: list[Any] = []
    comments: list[tuple[list[str], EndComment | None]] = []
    for value in new:
        wanted = plain(value)
        match = next(
            (i for i, (data, _, _) in enumerate(previous) if i not in used and data == wanted),
            None,
        )
        if match is None:
            items.append(to_yaml(value))
            comments.append(([], None))
        else:
            used.add(match)
            items.append(previous[match][1])
            comments.append(previous[match][2])
    old.clear()
    old.ca.items.clear()
    old.extend(items)
    for index, (lead, eol) in enumerate(comments):
        if lead or eol:
            set_comments(old, index, lead, eol)


# --- loading and dumping ---------------------------------------------------------------------


def load(source: bytes | str, path: str = "<record>", order: KeyOrder | None = None) -> Document:
    """Open a record for editing. Raises UnreadableRecord for anything `validate` would refuse
    to read, or that the two YAML readers would not read the same way."""
    raw = source.encode("utf-8") if isinstance(source, str) else source
    try:
        strict, _ = yamlload.load(raw)
        text = yamlload.decode(raw)
    except yamlload.LoadError as exc:
        problem = exc.problem
        where = f"{path}:{problem.line}:{problem.column}" if problem.line else path
        raise UnreadableRecord(
            f"{where}: {problem.message}; the file was not changed",
            hint=problem.hint or f"fix it first (`ichinv validate {path}` shows the problem)",
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    yaml = _yaml()
    try:
        node = yaml.compose(text)
        data = yaml.constructor.construct_document(node)
    except Exception as exc:  # ruamel.yaml raises YAMLError, but also NotImplementedError…
        raise UnreadableRecord(
            f"{path} cannot be opened for editing: {str(exc).splitlines()[0]}",
            hint="simplify the unusual YAML in it; `ichinv validate` reads it, the writer does not",
        ) from None
    if not isinstance(data, CommentedMap) or plain(data) != strict:
        raise UnreadableRecord(
            f"{path} is read differently by ichinv's two YAML readers, so it cannot be "
            "rewritten safely; the file was not changed",
            hint="write unusual values (escapes, special characters, odd line breaks) in a "
            "plainer way and run the command again",
        )
    head, tail = _extract_comments(text, node, data)
    return Document(data=data, head=head, tail=tail, path=path, order=order or {})


def new(
    data: Mapping[str, Any],
    *,
    head: Sequence[str] = (),
    order: KeyOrder | None = None,
    path: str = "<record>",
) -> Document:
    """A document for a record that has no file yet (keys in canonical order)."""
    document = Document(data=to_yaml(dict(data)), head=list(head), path=path, order=order or {})
    document.reorder()
    return document


def dump(document: Document) -> str:
    """The record as text in the inventory's style. Raises UnsafeWrite when the text would
    not read back as exactly the document's data."""
    _settle(document.data, 0)
    if document.data and not any(line.strip() for line in document.head):
        # Nothing above the first field: the file starts with it or its comments, not blanks.
        first = next(iter(document.data))
        lead, eol = get_comments(document.data, first)
        while lead and not lead[0]:
            lead.pop(0)
        set_comments(document.data, first, lead, eol)
    stream = io.StringIO()
    _yaml().dump(document.data, stream)
    body = stream.getvalue()
    head = [line.rstrip() for line in document.head]
    tail = [line.rstrip() for line in document.tail]
    while tail and not tail[-1]:
        tail.pop()
    text = "".join(line + "\n" for line in head) + body + "".join(line + "\n" for line in tail)
    try:
        reread, _ = yamlload.load(text.encode("utf-8"))
    except yamlload.LoadError as exc:
        raise UnsafeWrite(
            f"{document.path}: the rewritten record would not be readable ({exc.problem.message}); "
            "the file was not changed",
            hint="this is a bug in ichinv; please report it with the record",
        ) from None
    if reread != document.plain():
        raise UnsafeWrite(
            f"{document.path}: rewriting the record would change its data; the file was not "
            "changed",
            hint="this is a bug in ichinv; please report it with the record",
        )
    return text


def _settle(node: Any, column: int) -> list[str]:
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
            inner = _settle(value, column + INDENT)
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
                    and not isinstance(first_value, CommentedMap | CommentedSeq | _BLOCK)
                ):
                    first_eol, eol = eol, None
                set_comments(value, first, [], first_eol)
                if eol is not None:
                    lead.append(eol.text)
                    eol = None
        elif isinstance(value, _BLOCK) and eol is not None:
            lead.append(eol.text)
            eol = None
        set_comments(node, key, [_indent(line, column) for line in lead], eol)
    return []


def _indent(line: str, column: int) -> str:
    stripped = line.strip()
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


# --- conveniences for whole files --------------------------------------------------------------


def schema_head(kind: str) -> list[str]:
    """The head every new record starts with."""
    return [SCHEMA_COMMENT.format(kind=kind)]


def tidy(source: bytes | str, order: KeyOrder, path: str = "<record>") -> str:
    """The record in canonical form: keys in `order`, block style, the inventory's style,
    end-of-line comments two spaces after their value, every comment kept with its field
    (what `ichinv fmt` writes)."""
    document = load(source, path, order)
    document.block_style()
    document.reorder()
    document.space_comments()
    return dump(document)


def dump_new(data: Mapping[str, Any], kind: Any, settings: Any) -> str:
    """The text of a new record of `kind` (a RecordKind) holding `data`, in canonical order."""
    order = _schema_order(settings, kind)
    return dump(new(data, head=schema_head(str(kind.value)), order=order))


def edit(text: str, edits: Iterable[tuple[Sequence[str], Any]], settings: Any) -> str:
    """`text` (an element record) with each (path of keys, value) set, or removed when the
    value is None; everything else (comments, order, quoting) stays as it was."""
    from ichinv.core.model import RecordKind

    document = load(text, order=_schema_order(settings, RecordKind.ELEMENT))
    for path, value in edits:
        pointer = pointers.join(path)
        if value is None:
            document.delete(pointer)
            _prune_empty(document, list(path[:-1]))
        else:
            document.set(pointer, value)
    return dump(document)


def _prune_empty(document: Document, parts: list[str]) -> None:
    while parts:
        value = document.get(pointers.join(parts))
        if not isinstance(value, CommentedMap) or len(value):
            return
        document.delete(pointers.join(parts))
        parts = parts[:-1]


def _schema_order(settings: Any, kind: Any) -> KeyOrder:
    from ichinv.schemas import loader as schemas

    return schemas.load_schema(kind, settings.schema_file(kind), check=False).property_order
