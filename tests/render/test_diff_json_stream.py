"""`diff --format json` is written an element at a time: the same bytes as the whole text."""

from __future__ import annotations

import io
import json

from ichinv.core.model import (
    Change,
    ChangeKind,
    DiffResult,
    ElementDiff,
    ElementStatus,
    Finding,
)
from ichinv.render import diff_json as diff_report


def result(elements: tuple[ElementDiff, ...]) -> DiffResult:
    return DiffResult(
        baseline_rev="inventory-2013",
        baseline_commit="a" * 40,
        against="working-tree",
        elements=elements,
        baseline_name="2013",
        problems=(Finding("elements/KZ-2013-0009.yaml", "yaml.syntax", "broken", line=3),),
    )


ELEMENTS = (
    ElementDiff(
        "KZ-2013-0001",
        ElementStatus.REVISED,
        "elements/KZ-2013-0001.yaml",
        (
            Change("/names/en", ChangeKind.CHANGED, "Aitys", "Aitys, improvised poetry"),
            Change(
                "/description",
                ChangeKind.CHANGED,
                "old text",
                "new text",
                words=(("-", "old"), ("+", "new"), ("=", " text")),
            ),
            Change("/domains/1", ChangeKind.ADDED, None, {"nested": ["\u202e", 1.5, True]}),
        ),
        name="Aitys",
        provinces=("KZ-23",),
        domains=("oral-traditions",),
        now="active",
    ),
    ElementDiff(
        "KZ-2013-0002", ElementStatus.UNCHANGED, "elements/KZ-2013-0002.yaml", now="active"
    ),
    ElementDiff("KZ-2013-0003", ElementStatus.REMOVED, "elements/KZ-2013-0003.yaml", now="absent"),
)


def streamed(diff: DiffResult, *, stat: bool = False) -> str:
    out = io.StringIO()
    diff_report.write_json(diff, out.write, stat=stat)
    return out.getvalue()


def test_streamed_json_is_byte_identical_to_the_whole_text() -> None:
    for elements in (ELEMENTS, ELEMENTS[:1], ()):
        diff = result(elements)
        assert streamed(diff) == diff_report.render_json(diff)
        assert streamed(diff, stat=True) == diff_report.render_json(diff, stat=True)


def test_streamed_json_keeps_the_spec_shape() -> None:
    document = json.loads(streamed(result(ELEMENTS)))
    assert list(document) == ["baseline", "against", "summary", "elements", "problems"]
    assert [e["status"] for e in document["elements"]] == ["revised", "unchanged", "removed"]
    assert document["summary"]["revised"] == 1 and document["summary"]["removed"] == 1
