"""Labels of packets in English, Kazakh and Russian: one table per language in templates/i18n/.

A table is a YAML mapping of groups to labels (`field: {names: Names}` is the label
`field.names`). Labels are plain text with `{name}` placeholders; they are escaped for
Markdown like record text. A label missing from a language falls back to English; a label
missing from English too is a TemplateError naming it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ichinv.core.errors import TemplateError
from ichinv.core.i18n import _
from ichinv.io import cache_files, confined
from ichinv.io import strict_yaml as yamlload
from ichinv.render.markdown import kept_labels
from ichinv.render.markdown.escape import Md, inline

I18N_FOLDER = "i18n"
BASE = "en"
_ESCAPED_PLACEHOLDER = re.compile(r"\{([a-z]+(?:\\?_[a-z]+)*)\}")
"""A `{placeholder}` in a label after escaping (`_` is escaped as `\\_`)."""
NOT_A_TABLE = frozenset({"yaml.empty", "yaml.not-mapping"})
"""Reader problems of a file that is readable YAML but no mapping (empty, a list, a text)."""


@dataclass(frozen=True)
class Labels:
    """The labels of one language, with English behind them."""

    lang: str
    table: Mapping[str, str]
    base: Mapping[str, str]
    source: str
    """Where the table was read (for messages)."""
    _filled: dict[str, Md] = field(default_factory=dict, compare=False, repr=False)
    """Labels without values, as made once (a packet asks for each value's label again for
    every row: 7,400 times in a province packet of 1,200 elements)."""

    def has(self, key: str) -> bool:
        return key in self.table or key in self.base

    def digest(self) -> str:
        """A digest of every label text (what a kept row or compiled template made from them
        depends on: Jinja prints `{{ "key" | t }}` into the code it compiles)."""
        facts = [self.lang, sorted(self.table.items()), sorted(self.base.items())]
        return cache_files.digest_of(facts)

    def raw(self, key: str) -> str:
        """The label text, unescaped (for Mermaid labels); TemplateError when it is missing."""
        if key in self.table:
            return self.table[key]
        if key in self.base:
            return self.base[key]
        raise TemplateError(
            _("no label {key!r} in {source}").format(key=key, source=self.source),
            hint=_("add it to {table} (and the other languages) in the templates folder").format(
                table=f"{I18N_FOLDER}/{BASE}.yaml"
            ),
        )

    def __call__(self, key: str, **values: Any) -> Md:
        """The label `key` as Markdown, its `{placeholders}` filled with (escaped) `values`."""
        if not values:
            made = self._filled.get(key)
            if made is None:
                made = self._filled[key] = self._fill(key, values)
            return made
        return self._fill(key, values)

    def _fill(self, key: str, values: Mapping[str, Any]) -> Md:
        escaped = inline(self.raw(key))

        def fill(match: re.Match[str]) -> str:
            name = match.group(1).replace("\\", "")
            if name not in values:
                raise TemplateError(
                    _("label {key!r} in {source} uses {{{name}}}, which is not given").format(
                        key=key, source=self.source, name=name
                    ),
                    hint=_("placeholders of a label are the same in every language"),
                )
            return inline(values[name])

        return Md(_ESCAPED_PLACEHOLDER.sub(fill, escaped))

    def value(self, group: str, raw: object) -> Md:
        """The label of a vocabulary value (`value.domain.craftsmanship`), else the value."""
        key = f"value.{group}.{raw}"
        return self(key) if isinstance(raw, str) and self.has(key) else inline(raw)

    def language(self, code: str) -> Md:
        """The name of a language (`language.kk`), else its code."""
        return self.value("language", code) if self.has(f"value.language.{code}") else inline(code)


def load(templates: Path, lang: str, *, root: Path | None = None) -> Labels:
    """The labels of `lang` from `templates`/i18n/ (English behind them). With `root`, tables
    read by an earlier run from the same bytes are taken from the cache of the inventory at
    `root` (ichinv.render.markdown.kept_labels)."""
    # English first: a problem in it is the one reported, whatever the other table's.
    names = list(dict.fromkeys((BASE, lang)))
    read = kept_labels.tables(root, names, lambda code: _bytes(templates, code), _parse)
    return Labels(lang, read[lang], read[BASE], f"{I18N_FOLDER}/{lang}.yaml")


def flat(templates: Path, lang: str, *, root: Path | None = None) -> dict[str, str]:
    """The labels of `lang` as one mapping, English behind them; empty when the inventory has
    no templates (terminal views then use their built-in English). `root`: see `load`."""
    try:
        labels = load(templates, lang, root=root)
    except TemplateError:
        return {}
    return {**labels.base, **labels.table}


def _read(templates: Path, lang: str) -> dict[str, str]:
    return _parse(lang, _bytes(templates, lang))


def _bytes(templates: Path, lang: str) -> bytes:
    path = templates / I18N_FOLDER / f"{lang}.yaml"
    try:
        return confined.read(path, templates)
    except FileNotFoundError:
        raise TemplateError(
            _("no translation table {table} in {templates}").format(
                table=f"{I18N_FOLDER}/{lang}.yaml", templates=templates
            ),
            hint=_("copy templates/ of ichinv into the inventory, or pass --templates DIR"),
        ) from None


def _parse(lang: str, raw: bytes) -> dict[str, str]:
    try:
        data, __ = yamlload.load(raw)
    except yamlload.LoadError as exc:
        problem = exc.problem
        message, hint = problem.message, problem.hint
        if problem.rule in NOT_A_TABLE:
            # The reader words these for records; a translation table is not one.
            message = _("a translation table is a mapping of groups of labels (`group:` lines)")
            hint = _("start from a copy of {table} of ichinv").format(
                table=f"{I18N_FOLDER}/{BASE}.yaml"
            )
        table = f"{I18N_FOLDER}/{lang}.yaml"
        raise TemplateError(
            _("{where}: {message}").format(
                where=f"{table}:{problem.line}:{problem.column}", message=message
            ),
            hint=hint,
        ) from None
    flat: dict[str, str] = {}
    _flatten(data, "", flat, f"{I18N_FOLDER}/{lang}.yaml")
    return flat


def _flatten(node: Any, prefix: str, out: dict[str, str], source: str) -> None:
    for key, value in node.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            _flatten(value, f"{name}.", out, source)
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            out[name] = str(value)
        else:
            raise TemplateError(
                _("{source}: the label {name!r} is not text").format(source=source, name=name),
                hint=_("every label is text (quote values such as yes, no or numbers)"),
            )


def keys(templates: Path, lang: str) -> set[str]:
    """Every label of one table (for completeness checks)."""
    return set(_read(templates, lang))
