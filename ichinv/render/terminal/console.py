"""Rich views for the terminal: the element table (`list`) and progress bars; shared helpers.

Record text always enters rich as `Text`, never as markup, so `[bold]` in a record is shown as
written. `to_text` turns any of these views into plain text of a given width (for pipes and tests).
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ichinv.core.i18n import _
from ichinv.render.plain import named, visible, visible_data
from ichinv.reports.progress import ProgressResult, ProvinceProgress

STYLE_OF = {
    "active": "green",
    "retired": "red",
    "merged": "yellow",
    "viable": "green",
    "at-risk": "yellow",
    "in-danger": "bold red",
    "unknown": "dim",
    "given": "green",
    "pending": "yellow",
    "withdrawn": "bold red",
    "not-sought": "dim",
    "public": "green",
    "restricted": "magenta",
    "confirmed": "green",
    "inferred": "yellow",
    "uncertain": "bold yellow",
}


WIDEST = 1000
"""Most columns a terminal view is laid out in, whatever `COLUMNS` says: rich takes it as it
is, and `COLUMNS=99999999999999999999` ended in an OverflowError, a billion in minutes of
work for one table."""


NARROWEST = 40
"""Fewest columns a terminal view is laid out in: narrower, `show` printed empty frames and
letters one under another, and `list` no ids (found by an outside review at `COLUMNS=1` to
8); the terminal wraps what is wider than it."""


def for_terminal(*, stderr: bool = False) -> Console:
    """The console a command prints its terminal views on (standard output or error): as wide
    as `COLUMNS` says when it is a positive number, else as the terminal is (80 columns when
    it does not say; rich laid out nothing at `COLUMNS=0`), between `NARROWEST` and `WIDEST`."""
    columns = min(max(shutil.get_terminal_size().columns, NARROWEST), WIDEST)
    return Console(stderr=stderr, width=columns, highlight=False, emoji=False)


def to_text(renderable: RenderableType, width: int = 100, *, color: bool = False) -> str:
    """`renderable` as text `width` columns wide (ANSI colours only when `color`)."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    console.print(renderable)
    return "".join(line.rstrip() + "\n" for line in out.getvalue().splitlines())


def word(value: Any) -> Text:
    """A state word (`active`, `at-risk`, `given`…) in its colour."""
    text = "" if value is None else str(value)
    return Text(text, style=STYLE_OF.get(text, ""))


# --- list ---------------------------------------------------------------------------------------

LIST_COLUMNS: tuple[tuple[str, str, int], ...] = (
    # (key of a summary row, heading, the narrowest terminal that still shows it)
    ("id", "ID", 0),
    ("name", "Name", 0),
    ("status", "Status", 0),
    ("national_category", "Cat.", 70),
    ("domains", "Domains", 76),
    ("provinces", "Provinces", 90),
    ("consent", "Consent", 104),
    ("access", "Access", 114),
    ("viability", "Viability", 126),
)
"""The columns of the `list` table, and from which terminal width each is shown: the id and
the name always, whole (a name folds onto more lines; an id never breaks)."""


_LIST_WORDS = {
    "status": "status",
    "consent": "consent",
    "access": "access",
    "viability": "viability",
}
"""Columns of the `list` table holding a vocabulary value: the vocabulary's label group."""


_LIST_SHARES = {"name": 3, "domains": 2, "provinces": 1}
"""Columns of the `list` table whose text wraps, and their shares of the width left over."""


def element_table(
    rows: Sequence[Mapping[str, Any]],
    width: int = 200,
    labels: Mapping[str, str] | None = None,
) -> RenderableType:
    """The `list` table for a terminal `width` columns wide; `rows` are summary rows
    (ichinv.inventory.selection.summary_row), their text made safe for a terminal. `labels`
    (ichinv.render.markdown.labels.flat) give the headings and values in the chosen language."""
    words = labels or {}
    shown = [
        (key, words.get(f"col.{key}") or words.get(f"field.{key}") or head)
        for key, head, narrowest in LIST_COLUMNS
        if width >= narrowest
    ]
    grid = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True, collapse_padding=True
    )
    for key, head in shown:
        # Every column that wraps has a share of the width: rich never narrows a column
        # without one, and a line wider than the terminal would lose its end.
        if key == "id":
            grid.add_column(head, no_wrap=True, style="bold", min_width=12)
        elif key in _LIST_SHARES:
            grid.add_column(head, overflow="fold", ratio=_LIST_SHARES[key], min_width=8)
        else:
            grid.add_column(head, overflow="fold")

    def said(group: str, value: Any) -> str:
        text = "" if value is None else str(value)
        if text == "withheld":
            return words.get("withheld.short", text)
        return words.get(f"value.{group}.{text}", text)

    for row in rows:
        safe = visible_data(dict(row))
        cells = {
            "id": Text(safe["id"]),
            "name": Text(safe["name"]),
            "national_category": Text(safe["national_category"] or ""),
            "domains": Text("\n".join(said("domain", d) for d in safe["domains"])),
            "provinces": Text(_few(safe["provinces"], 2)),
        }
        for key, group in _LIST_WORDS.items():
            styled = word(safe[key])
            styled.plain = said(group, safe[key])
            cells[key] = styled
        grid.add_row(*(cells[key] for key, __ in shown))
    count = words.get("list.count", "{count} elements").replace("{count}", str(len(rows)))
    hidden = [
        words.get(f"col.{key}") or words.get(f"field.{key}") or head
        for key, head, narrowest in LIST_COLUMNS
        if width < narrowest
    ]
    if hidden:
        note = words.get(
            "list.hidden",
            "Not shown at this width: {columns} (widen the terminal, or use --format csv).",
        )
        count += "\n" + note.replace("{columns}", ", ".join(hidden))
    return Group(grid, Text(count, style="dim"))


def element_lines(rows: Sequence[Mapping[str, Any]]) -> str:
    """The `list` table for a pipe: a header, then one line per element, the columns separated
    by tabs (for grep and cut), several values by commas; no box, no wrapping."""
    keys = [key for key, _title, _width in LIST_COLUMNS]
    lines = ["\t".join(keys)]
    for row in rows:
        cells = []
        for key in keys:
            value = row.get(key)
            text = ", ".join(value) if isinstance(value, list) else "" if value is None else value
            cells.append(" ".join(visible(str(text)).split()))
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def _few(items: Sequence[str], shown: int = 3) -> str:
    """At most `shown` items, then how many more."""
    if len(items) <= shown + 1:
        return " ".join(items)
    return " ".join(items[:shown]) + f" +{len(items) - shown}"


# --- progress -----------------------------------------------------------------------------------

BAR_WIDTH = 20


def bar(done: int, target: int | None, width: int = BAR_WIDTH) -> str:
    """`█████░░░░░` for `done` of `target` (full at or beyond the target)."""
    if not target:
        return "·" * width
    filled = min(width, done * width // target)
    return "█" * filled + "░" * (width - filled)


PROGRESS_BARS_FROM = 72
"""The narrowest terminal that still shows the progress bars (the numbers always show)."""


def progress(
    result: ProgressResult,
    *,
    plain: bool = False,
    names: Mapping[str, str] | None = None,
    width: int = 200,
) -> RenderableType:
    """Per focus province: new elements against the target as bars, then counts (without
    table lines when `plain`, for a pipe); domains and consent states by their `names`. On a
    terminal narrower than PROGRESS_BARS_FROM the bars go, never the numbers or the ids."""
    lines_box = None if plain else box.SIMPLE_HEAD
    bars = plain or width >= PROGRESS_BARS_FROM
    grid = Table(
        title=_("New elements since {date}, by focus province").format(date=result.since),
        box=lines_box,
        show_edge=False,
        title_justify="left",
    )
    grid.add_column(_("Province"), overflow="fold", ratio=1, min_width=14)
    if bars:
        grid.add_column(_("Progress"), no_wrap=True)
    grid.add_column(_("New"), justify="right", no_wrap=True)
    grid.add_column(_("Target"), justify="right", no_wrap=True)
    grid.add_column("%", justify="right", no_wrap=True)
    for line in (*result.provinces, result.total):
        style = "bold" if line is result.total else ""
        name = visible(line.name)
        cells = [
            Text(f"{line.id} {name}" if line is not result.total else name, style=style),
            Text(bar(line.new, line.target), style="green" if _reached(line) else "yellow"),
            Text(str(line.new), style=style),
            Text("—" if line.target is None else str(line.target), style=style),
            Text("—" if line.percent is None else f"{line.percent}%", style=style),
        ]
        grid.add_row(*(cells if bars else [cells[0], *cells[2:]]))
    lines = (*result.provinces, result.total)
    fits = None if plain else width
    by_domain, hidden = _count_table(
        lines_box,
        _("By domain"),
        lines,
        {
            named(names, "domain", d): [p.by_domain.get(d, 0) for p in lines]
            for d in result.total.by_domain
        },
        fits,
    )
    by_consent, hidden_too = _count_table(
        lines_box,
        _("By consent"),
        lines,
        {
            named(names, "consent", c): [p.by_consent.get(c, 0) for p in lines]
            for c in result.total.by_consent
        },
        fits,
    )
    notes = [
        Text(
            _(
                "The counts are of elements; an element in several domains counts in each, and "
                "one practised in several focus provinces counts in each province but once in "
                "the total."
            ),
            style="dim",
        )
    ]
    if result.total.not_counted:
        notes.append(
            Text(
                _("Not counted (new, but since retired or merged): {ids}").format(
                    ids=", ".join(result.total.not_counted)
                ),
                style="dim",
            )
        )
    if hidden or hidden_too:  # one note under both tables (they leave out the same columns)
        unshown = hidden + [h for h in hidden_too if h not in hidden]
        notes.insert(
            0,
            Text(
                _(
                    "Not shown at this width: {columns} (widen the terminal, or use --format "
                    "markdown)."
                ).format(columns=", ".join(unshown)),
                style="dim",
            ),
        )
    return Group(grid, by_domain, by_consent, *notes)


def _reached(line: ProvinceProgress) -> bool:
    return line.target is not None and line.new >= line.target


def _count_table(
    lines_box: box.Box | None,
    title: str,
    lines: Sequence[ProvinceProgress],
    columns: Mapping[str, list[int]],
    width: int | None = None,
) -> tuple[Table, list[str]]:
    """Counts with one row per value counted (a domain, a consent state: long names fold)
    and one column per province and the total (short ids: it fits a narrow terminal), and
    the heads of the columns left out. On a terminal `width` columns wide too narrow for
    every column beside the names, provinces are left out from the right, the total never
    (a note names them, as `list` does)."""
    heads = [_("total") if n == len(lines) - 1 else line.id for n, line in enumerate(lines)]
    sizes = [
        max(len(head), *(len(str(values[n])) for values in columns.values())) + _GAP
        for n, head in enumerate(heads)
    ]
    shown = list(range(len(lines)))
    if width is not None:
        while len(shown) > 1 and _COUNT_NAMES + _GAP + sum(sizes[n] for n in shown) > width:
            shown.pop(-2)  # the rightmost province; the total stays
    grid = Table(
        box=lines_box,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1),
        title=title,
        title_justify="left",
    )
    grid.add_column("", overflow="fold", ratio=1, min_width=_COUNT_NAMES)
    for n in shown:
        grid.add_column(heads[n], justify="right", no_wrap=True)
    for name, values in columns.items():
        grid.add_row(name, *(str(values[n]) for n in shown))
    return grid, [heads[n] for n in range(len(lines)) if n not in shown]


_COUNT_NAMES = 12
"""Fewest columns the names of a count table keep (a domain's name folds onto more lines)."""

_GAP = 3
"""Columns a count table's column takes beside its text: padding on each side, a rule."""
