"""`ichinv new`: a new element's record, from the commented skeleton in templates/new-element.yaml.

The template is a record with empty fields and comments that explain them. The values the
editor gave (names, domains, national category, provinces) are filled in through the round-trip editor, the
file gets the next free id (`idalloc`), and the fields that `validate` would still report are
listed in plain words: once they are filled, the record validates.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ichinv.core import i18n, pointers
from ichinv.core.errors import ConfigError, UsageError, typed
from ichinv.core.i18n import _
from ichinv.core.model import Record, RecordKind, Severity
from ichinv.core.vocabulary import FALLBACK
from ichinv.inventory import ids as idalloc
from ichinv.inventory import record_files as records
from ichinv.inventory import record_folders
from ichinv.inventory.folder_entries import KEEP
from ichinv.inventory.unreadable import read_record
from ichinv.io import confined
from ichinv.io import editor as yamlio
from ichinv.io import strict_yaml as yamlload
from ichinv.io.settings import Settings
from ichinv.schemas import loader as schema_loader
from ichinv.schemas.loader import Schema
from ichinv.validate import file_check

TEMPLATE = "new-element.yaml"
"""File name of the skeleton in the inventory's templates/ folder."""

NAME_LANGUAGES = ("kk", "ru", "en")


@dataclass(frozen=True, slots=True)
class NewElement:
    """What the editor said about a new element; anything left out stays to be filled in."""

    year: int
    """Year the element enters the inventory: the YYYY of its id."""
    names: Mapping[str, str] = field(default_factory=dict)
    """Name by language (`kk`, `ru`, `en`); empty names are left out."""
    domains: tuple[str, ...] = ()
    category: str | None = None
    """National category, I–V."""
    provinces: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ToFill:
    """A field the new record still needs, in plain words."""

    field: str
    """Where it is, e.g. `description.en` or `communities[1].name`."""
    title: str
    """What the field is (the schema's title)."""
    guidance: str
    """How to fill it (the first sentence of the schema's description), or the problem."""
    severity: Severity
    """`error`: validate fails until it is filled; `warning`/`info`: recommended."""


@dataclass(frozen=True, slots=True)
class Created:
    """The new record."""

    id: str
    path: str
    """Relative to the inventory root."""
    to_fill: tuple[ToFill, ...]


@dataclass(frozen=True, slots=True)
class Choices:
    """The values an editor may pick from, read from the schema and provinces/."""

    domains: tuple[str, ...]
    categories: tuple[str, ...]
    provinces: Mapping[str, str]
    """Current province id → name in the language of messages (else another, as always)."""


def choices(settings: Settings) -> Choices:
    """Domains and categories from the element schema; current provinces from provinces/."""
    schema = schema_loader.load_schema(
        RecordKind.ELEMENT, settings.schema_file(RecordKind.ELEMENT), check=False
    )
    domains = (schema.subschema("/domains/0") or {}).get("enum", [])
    categories = (schema.subschema("/national_category") or {}).get("enum", [])
    provinces: dict[str, str] = {}
    for item in records.load_all(settings):
        if not isinstance(item, Record) or item.kind is not RecordKind.PROVINCE:
            continue
        if item.id is None or item.data.get("valid_until"):
            continue
        names = item.data.get("names")
        names = names if isinstance(names, Mapping) else {}
        lang = i18n.current()
        provinces[item.id] = str(
            next((names[code] for code in (lang, *FALLBACK[lang]) if names.get(code)), item.id)
        )
    return Choices(tuple(domains), tuple(categories), dict(sorted(provinces.items())))


def _pick(
    wrong: str, value: str, allowed: Mapping[str, str] | tuple[str, ...], flag: str, kind: str
) -> str:
    """`value` as one of `allowed`, else a UsageError: `wrong` says so (with `{value}`),
    `kind` names what the option takes when the options are too many to list."""
    options = list(allowed)
    if value in options:
        return value
    lowered = {o.lower(): o for o in options}
    if value.strip().lower() in lowered:
        return lowered[value.strip().lower()]
    guess = difflib.get_close_matches(value, options, n=1, cutoff=0.5)
    listing = (
        _("{option} takes one of: {values}").format(option=flag, values=", ".join(options))
        if len(options) <= 30
        else kind.format(option=flag)
    )
    raise UsageError(
        wrong.format(value=typed(value)),
        hint=_("did you mean {guess!r}? {listing}").format(guess=guess[0], listing=listing)
        if guess
        else listing,
    )


def check_domain(value: str, allowed: Choices) -> str:
    return _pick(
        _("{value!r} is not a Convention domain"),
        value,
        allowed.domains,
        "--domain",
        _("{option} takes a Convention domain"),
    )


def check_category(value: str, allowed: Choices) -> str:
    return _pick(
        _("{value!r} is not a national category"),
        value.strip().upper(),
        allowed.categories,
        "--category",
        _("{option} takes a national category"),
    )


def check_province(value: str, allowed: Choices) -> str:
    return _pick(
        _("{value!r} is not a current province id"),
        value.strip().upper(),
        allowed.provinces,
        "--province",
        _("{option} takes the id of a current province"),
    )


def check(element: NewElement, allowed: Choices, today: dt.date) -> NewElement:
    """`element` with every value checked and normalised (UsageError on a wrong one; a year
    after `today`'s is one)."""
    idalloc.check_year(element.year, today=today)
    unknown = sorted(set(element.names) - set(NAME_LANGUAGES))
    if unknown:
        raise UsageError(
            _("names in {languages} cannot be given here").format(languages=", ".join(unknown))
        )
    return NewElement(
        year=element.year,
        names={k: v.strip() for k, v in element.names.items() if v and v.strip()},
        domains=tuple(dict.fromkeys(check_domain(d, allowed) for d in element.domains)),
        category=check_category(element.category, allowed) if element.category else None,
        provinces=tuple(dict.fromkeys(check_province(p, allowed) for p in element.provinces)),
    )


def render(settings: Settings, element: NewElement, element_id: str, today: dt.date) -> str:
    """The text of the new record: the template with the given values filled in."""
    templates = settings.templates_dir
    template = templates / TEMPLATE
    try:
        raw = confined.read(template, templates)
    except FileNotFoundError:
        raise ConfigError(
            _("the template {path} is missing").format(path=settings.relative(template)),
            hint=_("copy templates/new-element.yaml from the ichinv repository into the inventory"),
        ) from None
    schema = schema_loader.load_schema(
        RecordKind.ELEMENT, settings.schema_file(RecordKind.ELEMENT), check=False
    )
    document = yamlio.load(raw, settings.relative(template), schema.property_order)
    if document.get("/schema_version") is not None or schema.version > 1:
        document.set("/schema_version", schema.version)
    document.set("/id", element_id)
    for language in NAME_LANGUAGES:
        if element.names.get(language):
            document.set(f"/names/{language}", element.names[language])
        elif language not in ("kk", "ru"):
            document.delete(f"/names/{language}")
    if element.domains:
        document.set("/domains", list(element.domains))
    if element.category:
        document.set("/national_category", element.category)
    else:
        document.delete("/national_category")
    if element.provinces:
        document.set("/provinces", list(element.provinces))
    if element.year == today.year and document.get("/provenance/entered") is None:
        document.set("/provenance/entered", today.isoformat())
    document.path = f"elements/{element_id}.yaml"
    return yamlio.dump(document)


def refuse_unusable_folder(settings: Settings) -> None:
    """A UsageError (exit 2) when elements/ cannot take a new record of this repository: a
    file, or no folder of the inventory's own repository (a symbolic link leading out of the
    inventory or nowhere, another git repository, a gitlink: ichinv.inventory.record_folders,
    whose records `validate` does not read). The new record was written through a link
    leading out, outside the repository (exit 0). Asked before any question."""
    kind = RecordKind.ELEMENT
    folder = settings.folder(kind)
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            _("{folder} is a file, not a folder: new records cannot be written into it").format(
                folder=folder
            ),
            hint=_("move the file away, so that {name}/ can hold one YAML file per element").format(
                name=folder.name
            ),
        )
    problem = record_folders.check(settings, kind)
    if problem is None and folder.is_dir() and _only_kept(folder):
        problem = record_folders.gitlink(settings, kind)  # what a clone makes of a gitlink
    if problem is not None:
        raise UsageError(
            _("the new record was not written: {problem}").format(problem=problem.message),
            hint=problem.hint,
        )


def _only_kept(folder: Path) -> bool:
    """Whether `folder` holds nothing but a .gitkeep file (a clone's empty gitlink)."""
    try:
        with os.scandir(folder) as entries:
            return all(entry.name == KEEP for entry in entries)
    except OSError:
        return False


def create(
    settings: Settings, element: NewElement, today: dt.date, *, complete: bool = True
) -> Created:
    """Write the new record under the next free id of its year; what is left to fill in.
    Without the whole git history, HistoryIncomplete unless not `complete`; a UsageError
    when elements/ cannot take it (`refuse_unusable_folder`)."""
    refuse_unusable_folder(settings)
    allocation = idalloc.create(
        settings,
        element.year,
        lambda element_id: render(settings, element, element_id, today),
        complete=complete,
    )
    raw = read_record(settings, allocation.rel, allocation.id)
    return Created(allocation.id, allocation.rel, to_fill(settings, allocation.rel, raw, today))


def to_fill(settings: Settings, rel: str, raw: bytes, today: dt.date) -> tuple[ToFill, ...]:
    """The findings `validate` has on the record file alone, as fields to fill in."""
    schema_set = schema_loader.load(settings.schema_dir)
    check_result = file_check.check_file(
        RecordKind.ELEMENT, rel, raw, schema_set, settings.root, today
    )
    schema = schema_set[RecordKind.ELEMENT]
    data, __ = yamlload.load(raw)
    result: list[ToFill] = []
    seen: set[str] = set()
    for finding in sorted(
        check_result.findings, key=lambda f: (f.severity != "error", f.line or 0)
    ):
        pointer = finding.pointer
        key = f"{pointer}|{finding.rule}"
        if key in seen:
            continue
        seen.add(key)
        title, description = _explain(schema, pointer)
        empty = _is_empty(data, pointer)
        guidance = _first_sentence(description) if empty and description else finding.message
        result.append(ToFill(_label(pointer), title, guidance, finding.severity))
    return tuple(result)


def _explain(schema: Schema, pointer: str) -> tuple[str, str]:
    """Title and description of the field at `pointer`; for a field under a pattern (a
    description in one language) those of its parent, naming the key."""
    if not pointer:
        return "", ""
    lang = i18n.current()
    title = schema.title(pointer, lang) or (schema.title(pointer) if lang != "en" else None)
    if title:
        return title, schema.description(pointer, lang) or schema.description(pointer) or ""
    parent_pointer, __, key = pointer.rpartition("/")
    parent = schema.title(parent_pointer, lang) or schema.title(parent_pointer)
    if parent and not key.isdigit():
        description = (
            schema.description(parent_pointer, lang) or schema.description(parent_pointer) or ""
        )
        return f"{parent} ({key})", description
    return "", ""


def _is_empty(data: object, pointer: str) -> bool:
    node = data
    for part in pointers.split(pointer):
        if isinstance(node, dict):
            if part not in node:
                return True
            node = node[part]
        elif (
            isinstance(node, list) and (part.isascii() and part.isdigit()) and int(part) < len(node)
        ):
            node = node[int(part)]
        else:
            return True
    return node is None


def _label(pointer: str) -> str:
    if not pointer:
        return _("(the record)")
    label = ""
    for part in pointers.split(pointer):
        label += (
            f"[{int(part) + 1}]"
            if (part.isascii() and part.isdigit())
            else ("." if label else "") + part
        )
    return label


_SENTENCE_END = re.compile(
    r"(?<!\bNo)(?<!\be\.g)(?<!\bi\.e)(?<!\bт\.б)(?<!\bт\.е)(?<!\bнапр)(?<!\bмыс)"
    r"\.\s+(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ])"
)
"""The end of a sentence in English, Kazakh or Russian (not that of an abbreviation)."""


def _first_sentence(text: str) -> str:
    match = _SENTENCE_END.search(text)
    return text if match is None else text[: match.start() + 1]
