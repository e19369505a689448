"""Turn result objects into text: one renderer per output format, picked from a registry."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from ichinv.model import ValidationResult


class ValidationFormat(StrEnum):
    """Output formats of `ichinv validate`."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


def _text(result: ValidationResult) -> str:
    from ichinv.render import text

    return text.render_validation(result)


def _json(result: ValidationResult) -> str:
    from ichinv.render import json

    return json.render_validation(result)


def _github(result: ValidationResult) -> str:
    from ichinv.render import github

    return github.render_validation(result)


VALIDATION_RENDERERS: dict[ValidationFormat, Callable[[ValidationResult], str]] = {
    ValidationFormat.TEXT: _text,
    ValidationFormat.JSON: _json,
    ValidationFormat.GITHUB: _github,
}
