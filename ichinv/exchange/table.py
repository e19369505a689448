"""The spreadsheet form of element records: one row per element, one column per field.

Columns follow the schema, in its order: a nested field gets a dotted name (`consent.status`,
`names.kk`, `description.en`); a list of simple values is one cell, items joined by `; `; a
list of records (communities, sources, contacts, …) is one cell of JSON. Every value can be
written and read back without loss; `decode(encode(v)) == v` is tested for every kind.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ichinv.core import dates, jsontext, pointers
from ichinv.core.contacts import may_be_contact
from ichinv.core.i18n import _
from ichinv.core.vocabulary import is_element_id
from ichinv.io.strict_yaml import MAX_DEPTH
from ichinv.schemas.loader import Schema

LANGS = ("kk", "ru", "en")
"""Languages that always get a column for a text kept by language."""

SEPARATOR = "; "
CELL_LIMIT = 32767
"""Longest text a spreadsheet cell holds: Excel keeps no more of a longer CSV cell when it
opens the file (and an xlsx export refuses one)."""
_LANG_KEY = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?$")
_DOTTED_DATE = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$")
_DIGITS = re.compile(r"^[0-9]{1,100}$")
_MIDNIGHT = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]00:00(:00)?$")
_FIELD_NAME = re.compile(
    r"^[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*(\.[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*)*$"
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV cell as a formula."""


class CellKind(StrEnum):
    """How a field is written in a cell."""

    TEXT = "text"
    DATE = "date"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    LIST = "list"
    """Simple values joined by `; ` (a JSON array when an item holds `;`)."""
    JSON = "json"
    """Anything else, as JSON."""


class Absent:
    """The value of an empty cell: the field is left out of the record."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = Absent()


class CellError(ValueError):
    """A cell that cannot be read as its column's kind; the message says why."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the table: the field it holds and how."""

    path: tuple[str, ...]
    kind: CellKind

    @property
    def name(self) -> str:
        return ".".join(self.path)

    @property
    def pointer(self) -> str:
        return "".join("/" + pointers.escape(p) for p in self.path)


# --- columns -----------------------------------------------------------------------------------


def columns(schema: Schema, records: Iterable[Mapping[str, Any]] = ()) -> list[Column]:
    """The columns for element records: every field of the schema, in schema order, plus any
    field the given records hold that the schema does not know (so nothing is lost)."""
    datas = list(records)
    found: list[Column] = []
    _object_columns(schema.inlined, (), datas, found)
    # The id comes first: it is what a row is matched by.
    return sorted(found, key=lambda c: c.path != ("id",))


def _object_columns(
    node: Mapping[str, Any],
    prefix: tuple[str, ...],
    datas: list[Mapping[str, Any]],
    found: list[Column],
) -> None:
    properties: Mapping[str, Any] = node.get("properties", {})
    patterns: Mapping[str, Any] = node.get("patternProperties", {})
    present: list[str] = []
    for data in datas:
        present.extend(k for k in data if k not in present)
    for key, sub in properties.items():
        _field_columns(sub, (*prefix, key), _children(datas, key), found)
    handled = set(properties)
    if patterns:
        # A text by language: the main languages always, then any other the records hold.
        pattern_sub = next(iter(patterns.values()))
        langs = [lang for lang in LANGS if lang not in properties]
        extra = sorted(k for k in present if k not in properties and k not in langs)
        for key in (*langs, *extra):
            if any(re.search(p, key) for p in patterns):
                _field_columns(pattern_sub, (*prefix, key), _children(datas, key), found)
                handled.add(key)
    found.extend(Column((*prefix, key), CellKind.JSON) for key in present if key not in handled)


def _children(datas: list[Mapping[str, Any]], key: str) -> list[Mapping[str, Any]]:
    return [d[key] for d in datas if isinstance(d.get(key), Mapping)]


def _field_columns(
    node: Mapping[str, Any],
    path: tuple[str, ...],
    datas: list[Mapping[str, Any]],
    found: list[Column],
) -> None:
    kind = node.get("type")
    if kind == "object" or "properties" in node or "patternProperties" in node:
        _object_columns(node, path, datas, found)
    elif kind == "array":
        items = node.get("items", {})
        simple = items.get("type") in ("string", "integer", "number") or "enum" in items
        found.append(Column(path, CellKind.LIST if simple else CellKind.JSON))
    elif kind == "integer":
        found.append(Column(path, CellKind.INTEGER))
    elif kind == "boolean":
        found.append(Column(path, CellKind.BOOLEAN))
    elif kind == "string" and node.get("format") == "date":
        found.append(Column(path, CellKind.DATE))
    elif kind == "string":
        found.append(Column(path, CellKind.TEXT))
    else:
        found.append(Column(path, CellKind.JSON))


def has_field_form(name: str) -> bool:
    """Whether a column name looks like a field's (`consent.status`, `names.kk-Latn`): only
    such a name is quoted in a message; any other text of a file (a contact written in the
    header, say) is not, nor one that may hold a phone number (`a12345678`)."""
    return len(name) <= 100 and bool(_FIELD_NAME.match(name)) and not may_be_contact(name)


def cell_place(
    header: Sequence[str], row: Sequence[str], number: int, index: int
) -> tuple[str, str]:
    """How a message names the cell at column `index` (from 1) of the row `number` (its line):
    the row by its id and the column by its name as far as they are of their form, else by
    their numbers (a committee export holds contacts, in any cell a hand may have written)."""
    shown = row[0] if row and is_element_id(row[0]) else _("row {number}").format(number=number)
    name = header[index - 1] if index <= len(header) else ""
    return shown, name if has_field_form(name) else str(index)


def resolve_header(header: list[str], known: list[Column], *, apart: int = -1) -> list[Column]:
    """The column of every header cell but the one at index `apart` (the checksum's, which is
    no field, though a second one is said to appear twice); a CellError naming the first
    unknown or repeated one by its place in the file's header."""
    by_name = {c.name: c for c in known}
    result: list[Column] = []
    seen: set[str] = {header[apart].strip()} if 0 <= apart < len(header) else set()
    for number, raw in enumerate(header, start=1):
        if number == apart + 1:
            continue
        name = raw.strip()
        if not has_field_form(name) and name not in by_name:
            raise CellError(
                _(
                    "column {number} is not a field of element records: its name is not of "
                    "the form of a field name"
                ).format(number=number)
            )
        if name in seen:
            raise CellError(
                _("column {number} ({name!r}) appears twice in the header").format(
                    number=number, name=name
                )
            )
        seen.add(name)
        column = by_name.get(name) or _language_column(name, known)
        if column is None:
            # Compared in small letters: `ID` is `id` typed in capitals.
            lowered = {known_name.lower(): known_name for known_name in by_name}
            close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.7)
            raise CellError(
                _(
                    "column {number} ({name!r}) is not a field of element records; did you mean "
                    "{guess!r}?"
                ).format(number=number, name=name, guess=lowered[close[0]])
                if close
                else _("column {number} ({name!r}) is not a field of element records").format(
                    number=number, name=name
                )
            )
        result.append(column)
    return result


def _language_column(name: str, known: list[Column]) -> Column | None:
    """`description.kk-Latn` and the like: a text by language in a language not yet present."""
    parent, __, lang = name.rpartition(".")
    if not parent or not _LANG_KEY.match(lang):
        return None
    siblings = [c for c in known if ".".join(c.path[:-1]) == parent and c.path[-1] in LANGS]
    return Column((*siblings[0].path[:-1], lang), siblings[0].kind) if siblings else None


# --- values ------------------------------------------------------------------------------------


def value_at(data: Mapping[str, Any], column: Column) -> Any:
    """The record's value for `column`, or ABSENT."""
    node: Any = data
    for part in column.path:
        if not isinstance(node, Mapping) or part not in node:
            return ABSENT
        node = node[part]
    return ABSENT if node is None else node


def encode(value: Any, column: Column) -> str:
    """The cell text for `value` (ABSENT → empty cell)."""
    if value is ABSENT or value is None:
        return ""
    kind = column.kind
    if kind in (CellKind.TEXT, CellKind.DATE) and isinstance(value, str):
        return value
    if kind is CellKind.INTEGER and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if kind is CellKind.BOOLEAN and isinstance(value, bool):
        return "true" if value else "false"
    if kind is CellKind.LIST and isinstance(value, list) and _joinable(value):
        return SEPARATOR.join(value)
    return _json(value)


def _joinable(items: list[Any]) -> bool:
    return (
        bool(items)
        and all(
            isinstance(i, str)
            and i
            and i == i.strip()
            and ";" not in i
            and "\n" not in i
            and not _quoted(i)
            for i in items
        )
        and not items[0].startswith("[")
    )


def _quoted(item: str) -> bool:
    """Whether an item of a list cell reads as a JSON text (`"felt"`): it is read as that text,
    without its quote marks (and an item that is one is exported as a JSON list)."""
    return len(item) >= 2 and item.startswith('"') and item.endswith('"')


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def line_breaks_as_kept(text: str) -> str:
    """Text typed elsewhere (a spreadsheet's cell, a field form's answer typed on Windows or
    in a browser) with its line breaks as a record keeps them: CRLF and CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(cell: str, column: Column) -> Any:
    """The value a cell holds (ABSENT when empty); CellError when it cannot be read."""
    text = line_breaks_as_kept(cell)
    if not text.strip():
        return ABSENT
    kind = column.kind
    if kind is CellKind.TEXT:
        return text
    if kind is CellKind.DATE:
        return _date(text.strip())
    if kind is CellKind.INTEGER:
        try:
            number = float(text.strip()) if "." in text else int(text.strip())
        except ValueError:
            raise CellError(_("the cell is not a whole number")) from None
        if isinstance(number, float):
            if not number.is_integer():
                raise CellError(_("the cell is not a whole number"))
            number = int(number)
        return number
    if kind is CellKind.BOOLEAN:
        word = text.strip().casefold()
        if word in ("true", "yes", "1"):
            return True
        if word in ("false", "no", "0"):
            return False
        raise CellError(_("the cell is not true or false"))
    if kind is CellKind.LIST and not text.lstrip().startswith("["):
        return _items(text)
    limit = MAX_DEPTH - len(column.path)
    try:
        value = jsontext.read(text)
    except jsontext.Unreadable as problem:
        too_deep = problem.failure is jsontext.Failure.DEPTH
        raise CellError(_too_deep(limit) if too_deep else problem.in_cell()) from None
    if kind is CellKind.LIST and not isinstance(value, list):
        raise CellError(_("a cell starting with '[' must be a JSON list"))
    if _deeper_than(value, limit):
        raise CellError(_too_deep(limit))
    return value


def _items(text: str) -> list[str]:
    """The items of a list cell that is no JSON list: values joined by `;`. A cell that is one
    JSON text (`"felt"`, what export writes for a list field holding a text instead of a
    list), or an item that is one, is read as that text: never with its quote marks."""
    whole = _json_text(text.strip())
    if whole is not None:
        return [whole] if whole.strip() else []
    items = []
    for part in text.split(";"):
        quoted = _json_text(part.strip())
        items.append(part.strip() if quoted is None else quoted)
    return [item for item in items if item.strip()]


def _json_text(item: str) -> str | None:
    """The text a JSON string literal such as `"felt"` holds; None for anything else."""
    if not _quoted(item):
        return None
    try:
        value = jsontext.read(item)
    except jsontext.Unreadable:
        return None
    return value if isinstance(value, str) else None


def unedited(cell: str, value: Any, column: Column) -> bool:
    """Whether a cell still holds what export wrote for `value` (a record's value), whatever
    that value's shape: a list field holding a single text (`domains: craftsmanship`, invalid
    but found in real records) is exported as JSON (`"craftsmanship"`), which reads back as a
    list; unedited, it is no change. So is a text of digits that a spreadsheet read as a
    number and saved without its leading zeros (`007` as 7)."""
    if value is ABSENT:
        return False
    text, exported = line_breaks_as_kept(cell), encode(value, column)
    return text == exported or (
        bool(_DIGITS.fullmatch(exported)) and text.strip() == str(int(exported))
    )


def cut_short(cell: str, value: Any) -> bool:
    """Whether a cell holds the first CELL_LIMIT characters of the record's longer text `value`:
    what a spreadsheet keeps of it when it opens a CSV (imported, the text would be cut)."""
    text = line_breaks_as_kept(cell)
    return (
        isinstance(value, str) and len(text) == CELL_LIMIT < len(value) and value.startswith(text)
    )


def _too_deep(limit: int) -> str:
    return _("the cell nests arrays or objects more than {depth} levels deep").format(depth=limit)


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether `value` nests lists or maps more than `limit` levels (the record it goes into
    could not be read back: records are refused beyond `MAX_DEPTH`)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = (
            node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        )
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _date(text: str) -> str:
    """ISO dates as they are; DD.MM.YYYY (what spreadsheets in kk/ru locales write) converted;
    CellError for anything else (a day that does not exist too)."""
    match = _DOTTED_DATE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            raise CellError(_("{text!r} is not a real date").format(text=text)) from None
    midnight = _MIDNIGHT.match(text)
    if midnight:  # a spreadsheet date-time such as 2025-05-14 00:00:00: keep the date
        text = midnight.group(1)
    if dates.parse_day(text) is None:
        # 4/2/2026 may be 4 February or 2 April; 46114 is a spreadsheet's day number. Not
        # quoted: a cell may hold anything, a contact too.
        raise CellError(_("the cell is not a date (YYYY-MM-DD or DD.MM.YYYY)"))
    return text


def same(cell_value: Any, current: Any) -> bool:
    """Whether a cell's value says the same as the record's current value.

    Only text differences a spreadsheet introduces by itself are forgiven: a lost final line
    break of a multi-line text.
    """
    if cell_value is ABSENT or current is ABSENT:
        return cell_value is current
    if isinstance(cell_value, str) and isinstance(current, str):
        return cell_value.rstrip("\n") == current.rstrip("\n")
    return bool(cell_value == current and type(cell_value) is type(current))


def row(data: Mapping[str, Any], cols: list[Column]) -> list[str]:
    """The cells of one record."""
    return [encode(value_at(data, c), c) for c in cols]


# --- CSV safety --------------------------------------------------------------------------------


def guard_formula(cell: str) -> str:
    """Make a CSV cell inert in spreadsheets: one `'` before text a spreadsheet would run as a
    formula (and before a leading `'`, so `unguard` can always undo it)."""
    return "'" + cell if cell.startswith((*FORMULA_START, "'")) else cell


def unguard(cell: str) -> str:
    """Undo `guard_formula`."""
    return cell[1:] if cell.startswith("'") else cell
