"""The JSON of `ichinv diff` and `diff-2013` (SPEC's shape), whole or written an element at
a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ichinv.core import jsontext
from ichinv.core.model import Change, DiffResult, ElementDiff
from ichinv.render.findings.json import finding_json
from ichinv.render.plain import dumps

__all__ = ["change_json", "diff_json", "element_json", "render_json", "write_json"]


def change_json(change: Change) -> dict[str, Any]:
    """SPEC shape {"pointer", "kind", "old", "new"}, plus remapped/words/withheld/old_withheld/
    new_withheld when set."""
    document: dict[str, Any] = {
        "pointer": change.pointer,
        "kind": change.kind.value,
        "old": change.old,
        "new": change.new,
    }
    if change.remapped:
        document["remapped"] = True
    if change.words:
        document["words"] = [list(w) for w in change.words]
    if change.withheld:
        document["withheld"] = True
    if change.old_withheld:
        document["old_withheld"] = change.old_withheld
    if change.new_withheld:
        document["new_withheld"] = change.new_withheld
    return document


def element_json(element: ElementDiff, *, stat: bool = False) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": element.id,
        "status": element.status.value,
        "now": element.now,
        "path": element.path,
        "changes": [change_json(c) for c in element.changes],
    }
    if element.old_path:
        document["old_path"] = element.old_path
    if element.name:
        document["name"] = element.name
    if element.provinces:
        document["provinces"] = list(element.provinces)
    if element.domains:
        document["domains"] = list(element.domains)
    if element.problems:
        document["problems"] = [finding_json(p) for p in element.problems]
    return document


def diff_json(result: DiffResult, *, stat: bool = False) -> dict[str, Any]:
    document = _diff_head(result)
    if not stat:
        document["elements"] = [element_json(e) for e in result.elements]
    document["problems"] = [finding_json(p) for p in result.problems]
    return document


def write_json(result: DiffResult, write: Callable[[str], object], *, stat: bool = False) -> None:
    """What `render_json` gives, written an element at a time: a diff of 100,000 elements
    never holds its 50 MB of JSON, nor the document it is made from."""
    if stat:
        write(render_json(result, stat=True))
        return
    document = _diff_head(result)
    document["elements"] = None
    document["problems"] = [finding_json(p) for p in result.problems]
    elements = (element_json(e) for e in result.elements)
    jsontext.write_streamed(document, "elements", elements, write)


def _diff_head(result: DiffResult) -> dict[str, Any]:
    return {
        "baseline": {
            "rev": result.baseline_rev,
            "commit": result.baseline_commit,
            "name": result.baseline_name,
            "label": result.baseline_label or None,
        },
        "against": result.against,
        "summary": result.summary(),
    }


def render_json(result: DiffResult, *, stat: bool = False) -> str:
    return dumps(diff_json(result, stat=stat))
