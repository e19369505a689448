"""Rich views for the terminal: the element table (`list`) and progress bars; shared helpers.

Record text always enters rich as `Text`, never as markup, so `[bold]` in a record is shown as
written. `to_text` turns any of these views into plain text of a given width (for pipes and tests).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

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
}


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
    return out.getvalue()


def word(value: Any) -> Text:
    """A state word (`active`, `at-risk`, `given`…) in its colour."""
    text = "" if value is None else str(value)
    return Text(text, style=STYLE_OF.get(text, ""))


# --- list ---------------------------------------------------------------------------------------


def element_table(rows: Sequence[Mapping[str, Any]]) -> RenderableType:
    """The `list` table; `rows` are the dictionaries of render.reading.list_rows."""
    grid = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True, collapse_padding=True
    )
    grid.add_column("ID", no_wrap=True, style="bold")
    grid.add_column("Name", overflow="fold", ratio=1, min_width=24)
    grid.add_column("Cat.", no_wrap=True)
    grid.add_column("Domains", no_wrap=True)
    grid.add_column("Provinces", no_wrap=True)
    grid.add_column("Status", no_wrap=True)
    grid.add_column("Consent", no_wrap=True)
    grid.add_column("Access", no_wrap=True)
    grid.add_column("Viability", no_wrap=True)
    for row in rows:
        grid.add_row(
            Text(row["id"]),
            Text(row["name"]),
            Text(row["national_category"] or ""),
            Text("\n".join(row["domains"])),
            Text(_few(row["provinces"], 2)),
            word(row["status"]),
            word(row["consent"]),
            word(row["access"]),
            word(row["viability"]),
        )
    return Group(grid, Text(f"{len(rows)} element{'' if len(rows) == 1 else 's'}", style="dim"))


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


def progress(result: ProgressResult) -> RenderableType:
    """Per focus province: new elements against the target as bars, then counts."""
    grid = Table(
        title=f"New elements since {result.since}, by focus province",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        title_justify="left",
    )
    grid.add_column("Province", no_wrap=True)
    grid.add_column("Progress", no_wrap=True)
    grid.add_column("New", justify="right")
    grid.add_column("Target", justify="right")
    grid.add_column("%", justify="right")
    for line in (*result.provinces, result.total):
        style = "bold" if line is result.total else ""
        grid.add_row(
            Text(f"{line.id} {line.name}" if line is not result.total else line.name, style=style),
            Text(bar(line.new, line.target), style="green" if _reached(line) else "yellow"),
            Text(str(line.new), style=style),
            Text("—" if line.target is None else str(line.target), style=style),
            Text("—" if line.percent is None else f"{line.percent}%", style=style),
        )
    lines = (*result.provinces, result.total)
    by_domain = _count_table(
        "By domain",
        lines,
        {d: [p.by_domain.get(d, 0) for p in lines] for d in result.total.by_domain},
    )
    by_consent = _count_table(
        "By consent",
        lines,
        {c: [p.by_consent.get(c, 0) for p in lines] for c in result.total.by_consent},
    )
    notes = [
        Text(
            "Domains and consent columns count elements; an element in several domains counts "
            "in each, and one practised in several focus provinces counts in each province but "
            "once in the total.",
            style="dim",
        )
    ]
    if result.total.not_counted:
        notes.append(
            Text(
                "Not counted (new, but since retired or merged): "
                + ", ".join(result.total.not_counted),
                style="dim",
            )
        )
    return Group(grid, by_domain, by_consent, *notes)


def _reached(line: ProvinceProgress) -> bool:
    return line.target is not None and line.new >= line.target


def _count_table(
    title: str, lines: Sequence[ProvinceProgress], columns: Mapping[str, list[int]]
) -> Table:
    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, title=title, title_justify="left")
    grid.add_column("Province", no_wrap=True)
    for name in columns:
        grid.add_column(name, justify="right", no_wrap=True)
    for number, line in enumerate(lines):
        label = "total" if number == len(lines) - 1 else line.id
        grid.add_row(label, *(str(values[number]) for values in columns.values()))
    return grid
