"""The round-trip YAML editor of record files: comments and formatting kept (ruamel.yaml's only
home).

Every command that changes a record goes through here: `load` reads the file (first with the
strict reader, so a writer never handles a file `validate` would refuse), the command edits
the `Document` (pointer-based `get`/`set`/`delete`/`rename`/`append`, and `move` to another
file; keys inserted in canonical order), and `dump` writes it back in the inventory's style and refuses a write that
would change any value it was not asked to change. `comments` models where comments belong,
`style` is the ruamel.yaml configuration, `nodes` assigns values keeping what stays the same,
`refusals` says why a record is left as it is.
"""

from __future__ import annotations

from ichinv.io.editor.comments import comment_lines
from ichinv.io.editor.document import (
    SCHEMA_COMMENT,
    Document,
    dump,
    dump_new,
    edit,
    load,
    new,
    schema_head,
    tidy,
)
from ichinv.io.editor.moves import move
from ichinv.io.editor.nodes import KeyOrder, ListKeys, pair_items
from ichinv.io.editor.refusals import UnreadableRecord, UnsafeWrite
from ichinv.io.editor.style import needs_quotes, plain, to_yaml

__all__ = [
    "SCHEMA_COMMENT",
    "Document",
    "KeyOrder",
    "ListKeys",
    "UnreadableRecord",
    "UnsafeWrite",
    "comment_lines",
    "dump",
    "dump_new",
    "edit",
    "load",
    "move",
    "needs_quotes",
    "new",
    "pair_items",
    "plain",
    "schema_head",
    "tidy",
    "to_yaml",
]
