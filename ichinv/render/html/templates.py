"""Jinja2 for HTML: site templates rendered sandboxed, strict and autoescaped.

One `SandboxedEnvironment` over a templates folder with `StrictUndefined` and autoescape on:
every value a template prints is HTML-escaped (`<`, `>`, `&`, quotes), so record text can add
no element, attribute or script. A template cannot print an object or a yes/no value by
mistake (finalize refuses), cannot read files outside its folder, and has no `random`,
`lipsum`, `urlize` or `xmlattr`. Errors name the template and line (TemplateError).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import sandbox
from markupsafe import Markup

from ichinv.core.errors import TemplateError
from ichinv.core.i18n import N_, _
from ichinv.render import budget
from ichinv.render.compiled import CompiledTemplates
from ichinv.render.html import pieces
from ichinv.render.html.clean import clean
from ichinv.render.sandbox import (
    MISTAKES,
    BoundedSandbox,
    ConfinedLoader,
    rendered,
    require_folder,
)

HINT = N_(
    "fix the template in templates/site/, or copy templates/site/ of ichinv into the inventory"
)


@jinja2.pass_eval_context
def _finalize(_eval: Any, value: Any) -> Any:
    """What `{{ … }}` prints: markup as it is, text cleaned (autoescape then escapes it),
    numbers as digits; anything else is a template mistake. (It asks for the evaluation
    context so that Jinja prints constant expressions through it too, as the template runs,
    instead of working them out as it compiles: ichinv.render.markdown.templates._finalize.)"""
    if isinstance(value, Markup):
        return value
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined: raises UndefinedError naming the variable
    if isinstance(value, str):
        return clean(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TemplateError(
            _("a template prints a yes/no value directly"),
            hint=_("use {% if … %} with labels instead"),
        )
    if isinstance(value, int | float):
        return str(value)
    raise TemplateError(
        _("a template prints a {type} directly").format(type=type(value).__name__),
        hint=_("print its fields, or loop over its items"),
    )


class _Sandbox(BoundedSandbox):
    """The packets' sandbox, bounded in time and size (a site template is code too: an outside
    review found one that ran for ever, and one that ended in an internal error out of
    memory), with a fast path for the fields of view models: a frozen dataclass's fields are
    plain data, as safe to read as a dictionary's items."""

    _fields: dict[type, frozenset[str]] = {}

    def getattr(self, obj: Any, attribute: str) -> Any:
        kind = type(obj)
        fields = self._fields.get(kind)
        if fields is None:
            fields = (
                frozenset(f.name for f in dataclasses.fields(obj))
                if dataclasses.is_dataclass(obj) and not isinstance(obj, type)
                else frozenset()
            )
            self._fields[kind] = fields
        if attribute in fields:
            return getattr(obj, attribute)
        return super().getattr(obj, attribute)


@jinja2.pass_context
def _inline(context: jinja2.runtime.Context, items: Any) -> Markup:
    """`{{ inline(pieces) }}`: pieces of text as HTML, links relative to the page's `prefix`."""
    return pieces.html(items, str(context.get("prefix", "")))


class Renderer:
    """Renders the HTML templates of one folder (with the code an earlier run compiled, kept in
    the caches of the inventory at `cache_root`: ichinv.render.compiled)."""

    def __init__(
        self,
        folder: Path,
        globals_: Mapping[str, Any] | None = None,
        *,
        cache_root: Path | None = None,
    ) -> None:
        require_folder(folder, _("copy templates/ of ichinv into the inventory"))
        self.folder = folder
        env = _Sandbox(
            loader=ConfinedLoader(folder),
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=_finalize,
            optimized=False,  # nothing runs as a template compiles: see _finalize
            auto_reload=False,
            bytecode_cache=CompiledTemplates(cache_root) if cache_root else None,
        )
        env.globals.pop("lipsum", None)
        for name in ("random", "urlize", "xmlattr"):
            env.filters.pop(name, None)
        env.globals.update({"inline": _inline, **(globals_ or {})})
        for name, function in list(env.filters.items()):
            env.filters[name] = env.bounded_filter(name, function)
        self.env = env
        self._cache: dict[str, jinja2.Template] = {}

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """The template `name` rendered with `context`; TemplateError on any template problem.
        A finalizer failing for want of stack is passed by meanwhile (`sandbox.rendered`)."""
        return rendered(lambda: self._render(name, context))

    def _render(self, name: str, context: Mapping[str, Any]) -> str:
        """The template `name` rendered with `context`; TemplateError on any template problem."""
        try:
            template = self._cache.get(name)
            if template is None:
                template = self._cache[name] = self.env.get_template(name)
            self.env.budget = budget.Budget(budget.SECONDS, page=True)
            return template.render(dict(context))
        except jinja2.TemplateNotFound as exc:
            missing = exc.name if isinstance(exc.name, str) else name
            raise TemplateError(
                _("template {missing} not found in {templates}").format(
                    missing=missing, templates=self.folder
                ),
                hint=_(HINT),
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                _("{where}: {message}").format(
                    where=f"{exc.name or name}:{exc.lineno}", message=exc.message
                ),
                hint=_(HINT),
            ) from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(
                _("{where}: {message}").format(where=name, message=exc.message), hint=_(HINT)
            ) from None
        except (sandbox.SecurityError, budget.Exceeded) as exc:
            raise TemplateError(
                _("{where}: refused: {exc}").format(where=name, exc=exc), hint=_(HINT)
            ) from None
        except MemoryError:
            raise TemplateError(
                _("{name}: refused: rendering ran out of memory").format(name=name), hint=_(HINT)
            ) from None
        except jinja2.TemplateError as exc:
            raise TemplateError(
                _("{where}: {message}").format(where=name, message=exc), hint=_(HINT)
            ) from None
        except TemplateError as exc:
            raise TemplateError(
                _("{where}: {message}").format(where=name, message=exc.message), hint=exc.hint
            ) from None
        except MISTAKES as exc:
            raise TemplateError(
                _("{where}: {message}").format(where=name, message=f"{type(exc).__name__}: {exc}"),
                hint=_(HINT),
            ) from None
