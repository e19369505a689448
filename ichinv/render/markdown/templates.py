"""The only Jinja2 user: packet templates rendered to Markdown, sandboxed and strict.

One `SandboxedEnvironment` over the templates folder (`--templates DIR` replaces it), with
`StrictUndefined`: a missing template, an undefined variable, a syntax error or a forbidden
operation is a TemplateError that names the template and line. Templates receive view models
of already-redacted data; every value a template prints goes through `finalize`, which passes
`Md` (already escaped) and escapes any other text for Markdown, so a template cannot print raw
text even by mistake. (Jinja's autoescape is on only so that macro output, which Jinja marks
as `Markup`, is not escaped twice; `Markup` and markupsafe stay inside this module.) Template names cannot leave the templates folder, not even through links.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2 import sandbox
from markupsafe import Markup

from ichinv.core.errors import TemplateError
from ichinv.render.markdown import escape as mdsafe
from ichinv.render.markdown.escape import Md
from ichinv.render.markdown.labels import Labels

MAX_SEQUENCE = 1_000_000
"""Longest text or list a template may build with `*` (the sandbox does not limit memory)."""

HINT = "fix the template, or pass --templates DIR with working templates (see README: packets)"

UNSAFE_FILTERS = ("urlize", "xmlattr")
"""Jinja filters that build HTML from text; packets are Markdown, so templates do without."""


class _ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses files whose real path lies outside the folder."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder.resolve()), followlinks=False)
        self._root = folder.resolve()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self._root):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


class _Sandbox(sandbox.SandboxedEnvironment):
    """The sandbox, plus a cap on what `*` and `**` may build."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise sandbox.SecurityError("exponent too large in a template")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(count, int):
                    if len(seq) * count > MAX_SEQUENCE:
                        raise sandbox.SecurityError("a template built a too large text or list")
        return super().call_binop(context, operator, left, right)


def _finalize(value: Any) -> Markup:
    """What `{{ … }}` prints: escaped Markdown (`Md`) and template output (macros) as they
    are, other text escaped, numbers as digits. (Jinja's autoescape then leaves it alone.)"""
    if isinstance(value, Markup):
        return value
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined: raises UndefinedError naming the variable
    if isinstance(value, Md):
        return Markup(value)
    if isinstance(value, str):
        return Markup(mdsafe.inline(value))
    if value is None:
        return Markup("")
    if isinstance(value, bool):
        raise TemplateError(
            "a template prints a yes/no value directly",
            hint="use {% if … %} with labels instead",
        )
    if isinstance(value, int | float):
        return Markup(str(value))
    raise TemplateError(
        f"a template prints a {type(value).__name__} directly",
        hint="print its fields, or loop over its items",
    )


class Renderer:
    """Renders the packet templates of one folder in one language."""

    def __init__(self, templates: Path, labels: Labels) -> None:
        if not templates.is_dir():
            raise TemplateError(
                f"the templates folder {templates} does not exist",
                hint="copy templates/ of ichinv into the inventory, or pass --templates DIR",
            )
        self.templates = templates
        self.labels = labels
        env = _Sandbox(
            loader=_ConfinedLoader(templates),
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=_finalize,
            auto_reload=False,
        )
        for name in UNSAFE_FILTERS:
            env.filters.pop(name, None)
        env.filters.update(
            {
                # Jinja's HTML escapers and `safe` would print text unescaped for Markdown
                # (pipes, mentions, references); here they escape for Markdown like `md`.
                **dict.fromkeys(("safe", "e", "escape", "forceescape"), mdsafe.inline),
                "t": lambda key, **values: labels(str(key), **values),
                "md": mdsafe.inline,
                "block": mdsafe.block,
                "code": mdsafe.code,
                "link": mdsafe.link,
                "mermaid": mdsafe.mermaid_label,
                "join": _join,
                "emph": mdsafe.emphasis,
                "strong": mdsafe.strong,
            }
        )
        env.globals.update({"t": labels, "lang": labels.lang})
        self.env = env

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """The template `name` rendered with `context`; TemplateError on any template problem."""
        try:
            template = self.env.get_template(name)
            return _tidy(template.render(dict(context)))
        except jinja2.TemplateNotFound as exc:
            missing = exc.name if isinstance(exc.name, str) else name
            raise TemplateError(
                f"template {missing} not found in {self.templates}",
                hint="template names are paths inside the templates folder; copy templates/ of "
                "ichinv into the inventory, or pass --templates DIR",
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            where = f"{exc.name or name}:{exc.lineno}"
            raise TemplateError(f"{where}: {exc.message}", hint=HINT) from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(
                f"{_where(exc.__traceback__, self.templates, name)}: {exc.message}",
                hint="the template uses a variable this packet does not provide; "
                "README (packets) lists the variables of each packet",
            ) from None
        except sandbox.SecurityError as exc:
            raise TemplateError(
                f"{_where(exc.__traceback__, self.templates, name)}: refused: {exc}", hint=HINT
            ) from None
        except jinja2.TemplateError as exc:
            raise TemplateError(
                f"{_where(exc.__traceback__, self.templates, name)}: {exc}", hint=HINT
            ) from None
        except TemplateError as exc:
            raise TemplateError(
                f"{_where(exc.__traceback__, self.templates, name)}: {exc.message}", hint=exc.hint
            ) from None
        except (TypeError, ValueError, AttributeError, OverflowError, RecursionError) as exc:
            raise TemplateError(
                f"{_where(exc.__traceback__, self.templates, name)}: {type(exc).__name__}: {exc}",
                hint=HINT,
            ) from None


def _tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one newline at the end: templates
    can then lay out blocks freely without changing what Markdown renders."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n") + "\n"


def _join(items: Any, separator: str = ", ") -> Md:
    """Jinja's `join`, keeping escaped text escaped and escaping the rest."""
    return mdsafe.join(items, str(separator))


def _where(tb: TracebackType | None, folder: Path, name: str) -> str:
    """`template:line` of the innermost template frame of a traceback (else the name)."""
    root = str(folder.resolve())
    found = name
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(root):
            rel = os.path.relpath(filename, root).replace(os.sep, "/")
            found = f"{rel}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
