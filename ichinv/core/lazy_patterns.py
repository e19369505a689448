"""Regular expressions compiled when first used.

The patterns that find contacts (ichinv.core.contacts and the modules it reads with) take
~60 ms to compile: more than half of `ichinv --help` once, and a fifth of a warm `validate`,
which checks no record and uses none of them. Defined with `lazy`, a pattern is compiled the
first time one of its methods is looked up; from then on its methods are the compiled
pattern's own (a slot holds each: no lookup on the way).
"""

from __future__ import annotations

import re
from typing import Any, cast

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class _Lazy:
    __slots__ = ("_source", "_flags", "pattern", "flags", *_METHODS)

    def __init__(self, source: str, flags: int) -> None:
        self._source = source
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        """Called only while the slot `name` is empty: before the first use."""
        if name.startswith("_"):
            raise AttributeError(name)
        compiled = re.compile(self._source, self._flags)
        for attribute in ("pattern", "flags", *_METHODS):
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._source!r})"


def lazy(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, compiled when first used (its methods and `pattern`,
    `flags` only: not for `isinstance` or as a key)."""
    return cast(re.Pattern[str], _Lazy(source, flags))
