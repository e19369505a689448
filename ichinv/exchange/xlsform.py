"""`ichinv form`: the field form of ichinv.exchange.form_spec as an XLSForm workbook, for ODK
Collect and KoboToolbox.

Sheets `survey`, `choices` and `settings` in the XLSForm convention, with a label, hint and
message column per language (`label::Kazakh (kk)`). Labels and hints are the texts the schema
documentation uses (the schema's titles and descriptions, translated in schema/i18n/); choice
labels are the inventory's vocabulary labels (templates/i18n/); the few texts that belong to the
form alone (the consent note, the photo of a consent form) are the `form.*` labels there too.
The same inventory gives the same bytes; the form's version is the record format version and a
digest of the form, so that ODK Central takes a changed form as a new version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ichinv.core.errors import TemplateError, UsageError, unknown_id
from ichinv.core.i18n import _
from ichinv.core.model import Finding, Record, RecordKind
from ichinv.core.vocabulary import ENDONYMS, FALLBACK, Lang
from ichinv.exchange import spreadsheet
from ichinv.exchange.form_spec import (
    LANGUAGES,
    PROVINCES,
    FormSpec,
    Kind,
    Node,
    Question,
    Section,
)
from ichinv.inventory import record_files as records
from ichinv.inventory.contact_texts import shows_sure_contact
from ichinv.inventory.malformed_ids import malformed_provinces
from ichinv.io.settings import Settings

FORM_ID = "ichinv_element"
"""The form's id (ODK Central names its exports after it: `ichinv_element.csv`)."""

COLUMN_LANGUAGE: Mapping[str, str] = {
    "kk": "Kazakh (kk)",
    "ru": "Russian (ru)",
    "en": "English (en)",
}
"""How the XLSForm columns name each language (`label::Kazakh (kk)`)."""

Pattern = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FormTexts:
    """The texts the form is written in."""

    fields: Mapping[str, Mapping[str, Mapping[str, str]]]
    """Language → field pattern (`/consent/status`) → its translated `title` and
    `description` (English comes from the schema itself)."""
    labels: Mapping[str, Mapping[str, str]]
    """Language → the inventory's labels (`value.domain.craftsmanship`, `form.title`), English
    behind them."""
    vocabulary: Mapping[Pattern, str] = field(default_factory=dict)
    """Enumerated field (`("consent", "status")`) → the label group naming its values."""
    rules: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Language → rule id → what the rule asks (the summaries of the rules page)."""

    def label(self, lang: str, key: str, **values: str) -> str:
        table = self.labels.get(lang) or {}
        text = table.get(key) or (self.labels.get(Lang.EN) or {}).get(key)
        if text is None:
            raise TemplateError(
                _("no label {key!r} in the translation tables of templates/i18n/").format(key=key),
                hint=_(
                    "copy templates/i18n/ of ichinv into the inventory (the form's texts are the "
                    "form.* labels there)"
                ),
            )
        return text.format(**values) if values else text

    def field_text(self, lang: str, node: Node, part: str) -> str:
        """The `title` or `description` of the field a node asks for, in `lang` (English when
        the translation lacks it)."""
        english = node.schema.get(part)
        english = english if isinstance(english, str) else ""
        if lang == Lang.EN:
            return english
        return (self.fields.get(lang) or {}).get(node.field, {}).get(part) or english


@dataclass(frozen=True, slots=True)
class ProvinceChoice:
    """A current province offered by the form."""

    id: str
    names: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Form:
    """The XLSForm as sheets of text cells."""

    survey: tuple[tuple[str, ...], ...]
    choices: tuple[tuple[str, ...], ...]
    settings: tuple[tuple[str, ...], ...]
    version: str
    langs: tuple[str, ...]

    def workbook(self) -> bytes:
        return spreadsheet.sheets_bytes(
            [("survey", self.survey), ("choices", self.choices), ("settings", self.settings)]
        )


# --- provinces ---------------------------------------------------------------------------------


def provinces(settings: Settings, wanted: Sequence[str] = ()) -> tuple[ProvinceChoice, ...]:
    """The current provinces (no `valid_until`) of the inventory, or those of `wanted` (ids in
    any case); an unknown or former province is a UsageError with the closest ids."""
    current: dict[str, ProvinceChoice] = {}
    former: dict[str, Record] = {}
    for item in records.load_all(settings):
        # A province file that cannot be read, or whose id is not a province id's form (it
        # may be anything, an e-mail address too: never offered on the field teams' phones).
        problems = [item] if isinstance(item, Finding) else malformed_provinces([item])
        for problem in problems:
            if problem.path.startswith(f"{RecordKind.PROVINCE.folder}/"):
                raise UsageError(
                    f"{problem.path}:{problem.line or 1}: {problem.message}",
                    hint=_(
                        "the form offers every current province; fix the file first "
                        "(`ichinv validate` says what is wrong)"
                    ),
                )
        if isinstance(item, Finding):
            continue
        if item.kind is not RecordKind.PROVINCE or item.id is None:
            continue
        if item.data.get("valid_until"):
            former[item.id] = item
            continue
        names = item.data.get("names")
        names = (  # a name holding a contact is no label of a form the teams' phones show
            {k: v for k, v in names.items() if isinstance(v, str) and not shows_sure_contact(v)}
            if isinstance(names, Mapping)
            else {}
        )
        current[item.id] = ProvinceChoice(item.id, names)
    chosen: list[ProvinceChoice] = []
    for raw in wanted:
        wanted_id = raw.strip().upper()
        if wanted_id in current:
            if current[wanted_id] not in chosen:
                chosen.append(current[wanted_id])
            continue
        if wanted_id in former:
            successors = former[wanted_id].data.get("successors") or []
            raise UsageError(
                _(
                    "{id} is a former unit (until {date}); the form offers current provinces only"
                ).format(id=wanted_id, date=former[wanted_id].data.get("valid_until")),
                hint=_("give its successors: {ids}").format(ids=", ".join(map(str, successors)))
                if successors
                else _("give a current province"),
            )
        raise unknown_id("current province", raw, current, RecordKind.PROVINCE.folder)
    if not current:
        raise UsageError(
            _("there are no current provinces in {folder}/: the form could not offer any").format(
                folder=RecordKind.PROVINCE.folder
            ),
            hint=_("run the command in the inventory, which keeps its provinces in provinces/"),
        )
    return tuple(chosen) if wanted else tuple(current[k] for k in sorted(current))


# --- the form ----------------------------------------------------------------------------------


def build(
    spec: FormSpec, texts: FormTexts, provinces: Sequence[ProvinceChoice], langs: Sequence[str]
) -> Form:
    """The XLSForm of `spec` in `langs` (the first is the form's default language)."""
    langs = tuple(langs)
    if not langs:
        raise UsageError(_("the form needs at least one language"), hint=_("e.g. --lang kk,ru,en"))
    writer = _Writer(texts, langs)
    for node in spec.children:
        writer.node(node)
    choices = writer.choices(provinces)
    content = json.dumps([writer.rows, choices], ensure_ascii=False).encode("utf-8")
    version = f"{spec.version}.{hashlib.sha256(content).hexdigest()[:8]}"
    settings_rows = (
        ("form_title", "form_id", "version", "default_language"),
        (
            plain_text(texts.label(langs[0], "form.title")),
            FORM_ID,
            version,
            COLUMN_LANGUAGE[langs[0]],
        ),
    )
    return Form(
        (writer.header(), *writer.rows),
        (writer.choice_header(), *choices),
        settings_rows,
        version,
        langs,
    )


class _Writer:
    """Rows of the survey sheet, in the order of the form, and the choice lists they use."""

    def __init__(self, texts: FormTexts, langs: tuple[str, ...]) -> None:
        self.texts = texts
        self.langs = langs
        self.rows: list[tuple[str, ...]] = []
        self.lists: dict[str, tuple[str, tuple[str, ...]]] = {}
        """List name → (label group, values), in the order first used."""

    def _columns(self, prefix: str) -> list[str]:
        return [f"{prefix}::{COLUMN_LANGUAGE[lang]}" for lang in self.langs]

    def header(self) -> tuple[str, ...]:
        return (
            "type",
            "name",
            *self._columns("label"),
            *self._columns("hint"),
            "required",
            *self._columns("required_message"),
            "relevant",
            "constraint",
            *self._columns("constraint_message"),
            "default",
            "appearance",
            "parameters",
            "calculation",
        )

    def choice_header(self) -> tuple[str, ...]:
        return ("list_name", "name", *self._columns("label"))

    def _row(
        self,
        kind: str,
        name: str,
        labels: Sequence[str] = (),
        hints: Sequence[str] = (),
        question: Question | None = None,
    ) -> None:
        empty = [""] * len(self.langs)
        q = question
        self.rows.append(
            (
                kind,
                name,
                *map(plain_text, labels or empty),
                *map(plain_text, hints or empty),
                q.required if q else "",
                *map(plain_text, self._required_messages(q) if q else empty),
                q.relevant if q else "",
                q.constraint if q else "",
                *map(plain_text, self._constraint_messages(q) if q else empty),
                q.default if q else "",
                q.appearance if q else "",
                q.parameters if q else "",
                q.calculation if q else "",
            )
        )

    def node(self, node: Node, parent: Section | None = None, first: bool = False) -> None:
        if isinstance(node, Section):
            begin, end = (
                ("begin repeat", "end repeat") if node.repeat else ("begin group", "end group")
            )
            labels = [self.texts.field_text(lang, node, "title") for lang in self.langs]
            self._row(begin, node.name, labels)
            for index, child in enumerate(node.children):
                self.node(child, node, index == 0)
            self._row(end, "")
            return
        self._row(self._type(node), node.name, *self._texts(node, parent, first), question=node)

    def _type(self, q: Question) -> str:
        if q.kind in (Kind.SELECT_ONE, Kind.SELECT_MULTIPLE):
            return f"{q.kind.value} {self._list(q)}"
        return q.kind.value

    def _list(self, q: Question) -> str:
        if q.choices in (PROVINCES, LANGUAGES):
            name, group = q.choices, q.choices
        else:
            pattern = tuple(p for p in q.choices.strip("/").split("/"))
            group = self.texts.vocabulary.get(pattern, "")
            name = group or "_".join(p for p in pattern if p != "*")
        values = q.values
        known = self.lists.get(name)
        if known is not None and known[1] != values:
            raise ValueError(f"two fields offer different values under the list {name}")
        self.lists.setdefault(name, (group, values))
        return name

    def _texts(
        self, q: Question, parent: Section | None, first: bool
    ) -> tuple[list[str], list[str]]:
        if q.kind is Kind.CALCULATE:
            return [], []
        if q.text:
            hint_key = f"form.{q.text}_hint"
            has_hint = hint_key in (self.texts.labels.get(Lang.EN) or {})
            return (
                [self.texts.label(lang, f"form.{q.text}") for lang in self.langs],
                [self.texts.label(lang, hint_key) if has_hint else "" for lang in self.langs],
            )
        if q.lang and parent is not None:
            labels = [
                self.texts.label(
                    lang,
                    "form.in_language",
                    field=self.texts.field_text(lang, parent, "title"),
                    language=self._value(lang, "language", q.lang),
                )
                for lang in self.langs
            ]
            hints = [
                self.texts.field_text(lang, parent, "description") if first else ""
                for lang in self.langs
            ]
            return labels, hints
        return (
            [self.texts.field_text(lang, q, "title") for lang in self.langs],
            [self.texts.field_text(lang, q, "description") for lang in self.langs],
        )

    def _value(self, lang: str, group: str, value: str) -> str:
        key = f"value.{group}.{value}"
        table = self.texts.labels.get(lang) or {}
        return table.get(key) or (self.texts.labels.get(Lang.EN) or {}).get(key) or value

    def _required_messages(self, q: Question) -> list[str]:
        if not q.required_text:
            return [""] * len(self.langs)
        return [self.texts.label(lang, f"form.{q.required_text}") for lang in self.langs]

    def _constraint_messages(self, q: Question) -> list[str]:
        return [
            " ".join(
                self.texts.label(lang, f"form.{key}", **values)
                for key, values in q.constraint_texts
            )
            for lang in self.langs
        ]

    def choices(self, provinces: Iterable[ProvinceChoice]) -> list[tuple[str, ...]]:
        rows: list[tuple[str, ...]] = []
        for name, (group, values) in self.lists.items():
            if name == LANGUAGES:
                rows.extend(
                    (name, code, *(ENDONYMS[code] for __ in self.langs)) for code in self.langs
                )
            elif name == PROVINCES:
                rows.extend(
                    (name, p.id, *(_name_in(p.names, lang) or p.id for lang in self.langs))
                    for p in provinces
                )
            else:
                rows.extend(
                    (name, value, *(self._value(lang, group, value) for lang in self.langs))
                    for value in values
                )
        return [(name, value, *map(plain_text, labels)) for name, value, *labels in rows]


REFERENCE_GUARD = "\u2060"
"""A word joiner, which no reader sees, put between the `$` and the `{` of a text's `${`."""


def plain_text(text: str) -> str:
    """A text the teams read (a label, a hint, a message, a province's name) as the form
    shows it: XLSForm tools read `${name}` in it as a reference to the question `name`, and
    refuse the form when there is none (pyxform, ODK Central, KoboToolbox); a word joiner
    between `$` and `{` keeps the text as it reads and leaves it text (an outside attack: a
    province named `… ${nosuch}`). The expressions (relevant, constraint, calculation) keep
    their references."""
    return text.replace("${", f"${REFERENCE_GUARD}{{") if "${" in text else text


def _name_in(names: Mapping[str, str], lang: str) -> str | None:
    """A province's name in `lang`, else in the languages that stand in for it."""
    for code in (lang, *FALLBACK.get(lang, ())):
        if names.get(code):
            return names[code]
    return None


def make(
    settings: Settings,
    texts: FormTexts,
    langs: Sequence[str],
    province_ids: Sequence[str] = (),
) -> Form:
    """The form of the inventory at `settings`: its element schema, its current provinces (or
    those of `province_ids`), in `langs`."""
    from ichinv.exchange import form_spec
    from ichinv.schemas import loader as schema_loader

    schema = schema_loader.load(settings.schema_dir)[RecordKind.ELEMENT]
    return build(form_spec.build(schema), texts, provinces(settings, province_ids), langs)


def question_label(
    texts: FormTexts,
    spec: FormSpec,
    schema_node: Mapping[str, object],
    question: str,
    pattern: str,
    lang: str,
) -> str:
    """What the form calls a question (`consent/date`) in `lang`; for a field no question asks
    for, the field's title (`schema_node`, the sub-schema of `pattern`)."""
    writer = _Writer(texts, (lang,))
    parent: Section | None = None
    node: Node | None = None
    children: tuple[Node, ...] = spec.children
    for name in question.split("/") if question else ():
        found = next((child for child in children if child.name == name), None)
        if found is None:
            node = None
            break
        parent, node = (node if isinstance(node, Section) else parent), found
        children = found.children if isinstance(found, Section) else ()
    if isinstance(node, Question):
        return writer._texts(node, parent, first=False)[0][0]
    if isinstance(node, Section):
        return texts.field_text(lang, node, "title")
    probe = Question("", pattern, Kind.TEXT, dict(schema_node))
    return texts.field_text(lang, probe, "title")
