"""Schema errors in plain language: what is wrong, where (a JSON pointer, and the field as
editors name it: ichinv.schemas.naming), and a hint that fixes it.

Each jsonschema error becomes one or more `SchemaError` values (a missing field each, an
unknown key each, with "did you mean"), worded for editors who are heritage specialists.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ichinv.core import pointers
from ichinv.core.i18n import N_, _, ngettext
from ichinv.core.model import Severity
from ichinv.core.vocabulary import ELEMENT_ID_PATTERN, PROVINCE_ID_PATTERN
from ichinv.schemas import ecma
from ichinv.schemas.hints import fields_hint, number, passes, single_value_hint
from ichinv.schemas.loader import Schema
from ichinv.schemas.naming import did_you_mean, field_name, label, show
from ichinv.schemas.unknown_keys import unknown_in, unknown_key


@dataclass(frozen=True, slots=True)
class SchemaError:
    """A schema violation as plain values: what `validation` turns into a Finding."""

    rule: str
    pointer: str
    message: str
    hint: str | None = None
    at_key: bool = False
    severity: Severity = Severity.ERROR
    meant: str | None = field(default=None, compare=False)
    """Of an unknown key: the pointer of the field it surely stands for (ichinv.schemas.
    unknown_keys), whose being missing is the same mistake, not told again."""
    unquoted: str | None = field(default=None, compare=False)
    """The message said without any value of the record (`status` is not one of the allowed
    values: …), for a report that may not quote the value (the public view withholds a value
    that does not fit the schema: ichinv.inventory.withheld_words); None where the message
    cannot be said without it (an unknown key's name may be anyone's)."""


_SAME = "\x00same"
"""`unquoted` of a message that quotes no value of the record: the message itself (`errors`
puts it there)."""


def suggest(word: str, options: Any) -> str | None:
    """The option closest to `word` (difflib's, else the same word in other case), if any."""
    candidates = [str(o) for o in options]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in candidates}
        hit = lowered.get(word.lower().strip())
        return hit
    return close[0]


SCHEMA_RULES: dict[str, str] = {
    "schema.type": N_("A field holds the kind of value the schema asks for (text, number, list…)."),
    "schema.enum": N_("A field holds one of its allowed values."),
    "schema.const": N_("A field holds the one value the schema fixes."),
    "schema.required": N_("Every required field is present."),
    "schema.additionalProperties": N_("No field is unknown to the schema."),
    "schema.propertyNames": N_("Field names have the form the schema asks for."),
    "schema.pattern": N_("Text has the form the schema asks for (identifiers, dates, addresses)."),
    "schema.format": N_("Text is a valid value of its format (such as a date)."),
    "schema.minLength": N_("Text is not empty."),
    "schema.maxLength": N_("Text stays within its maximum length."),
    "schema.minimum": N_("A number is not below its minimum."),
    "schema.maximum": N_("A number is not above its maximum."),
    "schema.exclusiveMinimum": N_("A number is above its lower bound."),
    "schema.exclusiveMaximum": N_("A number is below its upper bound."),
    "schema.multipleOf": N_("A number is a multiple of the step the schema sets."),
    "schema.minItems": N_("A list has at least as many items as the schema asks for."),
    "schema.maxItems": N_("A list has no more items than the schema allows."),
    "schema.uniqueItems": N_("A list holds no item twice."),
    "schema.contains": N_("A list holds an item of the kind the schema asks for."),
    "schema.minContains": N_("A list holds enough items of the kind the schema asks for."),
    "schema.maxContains": N_("A list holds no more items of a kind than the schema allows."),
    "schema.minProperties": N_("A group of fields has at least as many as the schema asks for."),
    "schema.maxProperties": N_("A group of fields has no more than the schema allows."),
    "schema.dependentRequired": N_("Fields that go together are given together."),
    "schema.unevaluatedProperties": N_("No field is unknown to the schema."),
    "schema.unevaluatedItems": N_("A list holds no item the schema does not describe."),
    "schema.items": N_("Every item of a list is of the kind the schema asks for."),
    "schema.not": N_("A value is not of a form the schema excludes."),
    "schema.oneOf": N_("A value matches exactly one of the forms the schema allows."),
    "schema.anyOf": N_("A value matches at least one of the forms the schema allows."),
}
"""The rules a schema check can report (`schema.<keyword>`, the keyword of the jsonschema error
_explain words), with what each asks: validate's other rules are ichinv.core.catalogue's."""

EXPECTED = {
    "string": N_("text"),
    "integer": N_("a whole number"),
    "object": N_("a group of fields (`key: value` lines)"),
    "array": N_("a list"),
    "boolean": N_("true or false"),
    "number": N_("a number"),
}
"""What a JSON type is called in messages."""


def _explain(error: Any, schema: Schema, data: Any) -> Iterator[SchemaError]:
    validator = error.validator
    pointer = pointers.join(error.absolute_path)
    rule = f"schema.{validator}"
    where = field_name(pointer, schema)
    instance = error.instance
    value = error.validator_value
    sub = schema.subschema(pointer) or {}
    examples = sub.get("examples")

    if validator == "required":
        missing = [name for name in value if isinstance(instance, dict) and name not in instance]
        for name in missing:
            child = f"{pointer}/{name}"
            yield SchemaError(
                rule,
                child,
                # named by its own key where the message names the mapping it is missing from
                _("{field} is missing from {where}").format(
                    field=label(child, [name], schema), where=where
                )
                if pointer
                else _("{field} is missing").format(field=field_name(child, schema)),
                hint=_("add `{name}:` — for example {example}").format(
                    name=name, example=show(examples[0])
                )
                if examples
                else _("add `{name}:`").format(name=name),
                unquoted=_SAME,
            )
        return
    if validator == "additionalProperties" and isinstance(instance, dict):
        for key in instance:
            if not unknown_in(sub, key):
                continue
            said = unknown_key(schema, pointer, key, where)
            yield SchemaError(
                rule,
                f"{pointer}/{pointers.escape(key)}",
                said.message,
                said.hint,
                at_key=True,
                meant=said.meant,
            )
        return
    if validator == "enum":
        words = ", ".join(str(v) for v in value)
        if instance is None or isinstance(instance, list | dict):
            # `status:` left empty, or a list or fields where one word belongs: one finding
            # (the type's, which says no more, is left out: _one_a_mistake)
            message = (
                _("{where} is empty; it must be one of the allowed values: {allowed}")
                if instance is None
                else _("{where} must be one of the allowed values ({allowed}), not {found}")
            )
            yield SchemaError(
                rule,
                pointer,
                message.format(where=where, allowed=words, found=_kind_of(instance)),
                hint=single_value_hint(pointer, instance, value),
                unquoted=_SAME,
            )
            return
        guess = suggest(str(instance), value) if isinstance(instance, str) else None
        yield SchemaError(
            rule,
            pointer,
            _("{where}: {value} is not one of the allowed values: {allowed}").format(
                where=where, value=show(instance), allowed=words
            ),
            hint=did_you_mean(guess) if guess else None,
            unquoted=_("{where} is not one of the allowed values: {allowed}").format(
                where=where, allowed=words
            ),
        )
        return
    if validator == "type":
        wanted = value if isinstance(value, list) else [value]
        hint = None
        if "string" in wanted and isinstance(instance, bool | int | float):
            # only where the value as text is allowed (`status: 5`: "5" is not either)
            if passes(schema, data, pointer, json.dumps(instance)):
                hint = _("put the value in quotes to keep it as text")
        elif {"integer", "number"} & set(wanted) and isinstance(instance, str):
            written = number(instance)
            if written is not None and passes(schema, data, pointer, written):
                hint = _("write the number without quotation marks")
        elif "array" in wanted and not isinstance(instance, list):
            hint = _("write it as a list: one `- item` per line, or [a, b]")
        elif "object" in wanted and not isinstance(instance, dict):
            hint = fields_hint(sub)
        expected = _(" or ").join(
            _(EXPECTED[str(w)]) if str(w) in EXPECTED else str(w) for w in wanted
        )
        yield SchemaError(
            rule,
            pointer,
            _("{where} must be {expected}, not {found}").format(
                where=where, expected=expected, found=_kind_of(instance)
            ),
            hint=hint,
            unquoted=_("{where} must be {expected}, not {found}").format(
                where=where, expected=expected, found=_kind_of(instance, quoted=False)
            ),
        )
        return
    if validator == "pattern":
        form = _PATTERN_FORMS.get(value)
        hint = (
            _("write it in capital letters")
            if isinstance(instance, str)
            and instance.upper() != instance
            and passes(schema, data, pointer, instance.upper())
            else _("expected something like {example}").format(example=show(examples[0]))
            if examples
            else _pattern_hint(value)
        )
        yield SchemaError(
            rule,
            pointer,
            (
                _("{where}: {value} is not {form}").format(
                    where=where, value=show(instance), form=_(form)
                )
                if form
                else _("{where}: {value} is not in the expected form").format(
                    where=where, value=show(instance)
                )
            ),
            hint=hint,
            unquoted=_("{where} must be {form}").format(where=where, form=_(form))
            if form
            else _("{where} is not in the expected form").format(where=where),
        )
        return
    if validator in ("minItems", "minProperties"):
        yield SchemaError(
            rule,
            pointer,
            _("{where} must not be empty").format(where=where),
            hint=_("add at least one entry"),
            unquoted=_SAME,
        )
        return
    if validator == "uniqueItems":
        repeated = next(
            (i for i, item in enumerate(instance) if item in instance[:i]), len(instance) - 1
        )
        first = instance.index(instance[repeated]) if repeated else 0
        message = (
            _("{where} lists {value} more than once")
            if not isinstance(instance[repeated], list | dict)
            else _("{where}: item {index} is the same as item {first}")
        )  # (an entry of fields is not shown as JSON)
        yield SchemaError(
            rule,
            f"{pointer}/{repeated}",
            message.format(
                where=where, value=show(instance[repeated]), index=repeated + 1, first=first + 1
            ),
            hint=_("remove the repeated entry"),
            unquoted=_("{where}: item {index} is the same as item {first}").format(
                where=where, index=repeated + 1, first=first + 1
            ),
        )
        return
    if validator == "minLength":
        yield SchemaError(
            rule,
            pointer,
            _("{where} is empty").format(where=where),
            hint=_("write the text, or remove the field"),
            unquoted=_SAME,
        )
        return
    if validator == "maxLength":
        yield SchemaError(
            rule,
            pointer,
            ngettext(
                "{where} is longer than {limit} character",
                "{where} is longer than {limit} characters",
                value,
            ).format(where=where, limit=value),
            hint=_("shorten it; long texts belong in description"),
            unquoted=_SAME,
        )
        return
    if validator in ("minimum", "maximum"):
        hint = (
            _(
                "this record is written for a newer record format than this ichinv knows: "
                "update ichinv, or write {version} if the number is a typo"
            ).format(version=value)
            if pointer == "/schema_version" and validator == "maximum"
            else None
        )
        message = (
            _("{where} must be at least {limit}, not {value}")
            if validator == "minimum"
            else _("{where} must be at most {limit}, not {value}")
        )
        yield SchemaError(
            rule,
            pointer,
            message.format(where=where, limit=value, value=show(instance)),
            hint,
            unquoted=(
                _("{where} must be at least {limit}")
                if validator == "minimum"
                else _("{where} must be at most {limit}")
            ).format(where=where, limit=value),
        )
        return
    # Any other keyword (`anyOf`, `oneOf`, `format`…): jsonschema's own words quote the value,
    # which may be anything (a phone number where a date belongs); the rule is named instead.
    if validator in ("anyOf", "oneOf"):
        message = _("{where} has none of the forms the schema allows here")
    else:
        message = _("{where} breaks the schema's rule `{keyword}`")
    yield SchemaError(rule, pointer, message.format(where=where, keyword=validator), unquoted=_SAME)


def _kind_of(value: Any, *, quoted: bool = True) -> str:
    """What `value` is, as messages say it (`quoted`: the number or text itself too)."""
    if value is None:
        return _("empty")
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("the number {value}").format(value=value) if quoted else _("a number")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a group of fields")
    return _("the text {value}").format(value=show(value)) if quoted else _("text")


DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

PATTERN_FORMS = {
    DATE_PATTERN: N_("a date written YYYY-MM-DD"),
    "^https?://[^\\s]+$": N_("a web address"),
    PROVINCE_ID_PATTERN: N_("a province identifier"),
    ELEMENT_ID_PATTERN: N_("an element identifier"),
}
"""What a text of a known pattern is, as messages say it (the hint says how it is written)."""

PATTERN_HINTS = {
    DATE_PATTERN: N_("write it YYYY-MM-DD, for example 2024-03-12"),
    "^https?://[^\\s]+$": N_("web addresses start with https:// or http://"),
    PROVINCE_ID_PATTERN: N_("province identifiers look like KZ-31 (see provinces/)"),
    ELEMENT_ID_PATTERN: N_("element identifiers look like KZ-2013-0001"),
}


_PATTERN_HINTS = {ecma.python(pattern): hint for pattern, hint in PATTERN_HINTS.items()}
_PATTERN_FORMS = {ecma.python(pattern): form for pattern, form in PATTERN_FORMS.items()}


def _pattern_hint(pattern: str) -> str | None:
    # `pattern` is as the validator read it (ichinv.schemas.ecma.python): so are the keys here.
    known = _PATTERN_HINTS.get(pattern)
    return _(known) if known else None


def errors(schema: Schema, data: Any) -> list[SchemaError]:
    """Every schema error of `data`, in plain language: one finding for one mistake."""
    raw = _one_a_mistake(list(schema.raw_errors(data)))
    result: list[SchemaError] = []
    for error in raw:
        result.extend(
            dataclasses.replace(e, unquoted=e.message) if e.unquoted == _SAME else e
            for e in _explain(error, schema, data)
        )
    # A field missing whose name was mistyped (`nam:`, `соnsent:` with Cyrillic letters) is
    # the mistyped key's finding: one mistake, one finding.
    meant = {e.meant for e in result if e.meant}
    result = [e for e in result if not (e.rule == "schema.required" and e.pointer in meant)]
    # A field matched by both `properties` and `patternProperties` (`names.en`) is checked by
    # both: one finding is enough.
    return list(dict.fromkeys(result))


_LISTED = frozenset({"enum", "const"})


def _one_a_mistake(raw: list[Any]) -> list[Any]:
    """jsonschema's errors without those another one at the same value explains: the allowed
    values say what the value must be, so that its type is not told besides (`status: 5` was
    "not one of the allowed values" and "must be text", with a hint to quote it that left it
    wrong; `status:` left empty, two findings)."""
    listed = {tuple(e.absolute_path) for e in raw if e.validator in _LISTED}
    return [e for e in raw if e.validator != "type" or tuple(e.absolute_path) not in listed]


def check(schema: Schema, data: Any) -> list[SchemaError]:
    """Errors of `data`; empty (and cheap) when it is valid."""
    return [] if schema.is_valid(data) else errors(schema, data)
