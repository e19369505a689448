"""Where things are documented: the anchors of fields and rules in docs/, and links to them.

`ichinv schema-docs` writes one page per record kind and language (`docs/en/element.md`, …)
with an anchor for every field of the schema, and a page of rules (`docs/en/rules.md`) with an
anchor for every rule. A finding links to the anchor of its field (the nearest documented
field above its pointer), or to its rule when it concerns the file as a whole.

Anchors are the field's path with dots, list items and free keys written `item`:
`/consent/history/2/status` is documented at `consent.history.item.status`; the record itself
at `record`. Rules are anchored at their identifier (`id.unique`, `schema.enum`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ichinv.core import pointers
from ichinv.core.model import Finding, RecordKind
from ichinv.core.vocabulary import Lang
from ichinv.schemas.loader import Schema

DOCS_DIR = "docs"
"""Folder of the generated documentation, relative to the inventory root."""

RECORD_ANCHOR = "record"
"""Anchor of the record as a whole (the top of a page)."""

ITEM = "item"
"""How a list item or a key of free choice (`*` in a pattern) is written in anchors."""


def anchor(pattern: str) -> str:
    """The anchor of a field pattern (`/consent/history/*/status` → `consent.history.item.status`)."""
    if not pattern:
        return RECORD_ANCHOR
    parts = pattern.lstrip("/").split("/")
    return ".".join(ITEM if part == "*" else pointers.unescape(part) for part in parts)


def page(kind: RecordKind, lang: str = Lang.EN) -> str:
    """Path of the field reference of `kind` in `lang`, relative to the inventory root."""
    return f"{DOCS_DIR}/{lang}/{kind.value}.md"


def rules_page(lang: str = Lang.EN) -> str:
    """Path of the rules page in `lang`, relative to the inventory root."""
    return f"{DOCS_DIR}/{lang}/rules.md"


def kind_of_path(path: str) -> RecordKind | None:
    """The kind of record a file of the inventory holds, from its folder; None for others."""
    folder = path.split("/", 1)[0]
    return next((kind for kind in RecordKind if kind.folder == folder and "/" in path), None)


def documented_pattern(pointer: str, patterns: Iterable[str] | frozenset[str]) -> str:
    """The pattern of the nearest documented field at or above `pointer` ("" for the record)."""
    known = patterns if isinstance(patterns, frozenset) else frozenset(patterns)
    found = ""
    for part in pointer.lstrip("/").split("/") if pointer else []:
        exact = f"{found}/{part}"
        if exact in known and part != "*":
            found = exact
        elif f"{found}/*" in known:
            found = f"{found}/*"
        else:
            break
    return found


def base_url(environ: Mapping[str, str] | None = None) -> str:
    """Absolute address the docs/ folder is published under, or "" when not known.

    `ICHINV_DOCS_URL` (the address of the inventory's root, e.g. a repository's `blob/main/`
    address) wins; in GitHub Actions, the files of the commit being checked.
    """
    env = os.environ if environ is None else environ
    explicit = env.get("ICHINV_DOCS_URL", "").strip()
    if explicit:
        return explicit if explicit.endswith("/") else explicit + "/"
    server, repository, sha = (
        env.get(name, "").strip()
        for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")
    )
    if server and repository and sha:
        return f"{server.rstrip('/')}/{repository}/blob/{sha}/"
    return ""


@dataclass(frozen=True, slots=True)
class DocLinks:
    """Links from findings and rules to the documentation (relative unless `base` is known)."""

    patterns: Mapping[RecordKind, frozenset[str]] = field(default_factory=dict)
    """The documented field patterns of each record kind (those of its schema)."""
    base: str = ""
    """Absolute address of the inventory root ("" for links relative to it)."""
    lang: str = Lang.EN

    @classmethod
    def from_schemas(
        cls, schemas: Mapping[RecordKind, Schema], *, base: str = "", lang: str = Lang.EN
    ) -> DocLinks:
        """Links for the fields of `schemas`."""
        return cls(
            {
                kind: frozenset(pattern for pattern, __ in schema.walk())
                for kind, schema in schemas.items()
            },
            base,
            lang,
        )

    @property
    def absolute(self) -> bool:
        """True when links are absolute addresses."""
        return bool(self.base)

    def rule(self, rule_id: str) -> str:
        """Where a rule is explained."""
        return f"{self.base}{rules_page(self.lang)}#{rule_id}"

    def field(self, kind: RecordKind, pointer: str) -> str:
        """Where the field at `pointer` of a record of `kind` is documented."""
        pattern = documented_pattern(pointer, self.patterns.get(kind, frozenset()))
        return f"{self.base}{page(kind, self.lang)}#{anchor(pattern)}"

    def finding(self, finding: Finding) -> str:
        """Where to read about `finding`: its field, or its rule for the file as a whole."""
        kind = kind_of_path(finding.path)
        if kind is None or not finding.pointer or kind not in self.patterns:
            return self.rule(finding.rule)
        return self.field(kind, finding.pointer)
