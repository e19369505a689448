"""Validation results in every output format: text lines, JSON, GitHub workflow commands,
SARIF (and, in `summary`, the CI job summary within GitHub's limits, `limits`). `RENDERERS`
picks one by the `--format` of `ichinv validate`."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # each format's module is imported when asked for (a packet needs none)
    from ichinv.core.model import ValidationResult
    from ichinv.schemadocs.anchors import DocLinks
    from ichinv.validate.new_since import NewSince


class ValidationFormat(StrEnum):
    """Output formats of `ichinv validate`."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"


class ValidationRenderer(Protocol):
    """`result -> str`. `docs`, when given, links findings to their documentation;
    `new_since`, when the findings were limited to those new since a revision, says so."""

    def __call__(
        self,
        result: ValidationResult,
        *,
        docs: DocLinks | None = None,
        new_since: NewSince | None = None,
    ) -> str: ...


def _text(
    result: ValidationResult, *, docs: DocLinks | None = None, new_since: NewSince | None = None
) -> str:
    from ichinv.render.findings import text

    return text.render_validation(result)


def _json(
    result: ValidationResult, *, docs: DocLinks | None = None, new_since: NewSince | None = None
) -> str:
    from ichinv.render.findings import json as json_format

    return json_format.render_validation(result, docs=docs, new_since=new_since)


def _github(
    result: ValidationResult, *, docs: DocLinks | None = None, new_since: NewSince | None = None
) -> str:
    from ichinv.render.findings import github

    return github.render_validation(result, docs=docs)


def _sarif(
    result: ValidationResult, *, docs: DocLinks | None = None, new_since: NewSince | None = None
) -> str:
    from ichinv.render.findings import sarif

    return sarif.render_validation(result, docs=docs, new_since=new_since)


RENDERERS: dict[ValidationFormat, ValidationRenderer] = {
    ValidationFormat.TEXT: _text,
    ValidationFormat.JSON: _json,
    ValidationFormat.GITHUB: _github,
    ValidationFormat.SARIF: _sarif,
}
