"""Schema errors in plain language: what is wrong, where (a JSON pointer), and a hint.

Each jsonschema error becomes one or more `SchemaError` values (a missing field each, an
unknown key each, with "did you mean"), worded for editors who are heritage specialists.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ichinv.core import pointers
from ichinv.core.model import Severity
from ichinv.core.vocabulary import ELEMENT_ID_PATTERN, PROVINCE_ID_PATTERN
from ichinv.schemas.loader import Schema, subschema


@dataclass(frozen=True, slots=True)
class SchemaError:
    """A schema violation as plain values: what `validation` turns into a Finding."""

    rule: str
    pointer: str
    message: str
    hint: str | None = None
    at_key: bool = False
    severity: Severity = Severity.ERROR


def _name(pointer: str, schema: dict[str, Any]) -> str:
    """`field` (Title) for messages."""
    if not pointer:
        return "the record"
    last = pointer.rsplit("/", 1)[-1]
    sub = subschema(schema, pointer)
    title = sub.get("title") if sub else None
    label = (
        f"item {int(last) + 1} of {_name(pointer.rsplit('/', 1)[0], schema)}"
        if last.isdigit()
        else f"`{pointer.lstrip('/').replace('/', '.')}`"
    )
    return f"{label} ({title})" if title and not last.isdigit() else label


def _suggest(word: str, options: Any) -> str | None:
    candidates = [str(o) for o in options]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in candidates}
        hit = lowered.get(word.lower().strip())
        return hit
    return close[0]


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _explain(error: Any, schema: dict[str, Any]) -> Iterator[SchemaError]:
    validator = error.validator
    pointer = pointers.join(error.absolute_path)
    rule = f"schema.{validator}"
    where = _name(pointer, schema)
    instance = error.instance
    value = error.validator_value
    sub = subschema(schema, pointer) or {}
    examples = sub.get("examples")
    example = f" for example {_show(examples[0])}" if examples else ""

    if validator == "required":
        missing = [name for name in value if isinstance(instance, dict) and name not in instance]
        for name in missing:
            child = f"{pointer}/{name}"
            yield SchemaError(
                rule,
                child,
                f"{_name(child, schema)} is missing{'' if not pointer else ' from ' + where}",
                hint=f"add `{name}:`" + (f" —{example}" if example else ""),
            )
        return
    if validator == "additionalProperties" and isinstance(instance, dict):
        allowed = list(sub.get("properties", {}))
        patterns = list(sub.get("patternProperties", {}))
        for key in instance:
            if key in allowed or any(re.search(p, key) for p in patterns):
                continue
            guess = _suggest(key, allowed)
            yield SchemaError(
                rule,
                f"{pointer}/{key}",
                f"unknown field `{key}` in {where}",
                hint=f"did you mean `{guess}`?"
                if guess
                else "allowed fields: " + ", ".join(allowed),
                at_key=True,
            )
        return
    if validator == "enum":
        guess = _suggest(str(instance), value) if isinstance(instance, str) else None
        yield SchemaError(
            rule,
            pointer,
            f"{where}: {_show(instance)} is not one of the allowed values: "
            + ", ".join(str(v) for v in value),
            hint=f"did you mean {guess!r}?" if guess else None,
        )
        return
    if validator == "type":
        expected = {
            "string": "text",
            "integer": "a whole number",
            "object": "a mapping of fields",
            "array": "a list",
            "boolean": "true or false",
            "number": "a number",
        }
        wanted = value if isinstance(value, list) else [value]
        hint = None
        if "string" in wanted and isinstance(instance, bool | int | float):
            hint = "put the value in quotes to keep it as text"
        elif "array" in wanted and not isinstance(instance, list):
            hint = "write it as a list: one `- item` per line, or [a, b]"
        yield SchemaError(
            rule,
            pointer,
            f"{where} must be {' or '.join(expected.get(str(w), str(w)) for w in wanted)}, "
            f"not {_kind_of(instance)}",
            hint=hint,
        )
        return
    if validator == "pattern":
        yield SchemaError(
            rule,
            pointer,
            f"{where}: {_show(instance)} is not in the expected form",
            hint=(
                f"expected something like {_show(examples[0])}"
                if examples
                else _pattern_hint(value)
            ),
        )
        return
    if validator in ("minItems", "minProperties"):
        yield SchemaError(
            rule, pointer, f"{where} must not be empty", hint="add at least one entry"
        )
        return
    if validator == "uniqueItems":
        repeated = next(
            (i for i, item in enumerate(instance) if item in instance[:i]), len(instance) - 1
        )
        yield SchemaError(
            rule,
            f"{pointer}/{repeated}",
            f"{where} lists {_show(instance[repeated])} more than once",
            hint="remove the repeated entry",
        )
        return
    if validator == "minLength":
        yield SchemaError(
            rule, pointer, f"{where} is empty", hint="write the text, or remove the field"
        )
        return
    if validator == "maxLength":
        yield SchemaError(
            rule,
            pointer,
            f"{where} is longer than {value} characters",
            hint="shorten it; long texts belong in description",
        )
        return
    if validator in ("minimum", "maximum"):
        word = "at least" if validator == "minimum" else "at most"
        hint = (
            "this record is written for a newer record format than this ichinv knows: "
            f"update ichinv, or write {value} if the number is a typo"
            if pointer == "/schema_version" and validator == "maximum"
            else None
        )
        yield SchemaError(
            rule, pointer, f"{where} must be {word} {value}, not {_show(instance)}", hint
        )
        return
    message = error.message
    yield SchemaError(rule, pointer, f"{where}: {message}")


def _kind_of(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"the text {_show(value)}"


def _pattern_hint(pattern: str) -> str | None:
    known = {
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "write dates as YYYY-MM-DD, for example 2025-05-14",
        "^https?://[^\\s]+$": "web addresses start with https:// or http://",
        PROVINCE_ID_PATTERN: "province identifiers look like KZ-31 (see provinces/)",
        ELEMENT_ID_PATTERN: "element identifiers look like KZ-2013-0001",
    }
    return known.get(pattern)


def errors(schema: Schema, data: Any) -> list[SchemaError]:
    """Every schema error of `data`, in plain language."""
    result: list[SchemaError] = []
    for error in schema.raw_errors(data):
        result.extend(_explain(error, schema.document))
    # A field matched by both `properties` and `patternProperties` (`names.en`) is checked by
    # both: one finding is enough.
    return list(dict.fromkeys(result))


def check(schema: Schema, data: Any) -> list[SchemaError]:
    """Errors of `data`; empty (and cheap) when it is valid."""
    return [] if schema.is_valid(data) else errors(schema, data)
