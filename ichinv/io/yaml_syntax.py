"""Why libyaml refused the text of a record, told in plain words where the mistake is.

libyaml names the place where it gave up, which is often the line after the mistake (a ':' or
a '- ' left out) or ninety lines below it (a quotation mark not closed), in its own terms
("could not find expected ':'", "mapping values are not allowed in this context").
`syntax_problem` looks at the text around that place for the mistakes people make by hand and
names the line and column of the mistake itself, each with a message and a hint of its own
(`TOLD`); libyaml's words are never shown. It is given the last value in quotes that libyaml's
scanner read before that place (`LastQuoted`), as PyYAML has one home (`strict_yaml`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ichinv.core.i18n import N_, _
from ichinv.io.yaml_text import MAX_DEPTH, LoadError, LoadProblem, line_col


@dataclass(frozen=True, slots=True)
class Quoted:
    """A value in quotes as libyaml's scanner read it."""

    start: int
    """Index of its opening quotation mark in the text."""
    end: int
    """Index just past its closing quotation mark."""
    style: str
    """`"` or `'`."""


LastQuoted = Callable[[int], "Quoted | None"]
"""The last value in quotes that starts before an index of the text, if any."""

TOLD: dict[str, tuple[str, str]] = {
    "no-colon": (
        N_("this line has no ':' after its field name; a field is written `name: value`"),
        N_(
            "write ':' and a space after the field name; if the line continues the text of "
            "the line above, indent it more than that line's field name"
        ),
    ),
    "glued-colon": (
        N_("the ':' after a field name must be followed by a space"),
        N_("put a space after the ':', as in `kind: group`"),
    ),
    "no-dash": (
        N_("this line stands among the items of a list but does not start with '- '"),
        N_("start it with a dash and a space ('- '), like the other items of the list"),
    ),
    "after-quote": (
        N_("there is more text after the closing quotation mark of this value"),
        N_(
            "put the whole value in quotes of the other kind ('\"…\" …' or \"'…' …\"), or "
            "remove the quotation marks; inside single quotes an apostrophe is written twice "
            "('')"
        ),
    ),
    "after-bracket": (
        N_("there is more text after the closing bracket of this value"),
        N_(
            "a value that starts with '[' or '{' must end with its closing bracket; if the "
            "brackets are part of the text, put the whole value in quotes"
        ),
    ),
    "colon-in-value": (
        N_("a ': ' (a colon and a space) inside a value is read as the start of another field"),
        N_("put the whole value in quotes (\"…: …\"), or leave out the space after the ':'"),
    ),
    "deeper": (
        N_(
            "this line is indented more than the field above it, so it is read as part of "
            "that field's value"
        ),
        N_(
            "indent it like the other fields of the same group; if the field above starts an "
            "item of a list, begin that line with '- '; if this line continues the value "
            "above, put the whole value in quotes"
        ),
    ),
    "misaligned": (
        N_("this line is indented differently from the fields above it"),
        N_("indent it exactly like the other fields of the same group (two spaces for each level)"),
    ),
    "misaligned-first": (
        N_("this field is indented differently from the fields after it"),
        N_("indent it exactly like the other fields of the same group (two spaces for each level)"),
    ),
    "item-among-fields": (
        N_("this list item ('- ') stands among fields, or out of line with the items above it"),
        N_(
            "indent it exactly like the other items of its list; a list goes on the lines "
            "under its field name, which has nothing after its ':'"
        ),
    ),
    "not-an-item": (
        N_(
            "this line is inside a list but does not start with '- ', nor is it in line with "
            "the fields of the item above"
        ),
        N_("start a new item with '- ', or indent the line like the fields of the item above it"),
    ),
    "list-on-key-line": (
        N_("a list cannot start on the same line as its field name"),
        N_(
            "start the list on the next line, each item on a line of its own, indented and "
            "starting with '- '; if the dash is part of the text, put the whole value in quotes"
        ),
    ),
    "escape": (
        N_(
            "this backslash (\\) inside double quotes starts no special character (such as "
            "\\n, a line break)"
        ),
        N_(
            "write the character itself, or \\\\ for a backslash; between single quotes a "
            "backslash is an ordinary character"
        ),
    ),
    "block-header": (
        N_("after '|' or '>' the text of the value starts on the next line"),
        N_(
            "move the text to the next line, indented more than the field name; if the value "
            "itself starts with '|' or '>', put it in quotes"
        ),
    ),
    "block-zero": (N_("the number after '|' or '>' cannot be 0"), N_("delete the number")),
    "end-inside": (
        N_("a line starting with '---' or '...' ends the record, even inside quotes"),
        N_("indent that line, or start it with something else than three dashes or dots"),
    ),
    "after-end": (
        N_("a line of three dots ('...') ends the record; the text after it cannot be read"),
        N_("delete the '...' line"),
    ),
    "top-indented": (
        N_(
            "the first field of the record is indented; the fields of the top level start at "
            "the beginning of their line"
        ),
        N_("delete the spaces before it"),
    ),
    "directive": (
        N_(
            "a line starting with '%' is an instruction to the YAML reader, which records do "
            "not use"
        ),
        N_("delete the line"),
    ),
    "unreadable": (
        N_("the text cannot be read from here on: it does not follow the rules of YAML"),
        N_(
            "check this line and the one above: the indentation, the ':' after each field "
            "name, and the quotation marks"
        ),
    ),
}
"""Each mistake `syntax_problem` tells by its own words and hint (shown in the language of
messages); those that name a place or a character are written where they are told."""

_CONFLICT = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)", re.MULTILINE)
"""A line git writes in a file where a merge met a conflict (`<<<<<<< HEAD`, `=======`)."""

_BREAK = re.compile("\r\n?|\n")
_ITEM = re.compile(r"-(?: |$)")
_FIELD_LINE = re.compile(r"^ *(?:- +)*[^\s#'\"-][^:#]*:(?: |$)", re.MULTILINE)
"""A line that reads as a field (`  kind: group`, `- name: x`): inside a value in quotes, the
sign that the value ran on over lines of the record."""
_COLON = re.compile(r":(?: |$)")


def _told(kind: str, line: int, column: int) -> LoadError:
    message, hint = TOLD[kind]
    return LoadError(LoadProblem("yaml.syntax", _(message), line, column, _(hint)))


def syntax_problem(text: str, exc: Any, last_quoted: LastQuoted) -> LoadError:
    """The mistake that made libyaml's `exc` (a MarkedYAMLError, through PyYAML) in `text`,
    located where it is, with a hint in plain words."""
    conflict = _CONFLICT.search(text)
    if conflict is not None:  # an unfinished merge: the marker says more than what it broke
        line, __ = line_col(text, conflict.start())
        return LoadError(
            LoadProblem(
                "yaml.syntax",
                _(
                    "the file holds a conflict marker of git ({marker}): a merge is not finished"
                ).format(marker=conflict.group(1)),
                line,
                1,
                hint=_(
                    "keep the right lines between the markers, delete the markers, then "
                    "`git add` the file"
                ),
            )
        )
    problem: str = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else 1
    column = mark.column + 1 if mark is not None else 1
    lines = _BREAK.split(text)
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "maximum nesting depth" in problem:
        return LoadError(
            LoadProblem(
                "yaml.too-deep",
                _("the record is nested more than {depth} levels deep").format(depth=MAX_DEPTH),
                line,
                column,
                hint=_("records are a few levels deep; check the brackets and the indentation"),
            )
        )
    indent = here[: len(here) - len(here.lstrip(" \t"))]
    if "\t" in indent or "tab character" in problem or "'\\t'" in problem:
        return LoadError(
            LoadProblem(
                "yaml.tab",
                _("a tab character is used for indentation; YAML indents with spaces only"),
                line,
                here.find("\t") + 1 if "\t" in here else column,
                hint=_("replace the tab with spaces (two per level is the inventory's style)"),
            )
        )
    if (exc.context or "").endswith("quoted scalar") and "end of stream" in problem:
        return _unclosed(text, exc.context_mark.index, None)
    where = mark.index if mark is not None else len(text)
    quoted = last_quoted(where)
    if quoted is not None and _ran_on(text, quoted, line):
        return _unclosed(text, quoted.start, quoted.end)
    before = text[:where].rstrip(" ")
    if quoted is not None and len(before) == quoted.end:
        return _told("after-quote", line, column)
    if before.endswith(("]", "}")):
        return _told("after-bracket", line, column)
    return _by_problem(text, lines, exc, line, column)


def _ran_on(text: str, quoted: Quoted, line: int) -> bool:
    """Whether the value in quotes ran on over lines of the record (its quotation mark was not
    closed where it should have been) and libyaml gave up where it ended at last."""
    inside = text[quoted.start : quoted.end]
    if "\n" not in inside and "\r" not in inside:
        return False
    end_line, __ = line_col(text, quoted.end)
    return line - end_line <= 1 and _FIELD_LINE.search(inside, inside.find("\n") + 1) is not None


def _unclosed(text: str, start: int, end: int | None) -> LoadError:
    """The quotation mark at `start` not closed: at the end of the file (`end` None) or only
    at `end`, lines below."""
    line, column = line_col(text, start)
    if end is None:
        message = _(
            "the quotation mark opened at line {line}, column {column} is not closed before "
            "the end of the file"
        ).format(line=line, column=column)
    else:
        message = _(
            "the quotation mark opened at line {line}, column {column} seems not to be "
            "closed: the value it starts runs on to line {end}"
        ).format(line=line, column=column, end=line_col(text, end)[0])
    hint = (
        _('close it with " where the value ends, or remove it')
        if text[start] == '"'
        else _(
            "close it with ' where the value ends, or remove it; an apostrophe inside a "
            "value in single quotes is written twice ('')"
        )
    )
    return LoadError(LoadProblem("yaml.syntax", message, line, column, hint))


def _by_problem(text: str, lines: list[str], exc: Any, line: int, column: int) -> LoadError:
    """The mistake told by what libyaml found (and where), at the place of the mistake."""
    problem: str = exc.problem or ""
    context: str = exc.context or ""
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "expected ':'" in problem and exc.context_mark is not None:
        return _no_colon(lines, exc.context_mark.line + 1, exc.context_mark.column + 1)
    if problem.startswith("mapping values are not allowed"):
        return _colon_here(lines, line, column)
    if context.startswith("while parsing a flow") and exc.context_mark is not None:
        return _unclosed_bracket(text, exc.context_mark)
    if "escape" in problem or "hexdecimal" in problem:  # `"\q"`, `"\x4"`, `"\ud800"`
        return _told("escape", line, column)
    if problem.startswith("block sequence entries are not allowed"):
        on_key_line = here[: column - 1].strip() != ""
        return _told("list-on-key-line" if on_key_line else "item-among-fields", line, column)
    if problem.startswith(("did not find expected key", "expected <block end>")):
        if _ITEM.match(here.lstrip(" ")) is not None:
            return _told("item-among-fields", line, column)
        first = _first_misaligned(lines, line)
        if first is not None:
            return _told("misaligned-first", first, _indent(lines[first - 1]) + 1)
        return _told("misaligned", line, column)
    if problem.startswith("did not find expected '-' indicator"):
        return _told("not-an-item", line, column)
    if context.endswith("block scalar"):
        return _told("block-zero" if "equal to 0" in problem else "block-header", line, column)
    if "document indicator" in problem:
        return _told("end-inside", line, column)
    if "document start" in problem or _is_end(lines, line):
        end = next((n for n in range(line, 0, -1) if _is_end(lines, n)), None)
        if end is not None:
            return _told("after-end", end, 1)
        first = _near(lines, 0, 1)
        if first is not None and _indent(lines[first - 1]) > 0:
            return _told("top-indented", first, 1)
    if "directive" in context or "YAML document" in problem:
        start = exc.context_mark or exc.problem_mark
        if lines[start.line].startswith(("%YAML", "%TAG")):
            return _told("directive", start.line + 1, 1)
        return _cannot_start(text, start)
    if any(w in problem for w in ("cannot start any token", "keys are not allowed", "content")):
        return _cannot_start(text, exc.problem_mark)
    if context.endswith(("an anchor", "an alias", "a tag", "parsing a node")):
        return _cannot_start(text, exc.context_mark)
    return _told("unreadable", line, column)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _body_start(text: str) -> int:
    """Index of what a line holds past its indentation and the `- ` of list items."""
    at = _indent(text)
    while _ITEM.match(text, at):
        at += 1 + _indent(text[at + 1 :])
    return at


def _near(lines: list[str], line: int, step: int) -> int | None:
    """The number of the nearest line before (`step` -1) or after (1) `line` that holds more
    than blanks and a comment."""
    at = line + step
    while 0 < at <= len(lines):
        body = lines[at - 1].strip()
        if body and not body.startswith("#"):
            return at
        at += step
    return None


def _no_colon(lines: list[str], line: int, column: int) -> LoadError:
    """The line `line`, whose text from `column` on libyaml took for a field name and found no
    ': ' after (`kind group`, `kind:group`, `KZ-11` among `- KZ-10` lines)."""
    body = _field_body(lines[line - 1][column - 1 :])
    glued = re.search(r":(?=\S)", body)
    if glued is not None:
        return _told("glued-colon", line, column + glued.start())
    if ":" not in body and _among_items(lines, line, column - 1):
        return _told("no-dash", line, column)
    return _told("no-colon", line, column + len(body.split(maxsplit=1)[0] if body else ""))


def _colon_here(lines: list[str], line: int, column: int) -> LoadError:
    """A ': ' at `column` where no field may start: inside a value, or on a line indented more
    than the field above it, or under a field whose own ':' was left out (`- name Falconers`
    above `kind: group`, or `status given` as the first field under `consent:`)."""
    here = lines[line - 1]
    start = _body_start(here)
    if _COLON.search(here, start, column - 1):
        return _told("colon-in-value", line, column)
    depth = _indent(here)
    parent = _near(lines, line, -1)
    while parent is not None and _indent(lines[parent - 1]) >= depth:
        parent = _near(lines, parent, -1)
    if parent is None:  # the top level: its first line starts the run of plain text
        first, value = _near(lines, 0, 1), ""
    else:
        first = _near(lines, parent, 1)
        head = _body_start(lines[parent - 1])
        value = _field_body(lines[parent - 1][head:])
        if first == line and _plain(value):  # the parent is no field: its ':' is missing
            return _no_colon(lines, parent, head + 1)
    if first != line and first is not None and (value == "" or value.endswith(":")):
        head = _body_start(lines[first - 1])
        if _plain(_field_body(lines[first - 1][head:])):  # the first of its fields
            return _no_colon(lines, first, head + 1)
    if parent is not None and _among_items(lines, parent, _indent(lines[parent - 1])):
        return _told("no-dash", parent, _indent(lines[parent - 1]) + 1)  # `- ` of its item
    return _told("deeper", line, start + 1)


def _among_items(lines: list[str], line: int, depth: int) -> bool:
    """Whether line `line`, which starts at `depth` without a `- `, stands in a list: the
    nearest line before or after it at that depth (lines deeper left out, none less deep
    between) is an item of one."""
    if _ITEM.match(lines[line - 1], depth):
        return False
    for step in (-1, 1):
        near = _near(lines, line, step)
        while near is not None and _indent(lines[near - 1]) > depth:
            near = _near(lines, near, step)
        if near is not None and _indent(lines[near - 1]) == depth:
            if _ITEM.match(lines[near - 1], depth):
                return True
    return False


def _first_misaligned(lines: list[str], line: int) -> int | None:
    """The line of the first field of the group that line `line` belongs to, when that field
    is the one out of line: `line` stands two spaces deeper than the field above the group,
    as the style wants, and no field between them does."""
    depth = _indent(lines[line - 1])
    parent = _near(lines, line, -1)
    while parent is not None and _indent(lines[parent - 1]) >= depth:
        parent = _near(lines, parent, -1)
    first = _near(lines, parent or 0, 1)
    expected = 0 if parent is None else _indent(lines[parent - 1]) + 2
    if first is None or first >= line or depth != expected:
        return None
    between = (_indent(lines[n - 1]) for n in range(first, line) if lines[n - 1].strip())
    return first if depth not in between else None


def _field_body(text: str) -> str:
    """What a line holds, past its `- `, without its comment."""
    return re.sub(r"(?:^|\s)#.*", "", text).rstrip()


def _plain(body: str) -> bool:
    """Whether `body` reads as plain text with no ': ' (no field, no quoted or special value)."""
    return body != "" and body[0] not in "'\"[{|>&*!%@`" and not _COLON.search(body)


def _unclosed_bracket(text: str, opened: Any) -> LoadError:
    bracket = text[opened.index : opened.index + 1] or "["
    line, column = opened.line + 1, opened.column + 1
    return LoadError(
        LoadProblem(
            "yaml.syntax",
            _("the bracket {bracket!r} at line {line}, column {column} is not closed").format(
                bracket=bracket, line=line, column=column
            ),
            line,
            column,
            _(
                "close it with {closing!r}; if the bracket is part of the text, put the whole "
                "value in quotes"
            ).format(closing="]" if bracket == "[" else "}"),
        )
    )


def _cannot_start(text: str, mark: Any) -> LoadError:
    """A value that starts with a character YAML reads as a sign of its own (`@`, `%`, `!`)."""
    character = text[mark.index : mark.index + 1]
    if not character.strip():
        return _told("unreadable", mark.line + 1, mark.column + 1)
    return LoadError(
        LoadProblem(
            "yaml.syntax",
            # not quoted: a quoted `@` may be part of an e-mail address and is hidden
            _("a value cannot start with {character} unless the whole value is in quotes").format(
                character=character
            ),
            mark.line + 1,
            mark.column + 1,
            _('put the whole value in quotes ("…")'),
        )
    )


def _is_end(lines: list[str], line: int) -> bool:
    """Whether line `line` is a document end marker (`...`)."""
    return 0 < line <= len(lines) and re.match(r"\.\.\.(?:\s|$)", lines[line - 1]) is not None
