"""ichinv.inventory.quick_read: the id and status lines read without parsing, never wrongly."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ichinv.core.model import Finding, RecordKind
from ichinv.inventory import record_files as records
from ichinv.inventory.quick_read import quick_id, quick_status
from ichinv.inventory.record_entries import facts_of
from tests.support.helpers import REPO_ROOT, examples, parse_calls


def parsed_facts(raw: bytes) -> tuple[Any, Any] | None:
    """What the record reader gives for `id` and `status` (None: the bytes do not parse)."""
    record = records.parse(RecordKind.ELEMENT, "", raw)
    if isinstance(record, Finding):
        return None
    return record[0].data.get("id"), record[0].data.get("status")


HEAD = "schema_version: 1\n"
TAIL = "domains: [oral-traditions]\nprovinces: [KZ-43]\n"

HIDDEN = {
    "a line of a double-quoted text": 'names:\n  en: "Register entry\n\n{line}\n\n    (see)"\n',
    "a line of a single-quoted text": "names:\n  en: 'Register entry\n{line}\n  ok'\n",
    "a line of a quoted text in a flow mapping": 'names: {{en: "a\n{line}\n"}}\n',
    "a line of a flow list": "domains2: [a,\n{line}\n]\n",
    "a line of a flow mapping": "other: {{a: b,\n{line}\n}}\n",
    "after a quoted text ending in an escaped break": 'note: "first \\\n{line}\n"\n',
    "after a tagged quoted text": 'note: !!str "x\n{line}\n"\n',
}
"""Places where a line of the first column is inside a text or a collection, not a key."""


@pytest.mark.parametrize("where", sorted(HIDDEN))
@pytest.mark.parametrize(
    ("line", "real"),
    [("id: KZ-2013-0777", "id: KZ-2013-0001"), ("status: retired", "status: active")],
)
def test_a_line_inside_a_text_before_the_real_one_is_not_read(
    where: str, line: str, real: str
) -> None:
    raw = (HEAD + HIDDEN[where].format(line=line) + real + "\n" + TAIL).encode()
    facts = parsed_facts(raw)
    assert facts is not None, f"{where}: the record reader refuses it"
    assert facts_of(raw) == facts
    if "id" in line:
        assert quick_id(raw) == "KZ-2013-0001"
    else:
        assert quick_status(raw) == "active"


def test_the_outside_review_s_records() -> None:
    """A quoted English name holding an `id:` or `status:` line, the real line after it (the
    review found `log` following the wrong element and diff's `now` saying retired)."""
    text = '{head}names:\n  en: "Register entry\n\n{line}\n\n    (see the 2017 list)"\n{rest}'
    first = text.format(head=HEAD, line="id: KZ-2013-0777", rest="id: KZ-2013-0001\n")
    third = text.format(head=HEAD, line="status: retired", rest="status: active\n")
    assert quick_id(first.encode()) == "KZ-2013-0001"
    assert quick_status(third.encode()) == "active"
    assert facts_of(third.encode())[1] == "active"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # a plain value continued on the next lines is not the id the line shows
        (b"id: KZ-2013-0001\n  more\nstatus: active\n", (None, "active")),
        (b"id: KZ-2013-0001\n\n  more\nstatus: active\n", (None, "active")),
        # a line break of a carriage return alone, then the value continued
        (b"id: KZ-2013-0001\n\r  more\nstatus: active\n", (None, "active")),
        # a comment after it ends the value: the line is taken at its word
        (b"id: KZ-2013-0001 # was KZ-2012-0001\nstatus: 'retired'\n", ("KZ-2013-0001", "retired")),
    ],
)
def test_a_value_is_read_whole(raw: bytes, expected: tuple[str | None, str | None]) -> None:
    assert facts_of(raw) == expected
    assert (quick_id(raw), quick_status(raw)) == expected


def test_closed_quotes_and_brackets_before_the_line_are_read_without_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = (
        "# it's a record\nschema_version: 1\nnames:\n  kk: 'Қыз''дың әні'\n"
        '  en: "The \\"girl\'s\\" song" # quoted\n  ru: Песня [девушки] {"x"}\n'
        "domains: [oral-traditions, performing-arts]\nother: {a: b}\ndescription:\n  en: |\n"
        "    A text that [opens\n    and {brackets\nid: KZ-2013-0001\nstatus: merged\n"
    ).encode()
    parsed = parse_calls(monkeypatch)
    assert facts_of(raw) == ("KZ-2013-0001", "merged")
    assert parsed == []


def test_the_repository_s_records_are_read_without_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted((REPO_ROOT / "elements").glob("*.yaml"))
    files += sorted((REPO_ROOT / "provinces").glob("*.yaml"))
    raws = [f.read_bytes() for f in files]
    expected = [parsed_facts(raw) for raw in raws]
    parsed = parse_calls(monkeypatch)
    found = [facts_of(raw) for raw in raws]
    assert parsed == []
    for path, (quick_found, facts) in zip(files, zip(found, expected, strict=True), strict=True):
        assert facts is not None
        assert quick_found == (facts[0], facts[1] if path.parent.name == "elements" else None)


SNIPPETS = [
    "names:\n  en: Plain\n",
    "names:\n  en: Plain text\n    continued [here\n",
    "names:\n  en: 'single'\n",
    "names:\n  en: 'it''s'\n",
    'names:\n  en: "double \\" quote"\n',
    'names:\n  en: "open\n',
    "names:\n  en: 'open\n",
    "names: [open,\n",
    "names: {open: x,\n",
    '"',
    "'",
    "]\n",
    "}\n",
    '"\n',
    "'\n",
    'description: |\n  id: KZ-2013-0999\n  "quoted\n',
    "description: >-\n  status: merged\n",
    "  id: KZ-2013-0888\n",
    "id: KZ-2013-0111\n",
    "id: 'KZ-2013-0222'\n",
    "status: retired\n",
    'status: "merged"\n',
    "status: active # checked\n",
    "  more\n",
    "\n",
    "\r",
    "# a comment with 'quote\n",
    "---\n",
    '--- "doc\n',
    "- item\n",
    "- 'item\n",
    "? key\n",
    "x: &a 1\n",
    "key: it's\n",
    "key: a: b\n",
    "k#x: 'a\n",
]


@settings(max_examples=examples(400, 4000), deadline=None)
@given(st.lists(st.sampled_from(SNIPPETS), max_size=12))
def test_never_a_wrong_answer(parts: list[str]) -> None:
    """Whatever comes before and after, the quick reading gives what the record reader
    gives, or nothing."""
    raw = "".join(parts).encode()
    facts = parsed_facts(raw)
    found = facts_of(raw)
    assert found == (quick_id(raw), quick_status(raw))
    if facts is not None:
        assert found[0] in (None, facts[0])
        assert found[1] in (None, facts[1])


@pytest.mark.parametrize(
    "hostile",
    [
        b"a: '" + b"''" * 200_000 + b"\nid: KZ-2013-0001\n",
        b'a: "' + b"\\x" * 200_000 + b"\nid: KZ-2013-0001\n",
        b"a: [" * 100_000 + b"\nid: KZ-2013-0001\n",
        b"- " * 200_000 + b"'\nid: KZ-2013-0001\n",
        b"a#" * 200_000 + b": '\nid: KZ-2013-0001\n",
        b"x:y" * 200_000 + b" '\nid: KZ-2013-0001\n",
        (b"k: 'v'\n" * 100_000) + b"'\nid: KZ-2013-0001\n",
        b"id: KZ-2013-0001\n" + b" \n" * 200_000,
    ],
)
def test_long_hostile_bytes_are_read_in_linear_time(
    hostile: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records, "parse", lambda *args, **kwargs: Finding("", "x", "x"))
    started = time.process_time()  # this process's time: a busy machine's is not counted
    facts_of(hostile)
    assert time.process_time() - started < 1.0
