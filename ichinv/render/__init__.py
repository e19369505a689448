"""Turn result objects into text: one renderer per output format, picked from a registry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from ichinv.core.model import DiffResult, HistoryEntry, ValidationResult

if TYPE_CHECKING:
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
    from ichinv.render.findings import json

    return json.render_validation(result, docs=docs, new_since=new_since)


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


VALIDATION_RENDERERS: dict[ValidationFormat, ValidationRenderer] = {
    ValidationFormat.TEXT: _text,
    ValidationFormat.JSON: _json,
    ValidationFormat.GITHUB: _github,
    ValidationFormat.SARIF: _sarif,
}


class DiffFormat(StrEnum):
    """Output formats of `ichinv diff` and `ichinv diff-2013`."""

    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


class DiffRenderer(Protocol):
    """`result -> str`; with `stat=True`, the counts only."""

    def __call__(self, result: DiffResult, *, stat: bool = False) -> str: ...


def _diff_text(result: DiffResult, *, stat: bool = False) -> str:
    from ichinv.render import diff

    return diff.render_text(result, stat=stat)


def _diff_markdown(result: DiffResult, *, stat: bool = False) -> str:
    from ichinv.render import diff

    return diff.render_markdown(result, stat=stat)


def _diff_json(result: DiffResult, *, stat: bool = False) -> str:
    from ichinv.render import diff

    return diff.render_json(result, stat=stat)


DIFF_RENDERERS: dict[DiffFormat, DiffRenderer] = {
    DiffFormat.TEXT: _diff_text,
    DiffFormat.MARKDOWN: _diff_markdown,
    DiffFormat.JSON: _diff_json,
}


class LogFormat(StrEnum):
    """Output formats of `ichinv log`."""

    TEXT = "text"
    JSON = "json"


def _log_text(element_id: str, entries: Sequence[HistoryEntry]) -> str:
    from ichinv.render import history

    return history.render_text(element_id, entries)


def _log_json(element_id: str, entries: Sequence[HistoryEntry]) -> str:
    from ichinv.render import history

    return history.render_json(element_id, entries)


LOG_RENDERERS: dict[LogFormat, Callable[[str, Sequence[HistoryEntry]], str]] = {
    LogFormat.TEXT: _log_text,
    LogFormat.JSON: _log_json,
}
