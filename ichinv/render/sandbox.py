"""The Jinja2 sandbox of every template ichinv renders (the packets' Markdown and the site's
HTML), bounded: templates come with pull requests, so a template can fail but not hang,
exhaust memory or read outside its folder.

`BoundedSandbox` checks the clock (ichinv.render.budget) at every loop step, call, attribute,
operator, filter and concatenation, and the size of whatever a template builds; `ConfinedLoader`
refuses a template whose real path leaves its folder; `MISTAKES` are what a template's own
mistakes raise while it runs.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import posixpath
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes, sandbox
from jinja2.loaders import split_template_path
from jinja2.runtime import markup_join, str_join
from jinja2.visitor import NodeTransformer

from ichinv.core.errors import TemplateError
from ichinv.core.i18n import N_, _
from ichinv.io import confined
from ichinv.render import budget


def require_folder(folder: Path, hint: str) -> None:
    """Stop (TemplateError, exit 2) unless `folder`, a folder of templates, is one: it does
    not exist, or it is a file or anything else."""
    if folder.is_dir():
        return
    message = (
        _("the templates folder {templates} is not a folder")
        if os.path.lexists(folder)
        else _("the templates folder {templates} does not exist")
    )
    raise TemplateError(message.format(templates=folder), hint=hint)


class ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that reads templates as ichinv.io.confined reads them (the packets'
    templates and the site's): a file whose real path lies outside the folder, a pipe, a device
    or a file above confined.TEXT_LIMIT is a TemplateError naming it."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder.resolve()), followlinks=False)
        self._root = folder.resolve()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        filename = os.path.normpath(posixpath.join(self._root, *split_template_path(template)))
        try:
            source = confined.text(Path(filename), self._root)
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(template) from None
        except confined.Refused as refused:  # a problem of the templates, said as one
            raise TemplateError(refused.message, refused.hint) from None
        return source, filename, lambda: True  # never reloaded (auto_reload=False)


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


@contextmanager
def quiet_finalizers() -> Iterator[None]:
    """While a template renders, a finalizer that fails for want of stack or memory (a generator
    of the template closed as an endless recursion unwinds) is passed by in silence: Python
    printed "Exception ignored in …" and a traceback on standard error, beside the refusal the
    recursion itself gets (`MISTAKES`). Any other exception in a finalizer goes to the hook
    there was."""
    before = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, RecursionError | MemoryError):
            before(unraisable)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        sys.unraisablehook = before


def rendered(render: Callable[[], str]) -> str:
    """What `render` (a template's rendering) gives, under `quiet_finalizers`; its TemplateError
    lets go there of what the template's own failure held (its frames, its generators)."""
    with quiet_finalizers():
        try:
            return render()
        except TemplateError as exc:
            exc.__context__ = exc.__cause__ = None
            raise


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
