"""What a command keeps while it runs and forgets when it ends: answers that cannot change
before it ends, asked for by several of its parts.

Where the git repository of an inventory begins, and which commit a revision names, do not
change while a command runs: ichinv never writes to git. A command asked git for them again
and again (a packet opened the repository twice and resolved `HEAD` three times, each a git
process of a few milliseconds). The command line enters `scope` around each command; outside
one (the library called by a program of its own) nothing is kept, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

_KEPT: dict[Hashable, Any] | None = None
"""What the running command keeps, by key; None outside a command."""


@contextmanager
def scope() -> Iterator[None]:
    """A command: what `kept` makes inside is kept until it ends, and forgotten then."""
    global _KEPT
    outer, _KEPT = _KEPT, {}
    try:
        yield
    finally:
        _KEPT = outer


def kept(key: Hashable, make: Callable[[], T]) -> T:
    """What `make()` gives, made once in a command for `key` (what raises is not kept, and is
    raised again by the next call); made afresh each time outside a command."""
    if _KEPT is None:
        return make()
    try:
        found: T = _KEPT[key]
    except KeyError:
        found = _KEPT[key] = make()
    return found
