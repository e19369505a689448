"""The record schemas: loading them, checking them against the metaschema, compiling them, and
the facts derived from their annotations (keyed lists, personal data, key order).

With ichinv.schemas.explain, the only code that imports jsonschema and fastjsonschema. A record
is first checked by a validator compiled with fastjsonschema (tens of microseconds); only a
record it rejects goes through jsonschema, which lists every error with its path
(`raw_errors`, worded by ichinv.schemas.explain). Tests keep the two in agreement.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from ichinv.core import jsontext, pointers, trace
from ichinv.core.errors import ConfigError
from ichinv.core.i18n import N_, _
from ichinv.core.model import RecordKind
from ichinv.io import confined
from ichinv.schemas import ecma, subschemas
from ichinv.schemas.keywords import ANNOTATIONS, shape_of
from ichinv.schemas.sanity import CUSTOM_KEY
from ichinv.schemas.sanity import problem as misshapen
from ichinv.schemas.shape import Shape
from ichinv.schemas.subschemas import Place

FIX_SCHEMA = N_("fix the schema; `ichinv validate` cannot check records against it")
"""The hint of every error of a schema no command can use."""

CUSTOM_PERSONAL = "x-ichinv-personal-data"
"""Annotation on a field that holds personal data (never published)."""

CUSTOM_FUTURE = "x-ichinv-future"
"""Annotation on a date field that may lie in the future (an end or expiry date)."""

CUSTOM_VERSION = "x-ichinv-schema-version"
"""Annotation at the top of a schema: the record format version it describes."""


_COMPILED: dict[str, Callable[[Any], Any] | None] = {}
"""Compiled validators by schema digest, shared by every Schema of this process."""

_LOADED: dict[tuple[RecordKind, str, Path], Schema] = {}
"""Schemas read in this process, by kind, digest of their bytes and folder (a handful at most
in a command; one for each inventory in a process that reads several, as a test run does)."""

_DECODED: dict[tuple[RecordKind, str], Schema] = {}
"""The first schema decoded in this process from each kind and digest of bytes: another folder
holding the same bytes shares what it derived (`_twin`)."""

_CHECKED: set[str] = set()
"""Digests of schema files already checked against the metaschema in this process."""


@dataclass
class Schema:
    """One record schema with its compiled validators and the facts derived from it."""

    kind: RecordKind
    document: dict[str, Any]
    digest: str
    folder: Path | None = None
    """The schema folder it was read from (its translation tables are in `i18n/` there)."""

    @cached_property
    def _validator(self) -> Any:
        from jsonschema import Draft202012Validator

        return Draft202012Validator(self.checked)

    @cached_property
    def inlined(self) -> dict[str, Any]:
        """The schema with every local `$ref` replaced by its target: the same rules, checked
        without reference lookups (2× faster for jsonschema, 7× for fastjsonschema)."""
        return _inline(self.document, self.document, depth=0, left=[MAX_INLINED])

    @cached_property
    def checked(self) -> dict[str, Any]:
        """The inlined schema as both validators read it: its patterns judged as ECMA-262 judges
        them (ichinv.schemas.ecma), so that `$` does not let a final line break through."""
        result: dict[str, Any] = ecma.for_validators(self.inlined)
        return result

    @cached_property
    def fast(self) -> Callable[[Any], Any] | None:
        """The fastjsonschema validator, or None when the schema uses what it cannot compile."""
        if self.digest not in _COMPILED:
            _COMPILED[self.digest] = self._compile()
        return _COMPILED[self.digest]

    def _compile(self) -> Callable[[Any], Any] | None:
        try:
            import copy

            import fastjsonschema

            # fastjsonschema rewrites the $refs of the document it compiles: give it a copy.
            document = copy.deepcopy(self.checked)
            compiled: Callable[[Any], Any] = fastjsonschema.compile(
                document, use_formats=False, detailed_exceptions=False
            )
            return compiled
        except Exception:  # noqa: BLE001 - any compile failure just means "use jsonschema"
            return None

    @property
    def version(self) -> int:
        value = self.document.get(CUSTOM_VERSION, 1)
        return value if isinstance(value, int) else 1

    def is_valid(self, data: Any) -> bool:
        """Fast yes/no check."""
        fast = self.fast
        if fast is None:
            return bool(self._validator.is_valid(data))
        try:
            fast(data)
        except Exception:  # noqa: BLE001 - JsonSchemaValueException and friends
            return False
        return True

    def raw_errors(self, data: Any) -> Iterator[Any]:
        """jsonschema's errors of `data` (ichinv.schemas.explain words them)."""
        return iter(self._validator.iter_errors(data))

    # --- facts derived from annotations -------------------------------------------------------

    @cached_property
    def list_keys(self) -> dict[str, tuple[str, ...]]:
        """Pattern (pointer with `*` for list items) of each keyed list → its key field(s)."""
        return {
            p: (s[CUSTOM_KEY],) if isinstance(s[CUSTOM_KEY], str) else tuple(s[CUSTOM_KEY])
            for p, s in self.walk()
            if CUSTOM_KEY in s
        }

    @cached_property
    def date_fields(self) -> dict[str, bool]:
        """Pattern of each date field → whether it may lie in the future."""
        return {p: bool(s.get(CUSTOM_FUTURE)) for p, s in self.walk() if s.get("format") == "date"}

    @cached_property
    def personal_fields(self) -> tuple[str, ...]:
        """Patterns of fields holding personal data: wherever the annotation stands, in a
        branch of a combinator or condition too (for the field the branch describes), under a
        key any other key matches (`*`), at any depth."""
        return tuple(dict.fromkeys(_marked(self.inlined, "", CUSTOM_PERSONAL)))

    @cached_property
    def shape(self) -> Shape:
        """Which keys, lists and single values records may have (the audience view publishes
        nothing else)."""
        return shape_of(self.inlined)

    @cached_property
    def property_order(self) -> dict[str, list[str]]:
        """Pattern of each mapping → its property names in schema order (canonical key order)."""
        return {p: list(s["properties"]) for p, s in self.walk() if "properties" in s}

    def walk(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every sub-schema reachable from the root, with `$ref`s resolved, by data pattern."""
        yield from _walk(self.document, self.document, "", depth=0)

    def subschema(self, pointer: str) -> dict[str, Any] | None:
        """The sub-schema describing the field at `pointer` (list indices may be numbers)."""
        return subschema(self.document, pointer)

    def title(self, pointer: str, lang: str = "en") -> str | None:
        """The title of the field at `pointer`: the schema's (English), or the one of the
        schema's translation table for `lang` (`schema/i18n/<lang>.json`), if it has one."""
        return self._text(pointer, "title", lang)

    def description(self, pointer: str, lang: str = "en") -> str | None:
        """The description of the field at `pointer`, as `title` finds its title."""
        return self._text(pointer, "description", lang)

    def _text(self, pointer: str, part: str, lang: str) -> str | None:
        if lang != "en":
            texts = self._translated(lang).get(pointers.pattern(pointers.split(pointer)), {})
            return texts.get(part)
        sub = self.subschema(pointer)
        text = sub.get(part) if sub else None
        return text if isinstance(text, str) else None

    def _translated(self, lang: str) -> dict[str, dict[str, str]]:
        """Field pattern → its texts (`title`, `description`) in the translation table of
        `lang` (empty when there is none or it cannot be read: `ichinv schema-docs` reports
        broken tables)."""
        cache: dict[str, dict[str, dict[str, str]]] = self.__dict__.setdefault("_tables", {})
        if lang not in cache:
            found: dict[str, dict[str, str]] = {}
            if self.folder is not None:
                try:
                    path = translation_file(self.folder, lang)
                    table = jsontext.read(confined.read(path, self.folder))
                    fields = table.get("fields", {}) if isinstance(table, dict) else {}
                    prefix = f"{self.kind.value}:"
                    for key, texts in fields.items() if isinstance(fields, dict) else ():
                        if key.startswith(prefix) and isinstance(texts, dict):
                            found[key[len(prefix) :]] = {
                                k: v for k, v in texts.items() if isinstance(v, str) and v
                            }
                except (OSError, confined.Refused, jsontext.Unreadable):
                    pass
            cache[lang] = found
        return cache[lang]


MAX_INLINED = 100_000
"""The most values a schema may hold once its `$ref`s are replaced by their targets (the
repository's element schema: about 1,000; an enum of 26,000 settlements, used once, fits).
Definitions of ten fields, each referring to the one before, multiply at each level: at the
fifth, every command took minutes and gigabytes (found by an outside review), and so did an
enum of 26,000 values referred to from ten fields (1.4 GB; 20 GB from a hundred); at 90,000
values `validate` takes 7 s and 1 GB."""


def _inline(node: Any, root: dict[str, Any], depth: int, left: list[int]) -> Any:
    left[0] -= 1
    if left[0] < 0:
        raise ConfigError(
            _(
                "it holds more than {count} values once its $refs are followed: a definition "
                "is copied wherever it is referred to, and refers to others, many times over"
            ).format(count=MAX_INLINED),
            hint=_("refer to definitions less deeply, or write the parts out once"),
        )
    if depth > 50:
        raise ConfigError(
            _(
                "it nests more than 50 levels deep once its $refs are followed (does one of "
                "them lead back to itself?)"
            )
        )
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = root.get("$defs", {}).get(ref[len("#/$defs/") :])
            if isinstance(target, dict):
                siblings = {
                    k: _inline(v, root, depth + 1, left) for k, v in node.items() if k != "$ref"
                }
                inlined = _inline(target, root, depth + 1, left)
                if all(k in ANNOTATIONS or k.startswith("x-") for k in siblings):
                    return {**inlined, **siblings}  # a title, a description: the field's own
                # Keywords beside a $ref apply as well as the target's, not instead of them
                # (a sibling `pattern` replaced the target's vocabulary: a public view printed
                # what the schema refused).
                return {"allOf": [inlined, siblings]}
        return {k: _inline(v, root, depth + 1, left) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, root, depth + 1, left) for v in node]
    return node


def subschema(document: dict[str, Any], pointer: str) -> dict[str, Any] | None:
    """The sub-schema of `document` describing the field at `pointer` (list indices may be
    numbers or `*`)."""
    node: dict[str, Any] | None = _resolve(document, document)
    for part in pointers.split(pointer):
        if node is None:
            return None
        node = _child(document, node, part)
    return node


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in node and seen < 20:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return node
        target: Any = root
        for part in pointers.split(ref[1:]):
            target = target[part]
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        node = merged
        seen += 1
    return node


def _child(root: dict[str, Any], node: dict[str, Any], part: str) -> dict[str, Any] | None:
    if "properties" in node and part in node["properties"]:
        return _resolve(root, node["properties"][part])
    if part.isdigit() or part == "*":
        items = node.get("items")
        return _resolve(root, items) if isinstance(items, dict) else None
    for pattern, sub in node.get("patternProperties", {}).items():
        if ecma.search(pattern, part):
            return _resolve(root, sub)
    extra = node.get("additionalProperties")
    return _resolve(root, extra) if isinstance(extra, dict) else None


def _walk(
    root: dict[str, Any], node: dict[str, Any], path: str, depth: int
) -> Iterator[tuple[str, dict[str, Any]]]:
    if depth > 20:
        return
    node = _resolve(root, node)
    yield path, node
    for name, sub in node.get("properties", {}).items():
        yield from _walk(root, sub, f"{path}/{name}", depth + 1)
    for sub in node.get("patternProperties", {}).values():
        yield from _walk(root, sub, f"{path}/*", depth + 1)
    items = node.get("items")
    if isinstance(items, dict):
        yield from _walk(root, items, f"{path}/*", depth + 1)


def _marked(node: Any, path: str, annotation: str) -> Iterator[str]:
    """Patterns (`*` for any key or item) of every part of an inlined schema carrying a
    true `annotation`, reading every keyword that holds sub-schemas (ichinv.schemas.
    subschemas): a mark in a branch counts for the value the branch describes, one under
    `propertyNames` for the mapping's values too, one under `contentSchema` for the text."""
    if isinstance(node, list):  # a schema where one belongs (`sanity` refuses it): read all
        for sub in node:
            yield from _marked(sub, path, annotation)
        return
    if not isinstance(node, dict):
        return
    if node.get(annotation):
        yield path
    for keyword, name, sub in subschemas.held(node):
        if keyword.place is Place.NAMED and name is not None:
            yield from _marked(sub, f"{path}/{pointers.escape(name)}", annotation)
        elif keyword.place in (Place.INSIDE, Place.KEYS):
            yield from _marked(sub, f"{path}/*", annotation)
        elif keyword.place in (Place.SAME, Place.CONTENT):
            yield from _marked(sub, path, annotation)


# --- loading ---------------------------------------------------------------------------------------


class SchemaSet(Mapping[RecordKind, Schema]):
    """The schemas of an inventory, by record kind."""

    def __init__(self, schemas: dict[RecordKind, Schema]) -> None:
        self._schemas = schemas

    def __getitem__(self, kind: RecordKind) -> Schema:
        return self._schemas[kind]

    def __iter__(self) -> Iterator[RecordKind]:
        return iter(self._schemas)

    def __len__(self) -> int:
        return len(self._schemas)

    @property
    def digest(self) -> str:
        """One hash over every schema: part of the validation cache key."""
        return hashlib.sha256(
            "".join(s.digest for s in self._schemas.values()).encode()
        ).hexdigest()


def checked_digests() -> frozenset[str]:
    """Digests of the schema files found valid against the metaschema in this process."""
    return frozenset(_CHECKED)


def load_schema(kind: RecordKind, path: Path, *, check: bool = True) -> Schema:
    """Read one schema file and check it against the draft 2020-12 metaschema.

    The same bytes give the same `Schema` for the rest of the process (decoded, compiled and
    its annotations derived once, however many parts of a command ask for it)."""
    try:
        raw = confined.read(path, path.parent)
    except FileNotFoundError:
        raise ConfigError(
            _("the schema {name} is missing from {parent}").format(
                name=path.name, parent=path.parent
            ),
            hint=_(
                "an inventory keeps its schemas in schema/; copy them from the ichinv repository"
            ),
        ) from None
    digest = hashlib.sha256(raw).hexdigest()
    known = _LOADED.get((kind, digest, path.parent))
    if known is None and (kind, digest) in _DECODED:
        known = _LOADED[(kind, digest, path.parent)] = _twin(_DECODED[kind, digest], path.parent)
    if known is None:
        trace.count("schema-load", str(path))
        try:
            document = jsontext.read(raw)
        except jsontext.Unreadable as problem:
            raise ConfigError(
                problem.in_file(f"{path.parent.name}/{path.name}"),
                hint=_(FIX_SCHEMA),
            ) from None
        wrong = misshapen(document)
        if wrong is not None:
            raise _unusable(path, wrong, _(FIX_SCHEMA))
    else:
        document = known.document
    if check and digest not in _CHECKED:
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import SchemaError as JsonSchemaError

        try:
            Draft202012Validator.check_schema(document)
        except JsonSchemaError as exc:
            raise ConfigError(
                _("the schema {name} is not a valid JSON Schema (draft 2020-12): {message}").format(
                    name=path.name, message=exc.message
                ),
                hint=_(FIX_SCHEMA),
            ) from None
        _CHECKED.add(digest)
    if known is None:
        schema = Schema(kind=kind, document=document, digest=digest, folder=path.parent)
        try:  # inlines it: too deep or too large, said here, with the schema's name
            whole = "" in schema.personal_fields
        except ConfigError as problem:
            raise _unusable(path, problem.message, problem.hint) from None
        if whole:
            # The record itself "personal": no pointer names it, and a public view keyed by
            # its fields would take that for no mark at all (found by an outside review).
            raise _unusable(
                path,
                _(
                    "x-ichinv-personal-data marks the whole record; mark the fields that "
                    "hold personal data"
                ),
                _(FIX_SCHEMA),
            )
        known = _LOADED[(kind, digest, path.parent)] = _DECODED[kind, digest] = schema
    return known


_OWN = frozenset({*(f.name for f in dataclasses.fields(Schema)), "_tables"})
"""What a schema holds of its own folder (`folder`; `_tables`, the translation tables read
from it) besides its fields; all else it holds was derived from its document alone."""


def _twin(schema: Schema, folder: Path) -> Schema:
    """`schema` as read from the same bytes in `folder`: what it derived from its document so far
    (inlined, compiled, its annotations) is shared, its translation tables are `folder`'s."""
    twin = dataclasses.replace(schema, folder=folder)
    twin.__dict__.update({k: v for k, v in schema.__dict__.items() if k not in _OWN})
    return twin


def _unusable(path: Path, problem: str, hint: str | None) -> ConfigError:
    """The error of a schema no command can use, naming it and what is wrong."""
    return ConfigError(
        _("the schema {name} cannot be used: {problem}").format(
            name=f"{path.parent.name}/{path.name}", problem=problem
        ),
        hint=hint,
    )


TRANSLATIONS = "i18n"
"""The folder of a schema folder that holds a translation table for each language of
messages (`schema/i18n/kk.json`): the schemas' titles and descriptions in that language."""


def translation_file(schema_dir: Path, lang: str) -> Path:
    """Where the schemas at `schema_dir` keep their translation table for `lang`."""
    return schema_dir / TRANSLATIONS / f"{lang}.json"


def load(schema_dir: Path, *, checked: Collection[str] = ()) -> SchemaSet:
    """The element and province schemas of the inventory at `schema_dir`.

    `checked`: digests of schema files an earlier run found valid (the validation cache
    remembers them), so they are not checked against the metaschema again.
    """
    _CHECKED.update(checked)
    return SchemaSet(
        {kind: load_schema(kind, schema_dir / f"{kind.value}.schema.json") for kind in RecordKind}
    )


def key_orders(schema_dir: Path) -> dict[RecordKind, dict[str, list[str]]]:
    """The canonical key order of each record kind, from its schema (`Schema.property_order`):
    what writers insert new keys by and what `ichinv fmt` sorts by."""
    return {
        kind: load_schema(
            kind, schema_dir / f"{kind.value}.schema.json", check=False
        ).property_order
        for kind in RecordKind
    }
