"""The only Jinja2 user: packet templates rendered to Markdown, sandboxed and strict.

One `SandboxedEnvironment` over the templates folder (`--templates DIR` replaces it), with
`StrictUndefined`: a missing template, an undefined variable, a syntax error or a forbidden
operation is a TemplateError that names the template and line. Templates receive view models
of already-redacted data; every value a template prints goes through `finalize`, which passes
`Md` (already escaped) and escapes any other text for Markdown, so a template cannot print raw
text even by mistake. (Jinja's autoescape is on only so that macro output, which Jinja marks
as `Markup`, is not escaped twice; `Markup` and markupsafe stay inside this module.) Template names cannot leave the templates folder, not even through links.

Rendering is bounded (`budget`): no `lipsum`, a short `range`, every loop step, call,
attribute, operator, filter, concatenation and piece of output checks the clock, and whatever
a template builds is checked for size, so a template can fail but not hang or exhaust memory.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2 import nodes, sandbox
from jinja2.runtime import markup_join, str_join
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from ichinv.core.errors import TemplateError
from ichinv.core.i18n import N_, _
from ichinv.io import forked
from ichinv.render.compiled import CompiledTemplates
from ichinv.render.markdown import budget
from ichinv.render.markdown import escape as mdsafe
from ichinv.render.markdown.escape import Md
from ichinv.render.markdown.labels import Labels

MAX_SEQUENCE = budget.MAX_SEQUENCE
"""Longest text or list a template may build with `*` (the sandbox does not limit memory)."""

HINT = N_("fix the template, or pass --templates DIR with working templates (see README: packets)")
LIMIT_HINT = N_(
    "packet templates have limits on time and size (see README: packets); fix the template, "
    "or pass --templates DIR with working templates"
)

UNSAFE_FILTERS = ("urlize", "xmlattr")
"""Jinja filters that build HTML from text; packets are Markdown, so templates do without."""


class ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses files whose real path lies outside the folder (the
    packets' templates and the site's)."""

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


class _Metered(NodeTransformer):
    """Routes every loop, `~` concatenation and `{% set %}` block of a template through the
    budget (the sandbox has no hook of its own for them), and refuses a number too large to be
    one (`9e999999`: Jinja would write it into the compiled code as `inf`, a name)."""

    def __init__(self, name: str | None, filename: str | None) -> None:
        self.name, self.filename = name, filename

    def visit_Const(self, node: nodes.Const) -> nodes.Node:
        if isinstance(node.value, float) and not math.isfinite(node.value):
            raise jinja2.TemplateSyntaxError(
                _("a number in the template is too large (at most about {limit})").format(
                    limit="1.8e308"
                ),
                node.lineno,
                self.name,
                self.filename,
            )
        return node

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _call("ichinv_steps", [node.iter], node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _call("ichinv_concat", list(node.nodes), node.lineno)

    def visit_AssignBlock(self, node: nodes.AssignBlock) -> nodes.Node:
        self.generic_visit(node)
        node.filter = nodes.Filter(node.filter, "ichinv_made", [], [], None, None)
        node.filter.set_lineno(node.lineno)
        return node


def _call(name: str, args: list[nodes.Node], lineno: int) -> nodes.Call:
    function = nodes.EnvironmentAttribute(name, lineno=lineno)
    return nodes.Call(function, args, [], None, None, lineno=lineno)


_PADDING = frozenset({"ljust", "rjust", "center", "zfill"})

MISTAKES = (TypeError, ValueError, AttributeError, ArithmeticError, LookupError, RecursionError)
"""What a template's own mistakes raise while it runs (`{{ 1 / 0 }}`, `{{ [].pop() }}`, a
missing key): errors of the template, named with its line, not bugs of ichinv."""


_FIELDS: dict[type, frozenset[str]] = {}


def _fields_of(kind: type) -> frozenset[str]:
    """The public fields of `kind` when it is a dataclass of ichinv's, else none."""
    found = _FIELDS.get(kind)
    if found is None:
        ours = kind.__module__.startswith("ichinv.") and dataclasses.is_dataclass(kind)
        names = (f.name for f in dataclasses.fields(kind)) if ours else ()
        found = _FIELDS[kind] = frozenset(n for n in names if not n.startswith("_"))
    return found


class BoundedSandbox(sandbox.SandboxedEnvironment):
    """The sandbox, bounded (the packets' and the site's): `budget` is the render's clock."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.budget = budget.Budget()
        self.globals.pop("lipsum", None)  # lipsum(10**8) builds text without limit
        self.globals["range"] = budget.bounded_range
        # Same inputs, same bytes: nothing random in a packet.
        self.filters.pop("random", None)
        self.filters["ichinv_made"] = _same
        self.referenced: dict[str, tuple[str, ...]] = {}
        """Template name → the templates it imports or includes by name (as parsed)."""

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = _Metered(name, filename).visit(super()._parse(source, name, filename))
        assert isinstance(tree, nodes.Template)
        if name is not None:
            from jinja2 import meta

            found = meta.find_referenced_templates(tree)
            self.referenced[name] = tuple(n for n in found if isinstance(n, str))
        return tree

    def ichinv_steps(self, items: Iterable[Any]) -> budget.Steps:
        return budget.Steps(items, self.budget)

    @jinja2.pass_context
    def ichinv_concat(self, context: jinja2.runtime.Context, *parts: Any) -> str:
        budget.check_text(*parts)
        join = markup_join if context.eval_ctx.autoescape else str_join
        return join(parts)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.budget.tick()
        if attribute in _fields_of(type(obj)):
            # A field of one of ichinv's own packet dataclasses: what the sandbox would allow
            # (a public name of plain data), without its checks, which took a tenth of a
            # change packet's time.
            return getattr(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.budget.tick()
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.budget.tick()
        if operator == "*":
            budget.check_repeat(left, right)
        elif operator == "**":
            budget.check_power(left, right)
        elif operator == "%" and isinstance(left, str):
            budget.check_printf(left, right)
        elif operator == "+" and isinstance(left, str | list | tuple):
            budget.check_text(left, right)
        return self.budget.made(super().call_binop(context, operator, left, right))

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.budget.tick()
        owner, method = getattr(obj, "__self__", None), getattr(obj, "__name__", "")
        if isinstance(owner, str):
            if method in _PADDING and args:
                budget.check_width(args[0])
            elif method == "expandtabs":
                size = args[0] if args else kwargs.get("tabsize", 8)
                if isinstance(size, int):
                    budget.check_width(len(owner) + owner.count("\t") * size, N_("expanded text"))
            elif method == "replace" and len(args) >= 2:
                budget.check_replace(owner, *args[:3])
            elif method == "translate" and args:
                budget.check_translate(owner, args[0])
            elif method == "join" and args:
                args = (budget.check_join(owner, args[0]), *args[1:])
        result = super().call(context, obj, *args, **kwargs)
        if isinstance(owner, list | dict | set):
            budget.check_size(owner)  # grown by append, extend, update…
        return self.budget.made(result)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__

        def bounded(*args: Any, **kwargs: Any) -> str:
            budget.check_format(text)
            budget.check_text(text, args, kwargs)
            return wrapped(*args, **kwargs)

        return bounded

    def bounded_filter(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """`function`, the filter `name`, checking the clock and sizes around each use."""
        passes_first = getattr(function, "jinja_pass_arg", None) is not None
        check = budget.FILTER_CHECKS.get(name)
        jinjas = getattr(function, "__module__", "").startswith("jinja2.")

        @functools.wraps(function)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            self.budget.tick()
            values = args[1:] if passes_first else args
            if values:
                budget.check_text(values[0])
                if check is not None:
                    check(values, kwargs)
            try:
                made = function(*args, **kwargs)
            except AssertionError as exc:
                if not jinjas:
                    raise
                # Jinja's own filters check their arguments with `assert` (`truncate(-5)`):
                # a mistake of the template, said as one.
                raise ValueError(str(exc)) from None
            return self.budget.made(made)

        return bounded


def _same(value: Any) -> Any:
    return value


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
        if not templates.is_dir():
            raise TemplateError(
                _("the templates folder {templates} does not exist").format(templates=templates),
                hint=_("copy templates/ of ichinv into the inventory, or pass --templates DIR"),
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
