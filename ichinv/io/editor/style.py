"""The inventory's YAML style for ruamel.yaml (the only ruamel.yaml configuration), and values
between plain data and ruamel.yaml's round-trip types.

Block style, 2-space indentation with sequences indented under their key (`  - item`), no line
folding, UTF-8 without escapes, LF; YAML 1.2 core schema without timestamps, so `2025-05-14`
stays the text `2025-05-14`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarint import ScalarInt
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    ScalarString,
)
from ruamel.yaml.scanner import RoundTripScanner

INDENT = 2
"""Spaces per level of mapping; list dashes sit INDENT spaces under their key."""

WIDTH = 1_000_000
"""Line width given to the emitter: wide enough that no text is ever folded."""

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"
BLOCK = (LiteralScalarString, FoldedScalarString)
"""The types of multi-line text written as a literal or folded block."""


class _Resolver(VersionedResolver):
    """YAML 1.2 core schema without timestamps: `2025-05-14` stays the text `2025-05-14`."""

    def add_version_implicit_resolver(
        self, version: Any, tag: Any, regexp: Any, first: Any
    ) -> None:
        if tag == _TIMESTAMP:
            return
        super().add_version_implicit_resolver(version, tag, regexp, first)


class _Scanner(RoundTripScanner):
    """The round-trip scanner, without comment tokens.

    The editor reads comments from the text itself (`comments.extract`) and clears whatever
    ruamel.yaml attached, so comment tokens would only cost time: ruamel.yaml joins a run of
    comment lines after a value by repeated string concatenation, which is quadratic in the
    length of the run (a record with 500,000 comment lines in a row took minutes to open).
    Scanning is otherwise unchanged (folded scalars keep their line breaks, blank lines and
    comments still end plain scalars and simple keys)."""

    def fetch_comment(self, comment: Any) -> None:
        return None


def make_yaml() -> YAML:
    """A round-trip reader/writer configured with the inventory's style (reading it gives
    no comments: see `_Scanner`)."""
    yaml = YAML(typ="rt", pure=True)
    yaml.Resolver = _Resolver
    yaml.Scanner = _Scanner
    yaml.indent(mapping=INDENT, sequence=2 * INDENT, offset=INDENT)
    yaml.width = WIDTH
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    yaml.line_break = "\n"  # type: ignore[assignment]
    yaml.allow_duplicate_keys = False
    return yaml


_RESOLVER = _Resolver()

_TYPED_FIRST: frozenset[str] | None = (
    None if None in _RESOLVER.versioned_resolver else frozenset(_RESOLVER.versioned_resolver)
)
"""First characters of the plain texts ruamel.yaml may read as another type (it looks a text
up by its first character); None when some type may start with any."""


def needs_quotes(text: str) -> bool:
    """True when `text`, written plain, would be read as something other than text."""
    if text and _TYPED_FIRST is not None and text[0] not in _TYPED_FIRST:
        return False
    tag = _RESOLVER.resolve(ScalarNode, text, (True, False))
    return str(getattr(tag, "value", tag)) != _STR


# --- values ------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """`value` as plain data (dict, list, str, int, float, bool, None), as the strict reader (ichinv.io.strict_yaml) gives it."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, ScalarBoolean):
        return bool(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, ScalarInt):
        return int(value)
    if isinstance(value, ScalarFloat):
        return float(value)
    if isinstance(value, ScalarString):
        return str(value)
    return value


_ESCAPED = frozenset("\u2028\u2029\x85")
"""Characters some readers take for line breaks (YAML 1.1) and the strict reader refuses raw:
a text holding one is written double-quoted, where they are escapes."""


def to_yaml(value: Any) -> Any:
    """Plain data as round-trip values in the inventory's style: mappings and lists in block
    style, multi-line text as a literal block, text that would read as a number, a date-less
    boolean or null in double quotes."""
    if isinstance(value, CommentedMap | CommentedSeq | ScalarString):
        return value
    if isinstance(value, Mapping):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[str(key)] = to_yaml(item)
        return mapping
    if isinstance(value, list | tuple):
        return CommentedSeq(to_yaml(item) for item in value)
    if isinstance(value, str):
        if any(c in _ESCAPED for c in value):
            return DoubleQuotedScalarString(value)  # written as \L, \P, \N
        if "\n" in value:
            return LiteralScalarString(value)
        if needs_quotes(value):
            return DoubleQuotedScalarString(value)
    return value
