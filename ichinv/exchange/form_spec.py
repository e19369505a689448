"""The field form of an element: the questions an inventory team answers, derived from the
element schema, and the record field each answer fills.

The one home of the mapping between the form and the record: `ichinv form` writes these
questions as an XLSForm (ichinv.exchange.xlsform) and `ichinv import --from odk` reads answers
back through them (ichinv.exchange.odk_answers). A question is named after the record key it
fills, and groups and repeats mirror the record's groups and lists, so that a submission has the
record's shape: the question `consent/status` fills `consent.status`, the third instance of the
repeat `communities` fills `communities[2]`. What a question asks (type, choices, required,
constraints) comes from the schema; `LAYOUT` only says which fields the form covers, in which
order, and the few things the schema cannot say (a photograph for the evidence of consent,
a field that matters only once consent is given).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ichinv.core.errors import ConfigError
from ichinv.core.i18n import _
from ichinv.core.vocabulary import NAME_LANGUAGES, PROVINCE_ID_PATTERN
from ichinv.schemas.loader import CUSTOM_FUTURE, Schema


class Kind(StrEnum):
    """XLSForm question types the form uses."""

    TEXT = "text"
    INTEGER = "integer"
    DATE = "date"
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    GEOPOINT = "geopoint"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    NOTE = "note"
    CALCULATE = "calculate"


MEDIA: frozenset[Kind] = frozenset({Kind.IMAGE, Kind.AUDIO, Kind.VIDEO})
"""Questions whose answer is a file (an attachment of the submission)."""

LANGUAGE = "form_language"
"""The question asking which language the team answers in (not part of the record)."""
LANGUAGES = "form_language"
"""The choice list of `LANGUAGE`."""
PROVINCES = "province"
"""The choice list of province fields: the current provinces of the inventory."""
TEXT_LANGUAGES = NAME_LANGUAGES
"""Languages in which the form asks a text kept by language (descriptions)."""


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the form."""

    name: str
    """XML name; the record key it fills, unless it is a file for a field (`photo` → path)."""
    field: str
    """Pattern of the record field the answer fills (`/communities/*/name`); "" when the answer
    is not part of the record (the language of the form, a note)."""
    kind: Kind
    schema: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    """The field's sub-schema (empty for questions outside the record)."""
    values: tuple[str, ...] = ()
    """The values of an enumerated field (its choices)."""
    choices: str = ""
    """Choice list: the pattern of the enumerated field whose values it offers, `PROVINCES` or
    `LANGUAGES`."""
    required: str = ""
    """`yes`, an XPath condition, or "" (optional)."""
    required_text: str = ""
    """Key of the message shown when a conditionally required answer is missing."""
    relevant: str = ""
    constraint: str = ""
    constraint_texts: tuple[tuple[str, Mapping[str, str]], ...] = ()
    """Keys (and values) of the sentences that explain the constraint, in the form texts."""
    default: str = ""
    calculation: str = ""
    appearance: str = ""
    parameters: str = ""
    text: str = ""
    """Key of the label (and `<key>_hint`) in the form texts, for questions whose field's own
    title does not say what to do (the photo of a consent form); "" to use the field's."""
    lang: str = ""
    """For a text kept by language: its language (`description/kk`)."""


@dataclass(frozen=True, slots=True)
class Section:
    """A group of questions (a group of fields of the record) or a repeat (a list of entries)."""

    name: str
    field: str
    """Pattern of the group, or of the list for a repeat (`/communities`)."""
    repeat: bool
    children: tuple[Node, ...]
    schema: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    by_language: bool = False
    """A text kept by language (`description`): one question per language."""


Node = Question | Section


@dataclass(frozen=True, slots=True)
class FormSpec:
    """Every question of the form, in order, for one version of the record format."""

    version: int
    """The record format version of the schema the form was derived from."""
    children: tuple[Node, ...]

    def walk(self) -> Iterator[tuple[tuple[str, ...], Node]]:
        """Every node with its path of names from the root (`("consent", "status")`)."""
        yield from _walk(self.children, ())

    def questions(self) -> Iterator[tuple[tuple[str, ...], Question]]:
        for path, node in self.walk():
            if isinstance(node, Question):
                yield path, node

    def node_for(self, pattern: str) -> Node | None:
        """The question (or section) filling the record field of `pattern` (indices as `*`)."""
        for __, node in self.walk():
            if node.field == pattern:
                return node
        return None

    @property
    def fields(self) -> frozenset[str]:
        """Patterns of every record field an answer fills."""
        return frozenset(n.field for __, n in self.walk() if n.field)


def _walk(
    children: tuple[Node, ...], prefix: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Node]]:
    for node in children:
        path = (*prefix, node.name)
        yield path, node
        if isinstance(node, Section):
            yield from _walk(node.children, path)


# --- which fields the form covers -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Part:
    """A field in `LAYOUT`: its key, its sub-fields in form order (for a group or a list of
    entries), and what the schema cannot say about it."""

    key: str
    parts: tuple[Part, ...] = ()
    kind: Kind | None = None
    """A file question filling the field (`photo` → `path`); None: from the schema."""
    name: str = ""
    """The question's name when it is not the key (several file questions fill `path`)."""
    required: str = ""
    relevant: str = ""
    constraint: str = ""
    constraint_text: str = ""
    default: str = ""
    text: str = ""


def P(key: str, *parts: Part | str, **extra: Any) -> Part:  # noqa: N802 - reads like the layout
    return Part(key, tuple(p if isinstance(p, Part) else Part(p) for p in parts), **extra)


GIVEN = "../status = 'given'"
CONSENT_GIVEN = "../../consent/status = 'given'"
RESTRICTED = "../level = 'restricted'"

LAYOUT: tuple[Part, ...] = (
    P(
        "consent",
        "status",
        P("date", required=GIVEN),
        P("form", relevant=GIVEN),
        P(
            "evidence",
            kind=Kind.IMAGE,
            relevant=GIVEN,
            required="../form = 'written'",
            text="evidence",
        ),
        P("scope", relevant=GIVEN),
    ),
    P("provenance", P("inventoried_by", required="yes"), P("entered", default="today()")),
    P("names", "kk", "ru", "en"),
    P("domains"),
    P("national_category"),
    P("provinces"),
    P("description"),
    P("communities", "name", "kind", "role", "description", "provinces"),
    P("locations", "place", "province", "coordinates", "note"),
    P("transmission", "modes", "description"),
    P("viability", "status", "assessed", "assessed_by", P("threats", "threat", "kind")),
    P("safeguarding", "measure", "kind", "by", "status", "since", "until"),
    P(
        "access",
        P(
            "level",
            constraint=f". = 'restricted' or {CONSENT_GIVEN}",
            constraint_text="public_needs_consent",
        ),
        P("reason", relevant=RESTRICTED, required=f"{RESTRICTED} and {CONSENT_GIVEN}"),
        P("decided_by", relevant=RESTRICTED),
    ),
    P(
        "contacts",
        "name",
        "role",
        "organisation",
        "phone",
        "email",
        "address",
        "gender",
        "birth_year",
        "note",
    ),
    P(
        "documentation",
        "title",
        "kind",
        P("path", kind=Kind.IMAGE, name="photo", relevant="../kind = 'photo'", text="photo"),
        P("path", kind=Kind.AUDIO, name="audio", relevant="../kind = 'audio'", text="audio"),
        P("path", kind=Kind.VIDEO, name="video", relevant="../kind = 'video'", text="video"),
        "citation",
        "url",
        "year",
    ),
)
"""The record fields the form asks for, in the order it asks them: consent first (a required
question nobody can skip), then who inventoried the element and when, then the element."""


def build(schema: Schema) -> FormSpec:
    """The form's questions for `schema` (the element schema)."""
    head: list[Node] = [
        Question(LANGUAGE, "", Kind.SELECT_ONE, choices=LANGUAGES, required="yes", text="language"),
        Question(
            "schema_version",
            "/schema_version",
            Kind.CALCULATE,
            _resolved(schema, "/schema_version"),
            calculation=f"'{schema.version}'",
        ),
    ]
    root = _resolved(schema, "")
    children = [_node(schema, "", root, part, LAYOUT, parent_certain=True) for part in LAYOUT]
    consent = children[0]
    assert isinstance(consent, Section) and consent.name == "consent"
    intro = Question("intro", "", Kind.NOTE, text="consent_note")
    children[0] = Section(
        consent.name, consent.field, False, (intro, *consent.children), consent.schema
    )
    return FormSpec(schema.version, (*head, *children))


def _resolved(schema: Schema, pattern: str) -> Mapping[str, Any]:
    sub = schema.subschema(pattern)
    if sub is None:
        raise ConfigError(
            _("the element schema has no field {pointer}, which the field form asks for").format(
                pointer=pattern or "/"
            ),
            hint=_("restore the field in schema/element.schema.json (a pull request removed it?)"),
        )
    return sub


def _node(
    schema: Schema,
    parent: str,
    parent_schema: Mapping[str, Any],
    part: Part,
    siblings: tuple[Part, ...],
    *,
    parent_certain: bool,
) -> Node:
    """The question or section asking for `part`, a field of the group at `parent`.

    `parent_certain`: the group is always in the record (the root, an entry of a list, a
    required group of either), so that a field it requires is simply required."""
    pattern = f"{parent}/{part.key}"
    sub = _resolved(schema, pattern)
    required_here = part.key in parent_schema.get("required", ())
    if part.kind is None and _is_list_of_entries(sub):
        item = _resolved(schema, pattern + "/*")
        children = tuple(
            _node(schema, pattern + "/*", item, child, part.parts, parent_certain=True)
            for child in part.parts
        )
        return Section(part.key, pattern, True, children, sub)
    if part.kind is None and _is_by_language(sub):
        text_schema = _resolved(schema, f"{pattern}/{TEXT_LANGUAGES[0]}")
        return _by_language(part.key, pattern, sub, text_schema, required_here and parent_certain)
    if part.kind is None and _is_group(sub) and part.parts:
        certain = required_here and parent_certain
        children = tuple(
            _node(schema, pattern, sub, child, part.parts, parent_certain=certain)
            for child in part.parts
        )
        return Section(part.key, pattern, False, children, sub)
    items = _resolved(schema, pattern + "/*") if sub.get("type") == "array" else {}
    kind = part.kind or _kind(pattern, sub, items)
    choices = ""
    if kind is Kind.SELECT_ONE:
        choices = PROVINCES if _is_province(sub) else pattern
    elif kind is Kind.SELECT_MULTIPLE:
        choices = PROVINCES if _is_province(items) else pattern + "/*"
    required = part.required
    if not required and required_here:
        # Asked once another question of the group is answered; a required question that
        # comes later does not count (two that depend on each other are a cycle for ODK).
        needed = parent_schema.get("required", ())
        later = siblings[siblings.index(part) + 1 :]
        others = [s for s in siblings if s is not part and not (s in later and s.key in needed)]
        required = "yes" if parent_certain else _any_answered(others, parent_schema)
    constraint, texts = _constraint(sub, kind)
    if part.constraint:
        constraint = f"({constraint}) and ({part.constraint})" if constraint else part.constraint
        texts = (*texts, (part.constraint_text, {}))
    return Question(
        part.name or part.key,
        pattern,
        kind,
        sub,
        values=tuple(str(v) for v in (items or sub).get("enum", ())),
        choices=choices,
        required=required,
        relevant=part.relevant,
        constraint=constraint,
        constraint_texts=texts,
        default=part.default,
        appearance=_appearance(kind, items or sub),
        parameters="max-pixels=2048" if kind is Kind.IMAGE else "",
        text=part.text,
    )


def _by_language(
    key: str,
    pattern: str,
    sub: Mapping[str, Any],
    text_schema: Mapping[str, Any],
    required: bool,
) -> Section:
    """One question per language; when the text is required, the last one asks for it unless
    an earlier one was answered (the schema asks for at least one language)."""
    constraint, texts = _constraint(text_schema, Kind.TEXT)
    children = []
    for index, lang in enumerate(TEXT_LANGUAGES):
        last = index == len(TEXT_LANGUAGES) - 1
        others = [f"string-length(../{other}) = 0" for other in TEXT_LANGUAGES[:index]]
        children.append(
            Question(
                lang,
                f"{pattern}/{lang}",
                Kind.TEXT,
                text_schema,
                required=" and ".join(others) if required and last else "",
                required_text="one_language" if required and last else "",
                constraint=constraint,
                constraint_texts=texts,
                appearance="multiline",
                lang=lang,
            )
        )
    return Section(key, pattern, False, tuple(children), sub, by_language=True)


def _any_answered(siblings: list[Part], parent: Mapping[str, Any]) -> str:
    """Required once any other question of the (optional) group is answered: the schema
    requires the field whenever the group is in the record."""
    props = parent.get("properties", {})
    conditions = [
        f"count(../{s.name or s.key}) > 0"
        if s.kind is None and _is_list_of_entries(props.get(s.key, {}))
        else f"string-length(../{s.name or s.key}) > 0"
        for s in siblings
    ]
    return " or ".join(conditions) if conditions else "yes"


def _is_list_of_entries(sub: Mapping[str, Any]) -> bool:
    items = sub.get("items")
    return (
        sub.get("type") == "array" and isinstance(items, Mapping) and items.get("type") == "object"
    )


def _is_by_language(sub: Mapping[str, Any]) -> bool:
    return sub.get("type") == "object" and "patternProperties" in sub and "properties" not in sub


def _is_group(sub: Mapping[str, Any]) -> bool:
    return sub.get("type") == "object" and "properties" in sub


def _is_point(sub: Mapping[str, Any]) -> bool:
    props = sub.get("properties", {})
    return _is_group(sub) and "latitude" in props and "longitude" in props


def _is_province(sub: Mapping[str, Any]) -> bool:
    return sub.get("pattern") == PROVINCE_ID_PATTERN


def _kind(pattern: str, sub: Mapping[str, Any], items: Mapping[str, Any]) -> Kind:
    if _is_point(sub):
        return Kind.GEOPOINT
    if sub.get("type") == "array":
        if "enum" in items or _is_province(items):
            return Kind.SELECT_MULTIPLE
        raise ValueError(f"the form cannot ask for {pattern}: a list of {items.get('type')}")
    if "enum" in sub or _is_province(sub):
        return Kind.SELECT_ONE
    if sub.get("format") == "date":
        return Kind.DATE
    if sub.get("type") == "integer":
        return Kind.INTEGER
    if sub.get("type") == "string":
        return Kind.TEXT
    raise ValueError(f"the form cannot ask for {pattern} ({sub.get('type')})")


def _appearance(kind: Kind, sub: Mapping[str, Any]) -> str:
    """`sub`: the field's sub-schema, or its items' for a list."""
    if kind in (Kind.SELECT_ONE, Kind.SELECT_MULTIPLE) and _is_province(sub):
        return "minimal"
    return ""


def _constraint(
    sub: Mapping[str, Any], kind: Kind
) -> tuple[str, tuple[tuple[str, Mapping[str, str]], ...]]:
    """The schema's limits on a field as an XPath constraint, and the sentences explaining it."""
    parts: list[str] = []
    texts: list[tuple[str, Mapping[str, str]]] = []
    if kind is Kind.TEXT:
        if "maxLength" in sub:
            parts.append(f"string-length(.) <= {int(sub['maxLength'])}")
            texts.append(("length", {"max": str(int(sub["maxLength"]))}))
        if isinstance(sub.get("pattern"), str):
            parts.append(f"regex(., {_literal(sub['pattern'])})")
            texts.append(("pattern", {}))
    elif kind is Kind.INTEGER and ("minimum" in sub or "maximum" in sub):
        low, high = sub.get("minimum"), sub.get("maximum")
        if low is not None:
            parts.append(f". >= {low}")
        if high is not None:
            parts.append(f". <= {high}")
        texts.append(("range", {"min": str(low if low is not None else ""), "max": str(high)}))
    elif kind is Kind.DATE and not sub.get(CUSTOM_FUTURE):
        parts.append(". <= today()")
        texts.append(("past", {}))
    return " and ".join(parts), tuple(texts)


def _literal(text: str) -> str:
    """`text` as an XPath string literal (XPath 1.0 has no escapes: pick the other quote)."""
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    pieces = ', "\'", '.join(f"'{piece}'" for piece in text.split("'"))
    return f"concat({pieces})"
