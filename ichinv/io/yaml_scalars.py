"""Plain scalars typed as YAML 1.2's core schema resolves them, exactly as ruamel.yaml does
(`no` stays text, `010` is 10, `1_000` is 1000), with dates kept as text; tagged scalars
checked against their tag. Numbers are finite and of sane length."""

from __future__ import annotations

import re
from typing import Any

from ichinv.core.i18n import _
from ichinv.core.vocabulary import MAX_INT_DIGITS

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+")
_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
    r"|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN)"
)
_NUMBER_START = frozenset("-+0123456789.")

_CORE = "tag:yaml.org,2002:"
_STR, _INT_TAG, _FLOAT_TAG = _CORE + "str", _CORE + "int", _CORE + "float"
_BOOL_TAG, _NULL_TAG = _CORE + "bool", _CORE + "null"
MAP_TAGS = frozenset({None, "!", _CORE + "map"})
SEQ_TAGS = frozenset({None, "!", _CORE + "seq"})


class BadScalar(Exception):
    """A scalar that cannot become a value; converted to a LoadProblem with its mark."""


def _to_int(text: str) -> int:
    digits = text.replace("_", "")
    sign = -1 if digits[:1] == "-" else 1
    if digits[:1] in "+-":
        digits = digits[1:]
    base = _BASES.get(digits[:2], 10)
    body = digits if base == 10 else digits[2:]
    if not body:  # `+`, or `0x_`: a number to ruamel.yaml's resolver, but no digits
        raise BadScalar(_("this value is not a number"))
    if len(digits) > MAX_INT_DIGITS:
        raise BadScalar(_("this number has more than {limit} digits").format(limit=MAX_INT_DIGITS))
    return sign * int(body, base)


_BASES = {"0b": 2, "0x": 16, "0o": 8}
"""The prefixes of integers in other bases than ten."""


def _to_float(text: str) -> float:
    try:
        value = float(text.replace("_", "").lower().replace(".inf", "inf").replace(".nan", "nan"))
    except ValueError:  # `._`: a float to ruamel.yaml's resolver, but no number (it fails too)
        raise BadScalar(_("this value is not a number")) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise BadScalar(_("this value is not a finite number; records hold only finite numbers"))
    return value


def plain_value(text: str) -> Any:
    """Type of an untagged plain scalar under YAML 1.2 (ruamel.yaml's resolver)."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text[0] in _NUMBER_START:
        if _INT.fullmatch(text):
            return _to_int(text)
        if _FLOAT.fullmatch(text):
            return _to_float(text)
    return text


def tagged_value(tag: str, text: str) -> Any:
    if tag == _STR or tag == "!":
        return text
    if tag == _INT_TAG:
        if _INT.fullmatch(text):
            return _to_int(text)
        raise BadScalar(_("this value is tagged !!int but is not an integer"))
    if tag == _FLOAT_TAG:
        if _FLOAT.fullmatch(text) or _INT.fullmatch(text):
            return _to_float(text)
        raise BadScalar(_("this value is tagged !!float but is not a number"))
    if tag == _BOOL_TAG:
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise BadScalar(_("this value is tagged !!bool but is not true or false"))
    if tag == _NULL_TAG:
        if text in _NULLS:
            return None
        raise BadScalar(_("this value is tagged !!null but is not empty"))
    raise UnknownTag(tag)


class UnknownTag(Exception):
    def __init__(self, tag: str) -> None:
        self.tag = tag


def describe_tag(tag: str) -> str | None:
    """The tag as a message may quote it (`!!binary`, `!python/object`); None for one that
    may be data (`!a.person@example.org`): nothing of a file that cannot be read is quoted
    unless it reads as YAML's own words."""
    shown = "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag
    return shown if _TAG_WORDS.fullmatch(shown) else None


_TAG_WORDS = re.compile(r"!{1,2}[a-z]{1,20}(?:[/:][a-z]{1,20}){0,3}")
