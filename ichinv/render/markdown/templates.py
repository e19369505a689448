"""Packet templates rendered to Markdown, sandboxed (ichinv.render.sandbox) and strict.

One bounded `SandboxedEnvironment` over the templates folder (`--templates DIR` replaces it), with
`StrictUndefined`: a missing template, an undefined variable, a syntax error or a forbidden
operation is a TemplateError that names the template and line. Templates receive view models
of already-redacted data; every value a template prints goes through `finalize`, which passes
`Md` (already escaped) and escapes any other text for Markdown, so a template cannot print raw
text even by mistake. (Jinja's autoescape is on only so that macro output, which Jinja marks
as `Markup`, is not escaped twice; `Markup` and markupsafe stay inside this module.) Template
names cannot leave the templates folder, not even through links.

Rendering is bounded (ichinv.render.budget): no `lipsum`, a short `range`, every loop step, call,
attribute, operator, filter, concatenation and piece of output checks the clock, and whatever
a template builds is checked for size, so a template can fail but not hang or exhaust memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2 import sandbox
from markupsafe import Markup

from ichinv.core.errors import TemplateError
from ichinv.core.i18n import N_, _
from ichinv.io import forked
from ichinv.render import budget
from ichinv.render.compiled import CompiledTemplates
from ichinv.render.markdown import escape as mdsafe
from ichinv.render.markdown.escape import Md
from ichinv.render.markdown.labels import Labels
from ichinv.render.sandbox import (
    MISTAKES,
    BoundedSandbox,
    ConfinedLoader,
    rendered,
    require_folder,
)

MAX_SEQUENCE = budget.MAX_SEQUENCE
"""Longest text or list a template may build with `*` (the sandbox does not limit memory)."""

HINT = N_("fix the template, or pass --templates DIR with working templates (see README: packets)")
LIMIT_HINT = N_(
    "packet templates have limits on time and size (see README: packets); fix the template, "
    "or pass --templates DIR with working templates"
)

UNSAFE_FILTERS = ("urlize", "xmlattr")
"""Jinja filters that build HTML from text; packets are Markdown, so templates do without."""


@jinja2.pass_eval_context
def _finalize(_eval: Any, value: Any) -> Markup:
    """What `{{ … }}` prints: escaped Markdown (`Md`) and template output (macros) as they
    are, other text escaped, numbers as digits. (Jinja's autoescape then leaves it alone.)

    It asks for the evaluation context, which exists only when a template runs: Jinja then
    prints every expression through it as the template runs, where it would otherwise work
    out constant ones (`{{ "key" | t }}`) as it compiles and print them HTML-escaped, past
    this function (and the code it keeps would hold the labels of one language)."""
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
            _("a template prints a yes/no value directly"),
            hint=_("use {% if … %} with labels instead"),
        )
    if isinstance(value, int | float):
        return Markup(str(value))
    raise TemplateError(
        _("a template prints a {name} directly").format(name=type(value).__name__),
        hint=_("print its fields, or loop over its items"),
    )


class Renderer:
    """Renders the packet templates of one folder in one language (with the code an earlier
    run compiled, kept in the caches of the inventory at `cache_root`: ichinv.render.compiled)."""

    def __init__(self, templates: Path, labels: Labels, *, cache_root: Path | None = None) -> None:
        require_folder(
            templates, _("copy templates/ of ichinv into the inventory, or pass --templates DIR")
        )
        self.templates = templates
        self.labels = labels
        env = BoundedSandbox(
            loader=ConfinedLoader(templates),
            undefined=jinja2.StrictUndefined,
            autoescape=True,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=_finalize,
            optimized=False,  # nothing runs as a template compiles: see _finalize
            auto_reload=False,
            bytecode_cache=CompiledTemplates(cache_root, labels.digest()) if cache_root else None,
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
        for name, function in list(env.filters.items()):
            env.filters[name] = env.bounded_filter(name, function)
        self.env = env
        self._ahead: forked.Ahead[None] | None = None
        """Templates being compiled on another core (`prepare_ahead`)."""

    def close(self) -> None:
        """Let go of the cache of compiled templates (rendering goes on without it), and of
        what `prepare_ahead` started."""
        if self._ahead is not None:
            ahead, self._ahead = self._ahead, None
            ahead.stop()
        if isinstance(self.env.bytecode_cache, CompiledTemplates):
            self.env.bytecode_cache.close()

    def prepare_ahead(self, names: Iterable[str]) -> None:
        """Start `prepare` of the templates `names` on another core (ichinv.io.forked): the code
        it compiles is kept in the cache of compiled templates, where `prepare` here takes it
        (a first run compiles its templates while it reads the inventory, not after). Nothing
        is started where code cannot be handed over so (no cache, ichinv.render.compiled), nor
        when code for each of them is kept already."""
        cache, wanted = self.env.bytecode_cache, list(names)
        if (
            self._ahead is None
            and isinstance(cache, CompiledTemplates)
            and cache.may_hand_over()
            and not cache.holds(self.env, wanted)  # else nothing to compile
        ):
            self._ahead = forked.Ahead(lambda: self._prepare_all(wanted), spare=True)

    def _prepare_all(self, names: list[str]) -> None:
        for name in names:
            self.prepare(name)

    def _taken_over(self) -> None:
        """Take what `prepare_ahead` compiled when it is done; else stop it: it is compiled
        here."""
        if self._ahead is not None:
            ahead, self._ahead = self._ahead, None
            if ahead.ready():
                ahead.result()
            else:
                ahead.stop()

    def prepare(self, name: str) -> None:
        """Compile the template `name` (or take its kept code), and those it imports or includes
        by name that are compiled here, before `render` needs them (while another core works:
        ichinv.packets.api). A template that cannot be compiled is left for `render` to report,
        in its words."""
        self._taken_over()
        todo, seen = [name], set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            try:
                self.env.get_template(current)
            except Exception:  # noqa: BLE001 - whatever it is, `render` meets it again and says it
                return
            todo.extend(self.env.referenced.get(current, ()))

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """The template `name` rendered with `context`; TemplateError on any template problem.
        A finalizer failing for want of stack is passed by meanwhile (`sandbox.rendered`)."""
        return rendered(lambda: self._render(name, context))

    def _render(self, name: str, context: Mapping[str, Any]) -> str:
        """The template `name` rendered with `context`; TemplateError on any template problem."""
        self._taken_over()
        try:
            template = self.env.get_template(name)
            self.env.budget = clock = budget.Budget(budget.SECONDS)
            parts: list[str] = []
            size = 0
            for part in template.generate(dict(context)):
                clock.tick()
                size += len(part)
                if size > budget.MAX_TEXT:
                    raise TemplateError(
                        _("the packet is longer than {limit:,} characters").format(
                            limit=budget.MAX_TEXT
                        ),
                        hint=_(budget.TOO_LONG_HINT),
                    )
                parts.append(part)
            return mdsafe.tidy("".join(parts))
        except jinja2.TemplateNotFound as exc:
            missing = exc.name if isinstance(exc.name, str) else name
            raise TemplateError(
                _("template {missing} not found in {templates}").format(
                    missing=missing, templates=self.templates
                ),
                hint=_(
                    "template names are paths inside the templates folder; copy templates/ "
                    "of ichinv into the inventory, or pass --templates DIR"
                ),
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            where = f"{exc.name or name}:{exc.lineno}"
            raise TemplateError(
                _("{where}: {message}").format(where=where, message=exc.message), hint=_(HINT)
            ) from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(
                _("{where}: {message}").format(
                    where=_where(exc.__traceback__, self.templates, name), message=exc.message
                ),
                hint=_(
                    "the template uses a variable this packet does not provide; README "
                    "(packets) lists the variables of each packet"
                ),
            ) from None
        except budget.Exceeded as exc:
            raise TemplateError(
                _("{where}: refused: {exc}").format(
                    where=_where(exc.__traceback__, self.templates, name), exc=exc
                ),
                hint=_(LIMIT_HINT),
            ) from None
        except MemoryError:
            raise TemplateError(
                _("{name}: refused: rendering ran out of memory").format(name=name),
                hint=_(LIMIT_HINT),
            ) from None
        except sandbox.SecurityError as exc:
            raise TemplateError(
                _("{where}: refused: {exc}").format(
                    where=_where(exc.__traceback__, self.templates, name), exc=exc
                ),
                hint=_(HINT),
            ) from None
        except jinja2.TemplateError as exc:
            raise TemplateError(
                _("{where}: {exc}").format(
                    where=_where(exc.__traceback__, self.templates, name), exc=exc
                ),
                hint=_(HINT),
            ) from None
        except TemplateError as exc:
            raise TemplateError(
                _("{where}: {message}").format(
                    where=_where(exc.__traceback__, self.templates, name), message=exc.message
                ),
                hint=exc.hint,
            ) from None
        except MISTAKES as exc:
            raise TemplateError(
                _("{where}: {name}: {exc}").format(
                    where=_where(exc.__traceback__, self.templates, name),
                    name=type(exc).__name__,
                    exc=exc,
                ),
                hint=_(HINT),
            ) from None


def _join(items: Any, separator: str = ", ") -> Md:
    """Jinja's `join`, keeping escaped text escaped and escaping the rest."""
    return mdsafe.join(budget.check_join(str(separator), items), str(separator))


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
