"""A record opened for editing (`Document`), and loading and dumping it.

`dump` writes block style, 2-space indentation with sequences indented under their key
(`  - item`), literal `|` for multi-line text, no line folding, UTF-8 without escapes, LF, one
trailing newline; it re-reads its own output with the strict reader and refuses a write that
would change any value. Dates stay the text they were written as.
"""

from __future__ import annotations

import io
import re
import shlex
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from ichinv.core import pointers
from ichinv.core.i18n import _
from ichinv.io import strict_yaml as yamlload
from ichinv.io.editor import limits, refusals
from ichinv.io.editor.comments import (
    EndComment,
    comment_lines,
    extract,
    get_comments,
    set_comments,
    settle,
    unalign,
)
from ichinv.io.editor.kept_lines import kept_lines
from ichinv.io.editor.nodes import (
    KeyOrder,
    ListKeys,
    Places,
    assign,
    index_of,
    mappings,
    order_for,
    put,
)
from ichinv.io.editor.refusals import UnreadableRecord
from ichinv.io.editor.style import make_yaml, plain, to_yaml

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/{kind}.schema.json"
"""First line of every record: editors read it to show the schema's descriptions."""


_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
"""Characters a literal block cannot hold: such text keeps its escaped, quoted form."""


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
    list_keys: ListKeys = field(default_factory=dict)
    """The fields identifying the items of a list, by list pattern: an entry whose comments
    are kept when a list is set is the entry with the same ones (`nodes._edited_items`)."""
    source: bytes | None = None
    """The bytes it was read from (to locate a value a refusal names)."""

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
            index = index_of(parent, key, pointer, allow_end=True)
            if index == len(parent):
                parent.append(to_yaml(value))
                inserted = True
            else:
                changed = assign(parent, index, value, self._placer(parts[:-1] + [key]))
            key = index
        elif key in parent:
            changed = assign(parent, key, value, self._placer(parts))
        else:
            put(parent, self._position(parent, parts[:-1], key), key, to_yaml(value))
            inserted = True
        if inserted and isinstance(value, Mapping | list | tuple):
            self.reorder(pointers.join([*parts[:-1], key]))
        if changed and not inserted:
            unalign(parent, key)  # the line changed (a flow list, a value)
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

    def has_comments(self, pointer: str) -> bool:
        """Whether the field at `pointer` has a comment of its own (above it or after it)."""
        parts = pointers.split(pointer)
        parent = self._container(parts[:-1], create=False) if parts else None
        if not isinstance(parent, CommentedMap) or parts[-1] not in parent:
            return False
        lead, eol = get_comments(parent, parts[-1])
        return eol is not None or any(line.strip() for line in lead)

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
        put(parent, position, new_key, value)
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
        for parts, mapping in mappings(self.get(pointer), start):
            wanted = order_for(self.order, parts)
            if not wanted:
                continue
            current = list(mapping)
            rank = {key: number for number, key in enumerate(wanted)}
            # sorted() is stable: keys without a canonical place keep their order, at the end.
            target = sorted(current, key=lambda k: rank.get(k, len(rank)))
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
                node = node[index_of(node, part, pointers.join(parts[: depth + 1]))]
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
                    put(node, self._position(node, parts[:depth], part), part, CommentedMap())
            node = node[part]
        if not isinstance(node, CommentedMap | CommentedSeq):
            if create:
                raise ValueError(f"{pointers.join(parts)} is not a mapping or a list")
            return None
        return node

    def _placer(self, parts: Sequence[str | int]) -> Places:
        """Where new keys go, and what identifies list items, under `parts` (while assigning
        a value there)."""
        start = [str(p) for p in parts]
        return Places(self.get(pointers.join(start)), start, self._position, self.list_keys)

    def _position(self, mapping: CommentedMap, parts: Sequence[str], key: str) -> int:
        """Where `key` goes in `mapping`: right after the present key that comes closest
        before it in canonical order (else right before the closest one after it); at the
        end when the key has no canonical place."""
        wanted = list(order_for(self.order, parts) or ())
        if key not in wanted:
            return len(mapping)
        keys = list(mapping)
        rank = {name: number for number, name in enumerate(wanted)}
        mine = rank[key]
        ranked = [(rank[k], position) for position, k in enumerate(keys) if k in rank]
        before = [pair for pair in ranked if pair[0] < mine]
        if before:
            return max(before)[1] + 1
        after = [pair for pair in ranked if pair[0] > mine]
        return min(after)[1] if after else len(keys)


# --- loading and dumping ---------------------------------------------------------------------


def load(source: bytes | str, path: str = "<record>", order: KeyOrder | None = None) -> Document:
    """Open a record for editing. Raises UnreadableRecord for anything `validate` would refuse
    to read, or that the two YAML readers would not read the same way."""
    raw = source.encode("utf-8") if isinstance(source, str) else source
    try:
        strict, __ = yamlload.load(raw)
        text = yamlload.decode(raw)
    except yamlload.LoadError as exc:
        problem = exc.problem
        where = f"{path}:{problem.line}:{problem.column}" if problem.line else path
        raise UnreadableRecord(
            _("{where}: {message}; the file was not changed").format(
                where=where, message=problem.message
            ),
            hint=(
                problem.hint
                or _("fix it first (`ichinv validate {path}` shows the problem)").format(
                    path=shlex.quote(path)
                )
            ),
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    too_large = limits.excess(text, strict)
    if too_large is not None:
        raise UnreadableRecord(
            _("{path} is too large to rewrite: {reason}; the file was not changed").format(
                path=path, reason=too_large
            ),
            hint=_(
                "an ordinary record has a few hundred values and lines; split or shorten "
                "it by hand (`ichinv validate` still reads it)"
            ),
        )
    yaml = make_yaml()
    try:
        node = yaml.compose(text)
        data = yaml.constructor.construct_document(node)
    except Exception as exc:  # ruamel.yaml raises YAMLError, but also NotImplementedError…
        raise refusals.not_opened(path, text, exc) from None
    if not isinstance(data, CommentedMap) or plain(data) != strict:
        raise refusals.read_differently(path, raw, strict, plain(data))
    head, tail = extract(text, node, data)
    return Document(data=data, head=head, tail=tail, path=path, order=order or {}, source=raw)


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


def dump(document: Document, *, as_it_was: bool = True) -> str:
    """The record as text in the inventory's style; a record read from a file keeps each line
    the edit did not change as the file had it (`kept_lines`), unless not `as_it_was` (`fmt`).
    Raises UnsafeWrite when the text would not read back as exactly the document's data."""
    text = _written(document)
    try:
        reread, __ = yamlload.load(text.encode("utf-8"))
    except yamlload.LoadError as exc:
        # ruamel.yaml writes a block mapping after a flow one that carries a comment, in a
        # list, on one line (`- b: 2 c: 3`; an outside review found it): written again with
        # every mapping and list in block style and end-of-line comments two spaces after
        # their values, as `fmt` writes them.
        if not _in_blocks(document.data):
            raise refusals.unreadable_rewrite(document.path, exc.problem.message) from None
        document.space_comments()
        text = _written(document)
        try:
            reread, __ = yamlload.load(text.encode("utf-8"))
        except yamlload.LoadError as again:
            raise refusals.unreadable_rewrite(document.path, again.problem.message) from None
    intended = document.plain()
    if reread != intended:
        raise refusals.would_change(document.path, document.source, intended, reread)
    return kept_lines(document.source, text, intended) if as_it_was else text


def _written(document: Document) -> str:
    settle(document.data, 0)
    if document.data and not any(line.strip() for line in document.head):
        # Nothing above the first field: the file starts with it or its comments, not blanks.
        first = next(iter(document.data))
        lead, eol = get_comments(document.data, first)
        while lead and not lead[0]:
            lead.pop(0)
        set_comments(document.data, first, lead, eol)
    stream = io.StringIO()
    make_yaml().dump(document.data, stream)
    head = [line.rstrip() for line in document.head]
    tail = [line.rstrip() for line in document.tail]
    while tail and not tail[-1]:
        tail.pop()
    return (
        "".join(f"{line}\n" for line in head)
        + stream.getvalue()
        + "".join(f"{line}\n" for line in tail)
    )


def _in_blocks(data: Any) -> bool:
    """Put every mapping and list of `data` written in flow style (`{a: 1}`, `[x]`) in block
    style; whether there was one."""
    changed, stack = False, [data]
    while stack:
        node = stack.pop()
        if isinstance(node, CommentedMap | CommentedSeq):
            if len(node) and node.fa.flow_style():
                node.fa.set_block_style()
                changed = True
            stack.extend(node.values() if isinstance(node, CommentedMap) else node)
    return changed


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
    return dump(document, as_it_was=False)


def dump_new(data: Mapping[str, Any], kind: str, order: KeyOrder) -> str:
    """The text of a new record of `kind` (`element`, `province`) holding `data`, its keys in
    `order`."""
    return dump(new(data, head=schema_head(kind), order=order))


def edit(
    source: bytes | str,
    edits: Iterable[tuple[Sequence[str], Any]],
    order: KeyOrder,
    list_keys: ListKeys | None = None,
) -> str:
    """`source` (a record) with each (path of keys, value) set, or removed when the value is
    None; everything else (comments, order, quoting) stays as it was; new keys go where
    `order` puts them; an entry of a list keeps its comments only as the same entry (the one
    with the same identifying fields, `list_keys`)."""
    document = replace(load(source, order=order), list_keys=list_keys or {})
    for path, value in edits:
        pointer = pointers.join(path)
        if value is None:
            document.delete(pointer)
            prune_empty(document, list(path[:-1]))
        else:
            document.set(pointer, value)
    return dump(document)


def prune_empty(document: Document, parts: list[str]) -> None:
    """Remove the mapping at `parts` when it is empty, and so each one above it."""
    while parts:
        value = document.get(pointers.join(parts))
        if not isinstance(value, CommentedMap) or len(value):
            return
        document.delete(pointers.join(parts))
        parts = parts[:-1]
