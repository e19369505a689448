"""A submission's answers as the fields of a record, and a record's fields as answers.

Walks the form (ichinv.exchange.form_spec) alongside the answers: a group fills a group of the
record, each instance of a repeat an entry of its list, each answer its field, converted by the
question's type (a multiple choice becomes a list, a whole number a number, a geopoint the
coordinates). What cannot be converted stays as it was answered, so that validation names it;
an answer that is a file becomes an attachment to copy. `answers_of` is the inverse, for the
fields the form covers: what a phone would send for a record.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ichinv.core import pointers
from ichinv.exchange.form_spec import MEDIA, FormSpec, Kind, Node, Question, Section
from ichinv.exchange.odk_exports import AnswerPath
from ichinv.exchange.table import line_breaks_as_kept
from ichinv.io.yaml_scalars import MAX_INT_DIGITS

_DATE_TIME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})T")


@dataclass(frozen=True, slots=True)
class FileAnswer:
    """An answer that is a file: the attachment, and the record field it documents."""

    pointer: str
    name: str
    """The file name, as the submission gives it."""
    kind: Kind
    source: AnswerPath


@dataclass(frozen=True, slots=True)
class Unreadable:
    """An answer that could not be converted (kept out of the record)."""

    pointer: str
    value: str
    source: AnswerPath


@dataclass(frozen=True, slots=True)
class Mapped:
    """What the answers say about the record."""

    data: dict[str, Any]
    """The record's fields (plain data)."""
    sources: dict[str, AnswerPath]
    """Record pointer → the answer (or repeat instance) it came from."""
    files: tuple[FileAnswer, ...]
    unreadable: tuple[Unreadable, ...]
    language: str | None
    """The language the team answered in (`form_language`), if given."""


def record_fields(spec: FormSpec, answers: Mapping[str, Any]) -> Mapped:
    """The record fields `answers` fill."""
    walker = _ToRecord()
    data = walker.section(spec.children, answers, "", ())
    language = answers.get("form_language")
    return Mapped(
        data,
        walker.sources,
        tuple(walker.files),
        tuple(walker.unreadable),
        language.strip() if isinstance(language, str) and language.strip() else None,
    )


class _ToRecord:
    def __init__(self) -> None:
        self.sources: dict[str, AnswerPath] = {}
        self.files: list[FileAnswer] = []
        self.unreadable: list[Unreadable] = []

    def section(
        self,
        children: tuple[Node, ...],
        answers: Mapping[str, Any],
        pointer: str,
        source: AnswerPath,
    ) -> dict[str, Any]:
        """The fields of the group (or list entry) at `pointer` from its answers."""
        out: dict[str, Any] = {}
        for node in children:
            value = answers.get(node.name) if isinstance(answers, Mapping) else None
            if value is None:
                continue
            here = (*source, node.name)
            key = _key(node)
            target = f"{pointer}/{pointers.escape(key)}"
            if isinstance(node, Section) and node.repeat:
                entries = self.entries(node, value, target, here)
                if entries:
                    out[key] = entries
                    self.sources.setdefault(target, here)
            elif isinstance(node, Section):
                group = self.section(node.children, value, target, here)
                if group:
                    out[key] = group
                    self.sources.setdefault(target, here)
            elif node.field:
                converted = self.answer(node, value, target, here)
                if converted is not None:
                    out[key] = converted
                    self.sources[target] = here
        return out

    def entries(
        self, node: Section, value: Any, pointer: str, source: AnswerPath
    ) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        for index, item in enumerate(value if isinstance(value, list) else []):
            files = len(self.files)
            entry = self.section(node.children, item, f"{pointer}/{len(entries)}", (*source, index))
            if entry or len(self.files) > files:  # an entry holding only a file is kept
                self.sources[f"{pointer}/{len(entries)}"] = (*source, index)
                entries.append(entry)
        return entries

    def answer(self, q: Question, value: Any, pointer: str, source: AnswerPath) -> Any:
        converted = self._converted(q, value, pointer, source)
        if converted is _TOO_LARGE or _too_large(converted):
            # A number no record can hold (1e308 as a year, 1e999 read as infinity): the
            # answer is left out and said so, as an unreadable answer (never quoted).
            shown = value if isinstance(value, str) else ""
            self.unreadable.append(Unreadable(pointer, shown, source))
            return None
        return converted

    def _converted(self, q: Question, value: Any, pointer: str, source: AnswerPath) -> Any:
        # A multi-line answer typed on Windows or in Enketo ends its lines with CRLF: the
        # record keeps LF (CRLF stopped the whole import, an outside review found).
        text = line_breaks_as_kept(value) if isinstance(value, str) else None
        if q.kind in MEDIA:
            name = str(value).strip()
            if name:
                self.files.append(FileAnswer(pointer, name, q.kind, source))
            return None
        if q.kind is Kind.SELECT_MULTIPLE:
            items = value if isinstance(value, list) else str(value).split()
            return list(dict.fromkeys(str(v) for v in items)) or None
        if q.kind in (Kind.INTEGER, Kind.CALCULATE) and q.schema.get("type") == "integer":
            return _integer(value)
        if q.kind is Kind.GEOPOINT:
            point = _point(str(value))
            if point is None:
                self.unreadable.append(Unreadable(pointer, str(value), source))
            return point
        if q.kind is Kind.DATE and text is not None:
            text = text.strip()
            found = _DATE_TIME.match(text)
            return found.group(1) if found else text or None
        if text is None:
            return (
                value
                if isinstance(value, int | float) and not isinstance(value, bool)
                else str(value)
            )
        return text.strip() or None


def _key(node: Node) -> str:
    """The record key a node fills (the last part of its field's pattern)."""
    return node.field.rsplit("/", 1)[-1] if node.field else node.name


_TOO_LARGE = object()
"""What `_integer` gives for whole-number text longer than a record may hold."""


def _too_large(value: Any) -> bool:
    """Whether `value` is a number no record can hold: infinite, or of more digits than a
    record's reader takes (ichinv.io.yaml_scalars.MAX_INT_DIGITS)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) >= 10**MAX_INT_DIGITS
    if isinstance(value, float):
        return not math.isfinite(value)
    return False


def _integer(value: Any) -> Any:
    """A whole number, or the answer as it was (validation says it is no whole number);
    `_TOO_LARGE` for text of more digits than a record holds (never turned into an int:
    Python refuses text of more than 4,300 digits)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    found = re.fullmatch(r"[+-]?0*([0-9]+)(\.0*)?", text)
    if found:
        if len(found.group(1)) > MAX_INT_DIGITS:
            return _TOO_LARGE
        return int(float(text)) if "." in text else int(text)
    return text or None


def _point(text: str) -> dict[str, float] | None:
    """Coordinates from an ODK geopoint (`lat lon altitude accuracy`)."""
    parts = text.split()
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        return None
    if len(numbers) < 2 or any(n != n or n in (float("inf"), float("-inf")) for n in numbers):
        return None
    point = {"latitude": numbers[0], "longitude": numbers[1]}
    if len(numbers) >= 4:
        point["accuracy"] = numbers[3]
    return point


# --- the other way: a record as the answers a phone would send --------------------------------


def answers_of(spec: FormSpec, record: Mapping[str, Any], language: str = "en") -> dict[str, Any]:
    """The answers a phone would send for the fields of `record` the form covers (files and
    fields outside the form left out)."""
    answers = _to_answers(spec.children, record)
    answers["form_language"] = language
    return answers


def _to_answers(children: tuple[Node, ...], data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for node in children:
        if not node.field:
            continue
        value = data.get(_key(node)) if isinstance(data, Mapping) else None
        if value is None:
            continue
        if isinstance(node, Section) and node.repeat:
            out[node.name] = [_to_answers(node.children, item) for item in value]
        elif isinstance(node, Section):
            out[node.name] = _to_answers(node.children, value)
        elif node.kind in MEDIA:
            continue
        elif node.kind is Kind.SELECT_MULTIPLE:
            out[node.name] = " ".join(value)
        elif node.kind is Kind.GEOPOINT:
            out[node.name] = " ".join(
                _number(value.get(k, 0.0)) for k in ("latitude", "longitude")
            ) + (f" 0 {_number(value['accuracy'])}" if "accuracy" in value else "")
        else:
            out[node.name] = str(value)
    return out


def _number(value: Any) -> str:
    return repr(float(value))
