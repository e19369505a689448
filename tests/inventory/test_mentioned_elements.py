"""The elements a record refers to are the values of the fields packets and the site show as
elements (with their names): a packet read for a focus reads exactly those (see
ichinv.inventory.focus), so a field added to one list and not to the other would print an
element's id without its name (an outside review)."""

from __future__ import annotations

from typing import Any

from ichinv.inventory.focus import mentioned_elements
from ichinv.render.markdown.sections import ELEMENT_REFS


def _placed(pattern: tuple[str, ...], value: str) -> Any:
    """A record holding `value` at `pattern` (`*`: one list item)."""
    if not pattern:
        return value
    head, rest = pattern[0], pattern[1:]
    inner = _placed(rest, value)
    return [inner] if head == "*" else {head: inner}


def test_every_field_shown_as_an_element_is_one_the_record_refers_to() -> None:
    for number, pattern in enumerate(sorted(ELEMENT_REFS)):
        eid = f"KZ-2030-{number:04d}"
        assert mentioned_elements(_placed(pattern, eid)) == {eid}, pattern
