"""What rendering one packet template may cost: time, the size of what it builds, and loops.

Templates come from the repository, so from any pull request. Jinja's sandbox stops them from
reaching Python internals but not from spending time and memory (`'x' * 10**9`, nested loops,
a macro that doubles its output, `'%999999999s' | format(x)`). `templates` calls in here from
every hook the sandbox offers (attribute and item access, calls, operators, filters, loop
steps, concatenation and every piece of output): each checks the clock, and each that builds
text or a list checks its size before or right after building it.
"""

from __future__ import annotations

import re
import string
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ichinv.core.i18n import N_, _

SECONDS = 10.0
"""Wall-clock time one packet may take to render (the repository's packets take milliseconds)."""

MAX_SEQUENCE = 1_000_000
"""Longest text or list a template may build by repetition (`*`), padding or a format width."""

MAX_TEXT = 10_000_000
"""Longest text any one step may make (a macro, a concatenation, a filter) and longest packet
(the repository's packets are about 8,000 characters)."""

TOO_LONG_HINT = N_(
    "a packet of thousands of changed records is too long to review in one piece: make "
    "packets of fewer changes (--since a later revision); `ichinv diff` and `validate "
    "--new-since` still cover them all (a template that repeats text without end is refused "
    "so too)"
)
"""What a packet longer than MAX_TEXT says (an outside review found a bulk import of 3,900
records refused with the hint of a broken template)."""

MAX_BUILT = 100_000_000
"""Characters and items all steps of one render may build together (bounds its memory)."""

MAX_RANGE = 10_000
"""Most numbers `range()` gives in a template."""

MAX_INT_BITS = 4_096
"""Largest integer (in bits, about 1,200 digits) a template may compute with `*` or `**`, or
get from a filter (`int` of a long text)."""

MAX_PRECISION = 400
"""Largest precision, either way, of `round` (`round(-999999999)` computed 10**999999999 in
C, where the clock cannot stop it; floats have no digits beyond about 10**±324)."""

MAX_WRAP = 100_000
"""Longest text `wordwrap` takes (Python's textwrap runs without ticking the clock: about
half a second for this many letters, one to a line)."""

_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d*))?")
_DIGITS = re.compile(r"\d+")


class Exceeded(Exception):
    """A template went past one of the limits above (the message names it)."""


class Budget:
    """The clock and the running total of one render (of a packet, or of a site's `page`)."""

    def __init__(self, seconds: float = SECONDS, *, page: bool = False) -> None:
        self.seconds = seconds
        self.page = page
        self.deadline = time.monotonic() + seconds
        self.built = 0

    def tick(self) -> None:
        """Raise Exceeded once the render has taken longer than its time."""
        if time.monotonic() > self.deadline:
            limit = (
                _("rendering took longer than {seconds:g} s, the limit for one page")
                if self.page
                else _("rendering took longer than {seconds:g} s, the limit for one packet")
            )
            raise Exceeded(limit.format(seconds=self.seconds))

    def made(self, value: Any) -> Any:
        """`value`, just built by a template step: checked against the size limits."""
        if _is_int(value) and value.bit_length() > MAX_INT_BITS:
            raise Exceeded(_("a number larger than {limit:,} bits").format(limit=MAX_INT_BITS))
        if isinstance(value, str | list | tuple | dict | set):
            check_size(value)
            self.built += len(value)
            if self.built > MAX_BUILT:
                raise Exceeded(
                    _("the template built more than {limit:,} characters and items in all").format(
                        limit=MAX_BUILT
                    )
                )
        return value


def check_size(value: Any) -> None:
    """Refuse a text or collection longer than MAX_TEXT (one that grew in place)."""
    if isinstance(value, str | list | tuple | dict | set) and len(value) > MAX_TEXT:
        raise Exceeded(
            _("a text or list grew past {limit:,} characters or items").format(limit=MAX_TEXT)
        )


def weight(value: Any, cap: int = MAX_TEXT) -> int:
    """About how many characters `value` turns into when made text (a list holding one long
    text a million times weighs a million times that text); counting stops past `cap`."""
    total = 0
    stack = [value]
    while stack and total <= cap:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, list | tuple | set | frozenset):
            total += len(item) + 1
            stack.extend(item)
        elif isinstance(item, dict):
            total += 2 * len(item) + 1
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            total += 1
    return total


def check_text(*values: Any) -> None:
    """Refuse making text of `values` when it would be longer than MAX_TEXT."""
    total = 0
    for value in values:
        total += weight(value, MAX_TEXT - total)
        if total > MAX_TEXT:
            raise Exceeded(
                _("a step would make text longer than {limit:,} characters").format(limit=MAX_TEXT)
            )


WIDTH = N_("a width")
WIDTH_OR_PRECISION = N_("a width or precision")


def check_width(width: Any, what: str = WIDTH) -> None:
    """Refuse a padding width or repeat count beyond MAX_SEQUENCE (`what` is an `N_()` text
    naming the number, translated here)."""
    if isinstance(width, int) and width > MAX_SEQUENCE:
        raise Exceeded(
            _("{what} of {width:,} is more than {limit:,}").format(
                what=_(what), width=width, limit=MAX_SEQUENCE
            )
        )


def check_repeat(left: Any, right: Any) -> None:
    """`left * right`: no text or list longer than MAX_SEQUENCE, no huge integer."""
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(count, int):
            if len(seq) * count > MAX_SEQUENCE:
                raise Exceeded(
                    _("a text or list longer than {limit:,} (built with *)").format(
                        limit=MAX_SEQUENCE
                    )
                )
    if _is_int(left) and _is_int(right):
        if abs(left).bit_length() + abs(right).bit_length() > MAX_INT_BITS:
            raise Exceeded(
                _("a number larger than {limit:,} bits (built with *)").format(limit=MAX_INT_BITS)
            )


def check_power(base: Any, exponent: Any) -> None:
    """`base ** exponent`: no huge integer."""
    if _is_int(exponent) and abs(exponent) > 64:
        raise Exceeded(_("an exponent above 64"))
    if _is_int(base) and _is_int(exponent) and abs(base).bit_length() * exponent > MAX_INT_BITS:
        raise Exceeded(
            _("a number larger than {limit:,} bits (built with **)").format(limit=MAX_INT_BITS)
        )


def check_printf(template: str, values: Any) -> None:
    """`template % values` (and the `format` filter): widths and precisions within
    MAX_SEQUENCE, none taken from the values (`*`), and text of bounded size."""
    for width, precision in _PRINTF.findall(template):
        for number in (width, precision):
            if number == "*":
                raise Exceeded(_("a width or precision taken from the values (*)"))
            if number:
                check_width(_number(number), WIDTH_OR_PRECISION)
    check_text(template, values)


def check_format(template: str) -> None:
    """`template.format(…)`: every width and precision in its fields (`{:>20}`) within
    MAX_SEQUENCE, none taken from the values (`{:{}}`)."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # str.format raises the same error
    for _a, _b, spec, _c in fields:
        if spec and "{" in spec:
            raise Exceeded(
                _("a width or precision taken from the values ({example})").format(example="{:{}}")
            )
        for digits in _DIGITS.findall(spec or ""):
            check_width(_number(digits), WIDTH_OR_PRECISION)


def check_join(separator: str, items: Any) -> list[Any]:
    """`separator.join(items)`: the text within MAX_TEXT. Returns the items as a list."""
    items = list(items)
    if weight(items) + len(separator) * len(items) > MAX_TEXT:
        raise Exceeded(
            _("joining would make text longer than {limit:,} characters").format(limit=MAX_TEXT)
        )
    return items


def check_replace(text: Any, old: Any, new: Any, count: Any = -1) -> None:
    """`text.replace(old, new, count)`: the result within MAX_TEXT."""
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    if len(text) + found * (len(new) - len(old)) > MAX_TEXT:
        raise Exceeded(
            _("a replacement would make text longer than {limit:,} characters").format(
                limit=MAX_TEXT
            )
        )


def check_translate(text: Any, table: Any) -> None:
    """`text.translate(table)`: the result within MAX_TEXT (each character may become the
    longest text of the table)."""
    if not isinstance(text, str):
        return
    values = table.values() if isinstance(table, Mapping) else ()
    longest = max((len(v) if isinstance(v, str) else 1 for v in values), default=1)
    if not isinstance(table, Mapping | str | bytes):
        # a lazy table cannot be sized
        raise Exceeded(_("translate takes a mapping of characters"))
    if len(text) * longest > MAX_TEXT:
        raise Exceeded(
            _("a translation would make text longer than {limit:,} characters").format(
                limit=MAX_TEXT
            )
        )


def bounded_range(*args: int) -> range:
    """`range()` for templates: at most MAX_RANGE numbers."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise Exceeded(
            _("a range of {count:,} numbers, more than {limit:,}").format(
                count=len(numbers), limit=MAX_RANGE
            )
        )
    return numbers


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(digits: str) -> int:
    return MAX_SEQUENCE + 1 if len(digits) > 9 else int(digits)


def _arg(values: tuple[Any, ...], kwargs: dict[str, Any], index: int, name: str) -> Any:
    return values[index] if len(values) > index else kwargs.get(name)


def _indent(values: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    width = _arg(values, kwargs, 1, "width")
    step = len(width) if isinstance(width, str) else width if isinstance(width, int) else 4
    check_width(step)
    check_width((str(values[0]).count("\n") + 1) * step, N_("indentation in all"))


def _round(values: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    precision = _arg(values, kwargs, 1, "precision")
    if _is_int(precision) and abs(precision) > MAX_PRECISION:
        raise Exceeded(
            _("a precision of {precision:,} for round, beyond ±{limit}").format(
                precision=precision, limit=MAX_PRECISION
            )
        )


def _wordwrap(values: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    text = str(values[0])
    if len(text) > MAX_WRAP:
        raise Exceeded(
            _("wordwrap takes a text of at most {limit:,} characters").format(limit=MAX_WRAP)
        )
    wrapstring = _arg(values, kwargs, 3, "wrapstring")
    if isinstance(wrapstring, str):  # at most one line a character, each ending with it
        check_width(len(text) * (len(wrapstring) + 1), N_("the wrapped text"))


def _join(values: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    separator = _arg(values, kwargs, 1, "d")
    items = values[0]
    if isinstance(separator, str) and isinstance(items, list | tuple | str):
        check_join(separator, items)


def _tojson(values: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    indent = _arg(values, kwargs, 1, "indent")
    step = len(indent) if isinstance(indent, str) else indent if _is_int(indent) else 0
    check_width(step)
    if step:
        check_width(_indentation(values[0], step), N_("indentation in all"))


def _indentation(value: Any, step: int, cap: int = MAX_SEQUENCE) -> int:
    """About how many characters of indentation JSON of `value` indented by `step` holds (a
    line for every item, indented a step for each level it is nested in)."""
    total = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack and total <= cap:
        item, depth = stack.pop()
        items = (
            [*item.keys(), *item.values()]
            if isinstance(item, dict)
            else item
            if isinstance(item, list | tuple)
            else ()
        )
        total += len(items) * (depth + 1) * step
        stack.extend((child, depth + 1) for child in items)
    return total


def _sum(values: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    start = _arg(values, kwargs, 2, "start")
    if start is not None and not isinstance(start, int | float):
        raise Exceeded(_("sum adds numbers only"))


FILTER_CHECKS: dict[str, Callable[[tuple[Any, ...], dict[str, Any]], None]] = {
    "center": lambda v, k: check_width(_arg(v, k, 1, "width")),
    "indent": _indent,
    "format": lambda v, k: check_printf(str(v[0]), v[1:] or k),
    "slice": lambda v, k: check_width(_arg(v, k, 1, "slices"), N_("a number of slices")),
    "batch": lambda v, k: check_width(_arg(v, k, 1, "linecount"), N_("a batch size")),
    "replace": lambda v, k: check_replace(
        v[0], _arg(v, k, 1, "old"), _arg(v, k, 2, "new"), _arg(v, k, 3, "count")
    ),
    "sum": _sum,
    "round": _round,
    "wordwrap": _wordwrap,
    "join": _join,
    "tojson": _tojson,
}
"""Checks before a filter that could build much from little (the arguments after the value)."""


class Steps:
    """An iterable that checks the clock at every step of a template loop."""

    def __init__(self, items: Iterable[Any], clock: Budget) -> None:
        self._items = items
        self._clock = clock

    def __iter__(self) -> Iterator[Any]:
        for item in self._items:
            self._clock.tick()
            yield item

    def __len__(self) -> int:
        """For `loop.length`; a generator has none (TypeError), and Jinja then counts."""
        return len(self._items)  # type: ignore[arg-type]
