"""The strict, fast reader of record files: bytes in, plain JSON-model data (and positions) out.

Records are read with libyaml's event parser (through PyYAML) and built here, one event at a
time, without recursion. That gives, in one pass and at about half the cost of a plain
`yaml.load`, everything the inventory needs and nothing it must not accept:

* YAML 1.2 core-schema typing exactly as ruamel.yaml resolves it (`no` stays text, `010` is
  10, `1_000` is 1000), with dates kept as text so that `format: date` fields validate;
* a line and column for every key and value, on request (`positions=True`), addressed by
  JSON pointer;
* findings instead of surprises for duplicate keys, non-text keys, anchors and aliases (so an
  alias bomb costs nothing), custom tags (nothing is ever executed), several documents, an
  empty file, a top level that is not a mapping, nesting deeper than `MAX_DEPTH`, control
  characters, line breaks other than LF, CRLF and CR (libyaml, unlike YAML 1.2 and ruamel.yaml,
  also breaks lines at NEL, U+2028 and U+2029), a byte-order mark anywhere but at the start,
  bytes that are not UTF-8, and non-finite or oversized numbers.

ruamel.yaml stays the round-trip reader and writer for commands that edit files (`yamlio`);
tests prove that both readers give the same data.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from sys import intern as _intern
from typing import Any

from ichinv.core import pointers
from ichinv.core.i18n import _
from ichinv.core.vocabulary import reads_as_field_name
from ichinv.io.yaml_scalars import (
    MAP_TAGS,
    SEQ_TAGS,
    BadScalar,
    UnknownTag,
    describe_tag,
    plain_value,
    tagged_value,
)
from ichinv.io.yaml_syntax import Quoted, syntax_problem
from ichinv.io.yaml_text import MAX_DEPTH, LoadError, LoadProblem, decode, glued_comment

# PyYAML is imported at the first parse, not with this module: its import compiles the pure
# Python reader's patterns (~20 ms), which a command that parses nothing (a warm `validate`,
# a packet from the record cache) does not need.


class EventsRefused(ValueError):
    """libyaml could not read on: `events` stops with this (the yaml library stays here)."""


def events(text: str) -> Iterator[Any]:
    """libyaml's events of `text`, each of a class named for its kind (`ScalarEvent`…);
    EventsRefused where libyaml cannot read on."""
    import yaml

    loader = _loader()(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    except yaml.YAMLError as exc:
        raise EventsRefused(str(exc)) from None
    finally:
        loader.dispose()


@cache
def _loader() -> type[Any]:
    """libyaml's loader (through PyYAML), else PyYAML's own."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: line and column (1-based) of a node: (value line, value column, key line, key column).
#: For list items and the document root the key position equals the value position.
Position = tuple[int, int, int, int]
Positions = dict[str, Position]


# --- the event-driven builder ---------------------------------------------------------------


def _problem(rule: str, message: str, mark: Any, hint: str | None = None) -> LoadError:
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return LoadError(LoadProblem(rule, message, line, column, hint))


def parse(text: str, *, positions: bool = False) -> tuple[dict[str, Any], Positions | None]:
    """Build the record mapping of a single-document YAML text.

    Returns the data and, when `positions` is true, a map from JSON pointer to `Position`.
    Raises `LoadError` for anything that is not a well-formed record document.
    """
    try:
        return _parse_once(text, positions)
    except LoadError as exc:
        if exc.problem.rule == "yaml.duplicate-key" and not positions:
            return _parse_once(text, True)  # raises again, naming the first occurrence
        raise


def _parse_once(text: str, positions: bool) -> tuple[dict[str, Any], Positions | None]:
    import yaml

    loader = _loader()(text)
    try:
        return _build(loader, positions, text)
    except yaml.MarkedYAMLError as exc:
        raise syntax_problem(text, exc, lambda until: _last_quoted(text, until)) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml always marks its errors
        raise LoadError(LoadProblem("yaml.syntax", str(exc).splitlines()[0], 1, 1)) from None
    finally:
        loader.dispose()


def _last_quoted(text: str, until: int) -> Quoted | None:
    """The last value in quotes that libyaml's scanner reads in `text` before index `until`
    (where the parser gave up): `yaml_syntax` looks at it for a quotation mark not closed."""
    import yaml

    loader = _loader()(text)
    last = None
    try:
        while loader.check_token():
            token = loader.get_token()
            if token.start_mark.index >= until:
                break
            if token.__class__ is yaml.ScalarToken and token.style in ("'", '"'):
                last = Quoted(token.start_mark.index, token.end_mark.index, token.style)
    except yaml.YAMLError:
        pass  # the scanner gave up too: what it read before is all there is
    finally:
        loader.dispose()
    return last


def _build(loader: Any, positions: bool, text: str) -> tuple[dict[str, Any], Positions | None]:
    from yaml.events import (
        AliasEvent,
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

    get = loader.get_event
    get()  # StreamStartEvent
    event = get()
    if isinstance(event, StreamEndEvent):
        raise _problem(
            "yaml.empty",
            _("the file holds only comments, no fields; a record is made of `name: value` lines")
            if text.strip()
            else _("the file is empty; a record is made of `name: value` lines"),
            _START,
            hint=_("start from a copy of another record, or run `ichinv new`"),
        )
    assert isinstance(event, DocumentStartEvent)
    if event.version is not None and event.version != (1, 2):
        major, minor = event.version
        raise _problem(
            "yaml.directive",
            _(
                "the %YAML {version} directive changes how values are read; records are YAML 1.2"
            ).format(version=f"{major}.{minor}"),
            event.start_mark,
            hint=_("delete the %YAML line"),
        )
    if event.tags:
        raise _problem(
            "yaml.directive",
            _("%TAG directives are not allowed in records"),
            event.start_mark,
            hint=_("delete the %TAG line and any custom tags"),
        )

    pos: Positions | None = {} if positions else None
    # Each open container: [container, pending key (or _NOKEY), pointer, key mark of the container]
    stack: list[list[Any]] = []
    root: Any = _NOKEY
    key_marks: list[Any] = []
    while True:
        event = get()
        cls = event.__class__
        if cls is ScalarEvent:
            if event.anchor is not None:
                raise _alias(event)
            if event.style and glued_comment(text, event):
                raise _problem(
                    "yaml.syntax",
                    _(
                        "a # right after a value starts no comment in YAML; YAML readers "
                        "disagree on what it means"
                    ),
                    event.end_mark if event.style in "'\"" else event.start_mark,
                    hint=_("put a space before the # (or remove it)"),
                )
            try:
                if event.tag is None:
                    value = plain_value(event.value) if event.implicit[0] else event.value
                else:
                    value = tagged_value(event.tag, event.value)
            except BadScalar as bad:
                raise _problem("yaml.value", str(bad), event.start_mark) from None
            except UnknownTag as tagged:
                raise _custom_tag(tagged.tag, event) from None
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            if event.anchor is not None:
                raise _alias(event)
            is_map = cls is MappingStartEvent
            if event.tag not in (MAP_TAGS if is_map else SEQ_TAGS):
                raise _custom_tag(event.tag, event)
            if len(stack) >= MAX_DEPTH:
                raise _problem(
                    "yaml.too-deep",
                    _("the record is nested more than {depth} levels deep").format(depth=MAX_DEPTH),
                    event.start_mark,
                    hint=_("records are a few levels deep; check the indentation"),
                )
            value = {} if is_map else []
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            stack.pop()
            if stack:
                continue
            break
        elif cls is AliasEvent:
            raise _alias(event)
        else:  # pragma: no cover - the parser yields nothing else inside a document
            raise _problem("yaml.syntax", _("unexpected YAML structure"), event.start_mark)

        if stack:
            frame = stack[-1]
            container = frame[0]
            if container.__class__ is dict:
                if frame[1] is _NOKEY:
                    if cls is not ScalarEvent:
                        raise _problem(
                            "yaml.key-type",
                            _(
                                "a key must be a single word or phrase, not a list or a group of fields"
                            ),
                            event.start_mark,
                            hint=_("keys are field names such as `names` or `status`"),
                        )
                    if value.__class__ is not str:
                        raise _problem(
                            "yaml.key-type",
                            _("this key is read as {kind}, but keys must be text").format(
                                kind=kind_of(value)
                            ),
                            event.start_mark,
                            hint=_("write the key in quotes"),
                        )
                    if value == "<<" and event.implicit[0]:
                        raise _problem(
                            "yaml.merge-key",
                            _("merge keys (<<) are not allowed in records"),
                            event.start_mark,
                            hint=_("write the fields out in full"),
                        )
                    if value in container:
                        raise _duplicate(value, event, frame, pos)
                    frame[1] = _intern(value)  # field names repeat in every record
                    if pos is not None:
                        key_marks.append(event.start_mark)
                    continue
                key = frame[1]
                container[key] = value
                frame[1] = _NOKEY
                if pos is not None:
                    pointer = frame[2] + "/" + pointers.escape(key)
                    key_mark = key_marks.pop()
                    pos[pointer] = (
                        event.start_mark.line + 1,
                        event.start_mark.column + 1,
                        key_mark.line + 1,
                        key_mark.column + 1,
                    )
            else:
                if pos is not None:
                    pointer = frame[2] + "/" + str(len(container))
                    line, column = event.start_mark.line + 1, event.start_mark.column + 1
                    pos[pointer] = (line, column, line, column)
                container.append(value)
        else:
            root = value
            pointer = ""
            if pos is not None:
                line, column = event.start_mark.line + 1, event.start_mark.column + 1
                pos[""] = (line, column, line, column)
            if cls is ScalarEvent:
                break
        if cls is not ScalarEvent:
            stack.append([value, _NOKEY, pointer if pos is not None else ""])

    end = get()
    assert isinstance(end, DocumentEndEvent)
    after = get()
    if not isinstance(after, StreamEndEvent):
        raise _problem(
            "yaml.multi-document",
            _("the file holds more than one YAML document; a record file holds exactly one"),
            after.start_mark,
            hint=_("delete the '---' line and everything after it, or move it to its own file"),
        )
    if root is None or root == "":
        raise _problem(
            "yaml.empty",
            _("the file holds no fields; a record is made of `name: value` lines"),
            _START,
            hint=_("start from a copy of another record, or run `ichinv new`"),
        )
    if not isinstance(root, dict):
        raise _problem(
            "yaml.not-mapping",
            _(
                "the file holds {kind}, but a record must be made of fields (`name: value` lines)"
            ).format(kind=kind_of(root)),
            _START,
            hint=_("each line of a record starts with a field name followed by ':'"),
        )
    return root, pos


class _Start:
    """The mark of the first character, for problems of the file as a whole."""

    line = 0
    column = 0


_START = _Start()


class _NoKey:
    __slots__ = ()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "<no key>"


_NOKEY: Any = _NoKey()


def kind_of(value: Any) -> str:
    """What a YAML value is, with its article (`a list`), for messages that must not quote it."""
    if value is None:
        return _("an empty value")
    if isinstance(value, bool):
        return _("a true/false value")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a group of fields")
    return _("a piece of plain text")


def _alias(event: Any) -> LoadError:
    return _problem(
        "yaml.alias",
        _(
            "a value cannot start with & or * unless it is in quotes: YAML reads it as a "
            "reference to another value (an anchor or an alias), which records do not allow"
        ),
        event.start_mark,
        hint=_(
            "if the & or * is part of the text, put the whole value in quotes; otherwise "
            "write the value out in full where it is needed"
        ),
    )


def _custom_tag(tag: str, event: Any) -> LoadError:
    return _problem(
        "yaml.tag",
        _(
            "the tag {tag} is not allowed; records hold plain text, numbers, true/false, lists "
            "and groups of fields"
        ).format(tag=shown)
        if (shown := describe_tag(tag)) is not None
        else _(
            "this tag is not allowed; records hold plain text, numbers, true/false, lists "
            "and groups of fields"
        ),
        event.start_mark,
        hint=_("delete the tag (the word starting with '!')"),
    )


def _duplicate(key: str, event: Any, frame: list[Any], pos: Positions | None) -> LoadError:
    first: int | None = None
    if pos is not None:
        earlier = pos.get(frame[2] + "/" + pointers.escape(key))
        if earlier is not None:
            first = earlier[2]
    # A key that may be personal data (an e-mail address) is named by its place only.
    if reads_as_field_name(key):
        message = (
            _("the key `{key}` appears twice in the same group of fields (first on line {line})")
            if first
            else _("the key `{key}` appears twice in the same group of fields")
        )
    else:
        message = (
            _("this key appears twice in the same group of fields (first on line {line})")
            if first
            else _("this key appears twice in the same group of fields")
        )
    return _problem(
        "yaml.duplicate-key",
        message.format(key=key, line=first),
        event.start_mark,
        hint=_("keep one of the two and delete the other; YAML readers disagree on which one wins"),
    )


def load(raw: bytes, *, positions: bool = False) -> tuple[dict[str, Any], Positions | None]:
    """Decode and parse the bytes of one record file."""
    return parse(decode(raw), positions=positions)
