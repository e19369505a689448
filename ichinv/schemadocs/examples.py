"""Examples in the schema documentation: a valid value of every field, shown where it lives.

The schema's own `examples` come first; otherwise an example is made from the field's
allowed values, format, pattern (fictitious data: example.org, +7 700 000 00 00) or type,
and a group of fields gets its required fields. `example_yaml` nests the value in the keys
and list items above it, as it would appear in a record.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

PATTERN_EXAMPLES: dict[str, Any] = {
    "^KZ-(19|20)[0-9]{2}-[0-9]{4}$": "KZ-2013-0001",
    "^KZ-([0-9]{2}|[A-Z]{3})$": "KZ-31",
    "^[a-z]{2,3}(-[A-Z][a-z]{3})?$": "en",
    "^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$": "kk",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "2025-05-14",
    "^(/[^/]+)+$": "/description",
    "^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$": "person1@example.org",
    "^\\+[0-9][0-9 ()-]{6,20}$": "+7 700 000 00 00",
    "^https?://[^\\s]+$": "https://example.org/ich/kui",
    "^[^/\\\\][^\\\\]*$": "documentation/kui-recording.mp3",
    "^(I|II|III|IV|V)-[1-9][0-9]*$": "I-2",
    "^[A-Z]{2}$": "KZ",
    "^[0-9]{5}$": "00984",
    "^[a-z][a-zA-Z0-9_.-]*$": "names.kk-script",
    "^(/[^/]+)*$": "/names/kk",
}
"""Example values of text fields, by the `pattern` they must match (fictitious data)."""


def example_value(
    pattern: str, nodes: Mapping[str, Mapping[str, Any]], placeholder: str, depth: int = 0
) -> Any:
    """An example value of the field at `pattern` (the schema's own example when it has one);
    `placeholder` stands for free text."""
    node = nodes.get(pattern, {})
    if node.get("examples"):
        return node["examples"][0]
    if "const" in node:
        return node["const"]
    if node.get("enum"):
        return node["enum"][0]
    kind = node.get("type")
    if node.get("format") == "date":
        return PATTERN_EXAMPLES["^[0-9]{4}-[0-9]{2}-[0-9]{2}$"]
    if kind == "string":
        return PATTERN_EXAMPLES.get(node.get("pattern", ""), placeholder)
    if kind == "integer" or kind == "number":
        return (
            max(node.get("minimum", 1), 1)
            if node.get("maximum", 2) >= 1
            else node.get("minimum", 0)
        )
    if kind == "boolean":
        return True
    if kind == "array":
        return [example_value(f"{pattern}/*", nodes, placeholder, depth + 1)] if depth < 6 else []
    if kind == "object" or "properties" in node or "patternProperties" in node:
        if depth >= 6:
            return {}
        result: dict[str, Any] = {}
        properties = list(node.get("properties", {}))
        chosen = [p for p in properties if p in node.get("required", [])] or properties[:1]
        for name in chosen:
            result[name] = example_value(f"{pattern}/{name}", nodes, placeholder, depth + 1)
        for key_pattern in node.get("patternProperties", {}) if not result else []:
            result[PATTERN_EXAMPLES.get(key_pattern, "key")] = example_value(
                f"{pattern}/*", nodes, placeholder, depth + 1
            )
        return result
    return placeholder


def example_yaml(
    pattern: str, nodes: Mapping[str, Mapping[str, Any]], placeholder: str
) -> list[str]:
    """The field with its example value, nested where it lives in a record."""
    value = example_value(pattern, nodes, placeholder)
    here = pattern
    while here:
        parent, __, part = here.rpartition("/")
        if part != "*":
            value = {part: value}
        elif "items" in nodes.get(parent, {}):
            value = [value]
        else:
            keys = list(nodes.get(parent, {}).get("patternProperties", {}))
            value = {PATTERN_EXAMPLES.get(keys[0] if keys else "", "key"): value}
        here = parent
    return _yaml(value, 0)


def _yaml(value: Any, indent: int) -> list[str]:
    pad = "  " * indent
    if isinstance(value, dict):
        lines: list[str] = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(_yaml(item, indent + 1))
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
        return lines
    if isinstance(value, list):
        lines = []
        for item in value:
            inner = (
                _yaml(item, indent + 1)
                if isinstance(item, dict | list) and item
                else [f"{pad}  {_scalar(item)}"]
            )
            first = inner[0]
            lines.append(f"{pad}- {first.lstrip()}")
            lines.extend(inner[1:])
        return lines
    return [f"{pad}{_scalar(value)}"]


_YAML_SPECIAL = ":#{}[],&*!|>'\"%@`"
"""Characters that could make a plain YAML scalar mean something else."""

_YAML_WORDS = ("true", "false", "null", "yes", "no", "on", "off", "~")
"""Words a YAML reader might take for a boolean or null."""


def _scalar(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    plain = (
        bool(text)
        and text == text.strip()
        and not any(c in text for c in _YAML_SPECIAL)
        and text[0] not in "-?+/0123456789"
        and text.lower() not in _YAML_WORDS
    )
    return text if plain else json.dumps(text, ensure_ascii=False)
