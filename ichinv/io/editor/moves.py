"""Moving a field from one record file to another with its comments (`ichinv private split`)."""

from __future__ import annotations

from ruamel.yaml.comments import CommentedMap

from ichinv.core import pointers
from ichinv.io.editor.comments import get_comments
from ichinv.io.editor.document import Document, prune_empty


def move(source: Document, target: Document, pointer: str) -> bool:
    """Move the field at `pointer` from `source` to the same place in `target` (its parent
    mappings made there when missing), with its comments: the lines above it, the one at the
    end of its line and every comment inside its value. A mapping it leaves empty in `source`
    goes too. False when `source` has no field there."""
    parts = pointers.split(pointer)
    parent = source.get(pointers.join(parts[:-1])) if parts else None
    if not isinstance(parent, CommentedMap) or parts[-1] not in parent:
        return False
    value = parent[parts[-1]]
    lead, eol = get_comments(parent, parts[-1])
    source.delete(pointer)
    prune_empty(source, parts[:-1])
    target.set(
        pointer,
        value,
        comment=lead if any(line.strip() for line in lead) else None,
        eol=eol.text if eol is not None else None,
    )
    return True
