"""The round-trip editor's cost stays linear in the size of a record, and records far beyond
any real one are refused up front (a refusal is fine, minutes of work are not).

Times are measured against a generous bound (slow CI machines pass easily): before the fixes
these records took minutes or did not finish; now each takes a second or two.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from ichinv.core.model import RecordKind
from ichinv.io import editor as yamlio
from ichinv.io import strict_yaml as yamlload
from ichinv.io.editor import limits
from ichinv.schemas import loader as schemas
from tests.support.helpers import REPO_ROOT

ORDER = schemas.load_schema(
    RecordKind.ELEMENT, REPO_ROOT / "schema" / "element.schema.json", check=False
).property_order

SECONDS = 60.0
"""Far above what any case here takes (about 2 s each on a loaded 2-core machine)."""

HEAD = """\
# yaml-language-server: $schema=../schema/element.schema.json
status: active
names:
  ru: Айтыс
  kk: Айтыс
id: KZ-2026-0001
"""


@contextmanager
def bounded(what: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    took = time.perf_counter() - start
    assert took < SECONDS, f"{what} took {took:.1f} s"


def many_keys_out_of_order(n: int) -> str:
    """Unknown keys at the top level in reverse order, canonical keys after them."""
    return "".join(f"k{i}: {i % 10}\n" for i in range(n, 0, -1)) + HEAD + "extra: 1\n"


def long_commented_list(n: int) -> str:
    items = "".join(f"  # before {i}\n  - item {i}  # after {i}\n" for i in range(n))
    return HEAD + "extra:\n" + items


def comment_run(n: int) -> str:
    """One long run of comment lines after a value: ruamel.yaml joined it quadratically."""
    return HEAD + "extra: 1\n" + "# a comment line\n" * n + "last: 2\n"


def deep_chains(n: int) -> str:
    """`n` chains nested 60 levels deep (the reader stops at 64)."""
    lines = [HEAD, "extra:\n"]
    for chain in range(n):
        lines.append(f"  c{chain}:\n")
        lines.extend("  " * depth + f"d{depth}:  # level {depth}\n" for depth in range(2, 61))
        lines.append("  " * 61 + "leaf: x\n")
    return "".join(lines)


SHAPES: dict[str, Callable[[], str]] = {
    # the record (1 MiB, 130,000 keys: 443 s), cut to the limit: about 2 s
    "many keys in one mapping": lambda: many_keys_out_of_order(limits.MAX_VALUES // 2 - 100),
    "a run of comment lines": lambda: comment_run(limits.MAX_LINES - 100),
    # half the limit keeps the suite quick; cost is linear, so the limit costs twice as much
    "a long list with comments": lambda: long_commented_list(limits.MAX_VALUES // 2),
    "deep nesting": lambda: deep_chains(limits.MAX_VALUES // 250),
}


@pytest.mark.slow  # about 10 s: .ci/run runs it with -m slow
@pytest.mark.parametrize("shape", SHAPES)
def test_records_just_within_the_limits_are_formatted_in_bounded_time(shape: str) -> None:
    text = SHAPES[shape]()
    with bounded(f"fmt of {shape}"):
        tidy = yamlio.tidy(text, ORDER, "elements/KZ-2026-0001.yaml")
    assert yamlload.load(tidy.encode())[0] == yamlload.load(text.encode())[0]
    assert tidy.count("#") == text.count("#")
    top_level = [line.split(":")[0] for line in tidy.splitlines() if line[:1] not in ("", " ", "#")]
    assert top_level[:3] == ["id", "names", "status"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            lambda: HEAD + "extra:\n" + "  - x\n" * limits.MAX_VALUES,
            f"keys, values and list items, more than the {limits.MAX_VALUES:,} the record writer",
        ),
        (
            lambda: HEAD + "# a comment\n" * limits.MAX_LINES,
            f"lines, more than the {limits.MAX_LINES:,} the record writer takes",
        ),
        (
            lambda: HEAD + "\n" * (10 * 1024 * 1024 - 200) + "last: 1\n",  # the 10 MiB cap
            f"lines, more than the {limits.MAX_LINES:,} the record writer takes",
        ),
    ],
    ids=["values", "comment lines", "10 MiB of blank lines"],
)
def test_records_far_beyond_any_real_one_are_refused_up_front(
    text: Callable[[], str], words: str
) -> None:
    with bounded("refusing a record"), pytest.raises(yamlio.UnreadableRecord) as refused:
        yamlio.load(text(), "elements/KZ-2026-0001.yaml", ORDER)
    message = refused.value.message
    assert message.startswith("elements/KZ-2026-0001.yaml is too large to rewrite: it has ")
    assert words in message
    assert message.endswith("; the file was not changed")
    assert "validate" in (refused.value.hint or "")


def test_setting_long_lists_and_large_mappings_takes_linear_time() -> None:
    """Reusing list items by value, placing new keys and appending them were quadratic."""
    n = limits.MAX_VALUES // 4  # ruamel.yaml renumbered all comments at each deletion: 25 s
    text = HEAD + "extra:\n" + "".join(f"  - item {i}  # c{i}\n" for i in range(n))
    document = yamlio.load(text, order=ORDER)
    with bounded("setting long values"):
        document.set("/extra", [f"item {i}" for i in reversed(range(n))] + ["new"])
        document.set("/more", {f"k{i}": i for i in range(n)})
        document.set("/consent", {**{f"x{i}": i for i in range(n)}, "status": "given"})
        written = yamlio.dump(document)
    assert f"  - item {n - 1}  # c{n - 1}\n  - item {n - 2}  # c{n - 2}\n" in written
    assert "consent:\n  status: given\n  x0: 0\n" in written


def test_editing_every_item_of_a_long_list_of_entries_takes_linear_time() -> None:
    """Each edited item is changed in place: the old item it is an edit of is found through
    the fields they share, never by comparing it with every other item."""
    n = limits.MAX_VALUES // 8
    text = (
        HEAD
        + "communities:\n"
        + "".join(f"  - name: n{i}  # c{i}\n    kind: group\n    role: bearers\n" for i in range(n))
    )
    document = yamlio.load(text, order=ORDER)
    edited = [{"name": f"n{i}", "kind": "group", "role": "keepers"} for i in range(n)]
    with bounded("editing every item"):
        document.set("/communities", edited)
        written = yamlio.dump(document)
    assert f"  - name: n{n - 1}  # c{n - 1}\n    kind: group\n    role: keepers\n" in written


def test_a_list_item_is_reused_only_for_an_equal_value_of_the_same_type() -> None:
    """`1` and `true` are equal in Python; the old item must not stand in for the new one."""
    document = yamlio.load(HEAD + "extra:\n  - 1  # one\n  - x\n", order=ORDER)
    document.set("/extra", [True, "x", 1])
    assert yamlio.dump(document).endswith("extra:\n  - true\n  - x\n  - 1  # one\n")
