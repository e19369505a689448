"""Renderers of `ichinv progress`: bars for the terminal, a Markdown table, JSON."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from ichinv.render.markdown.escape import inline as md
from ichinv.render.plain import dumps, named
from ichinv.reports.progress import ProgressResult, ProvinceProgress

TEXT_WIDTH = 10_000
"""Wide enough that no line of a piped report is wrapped."""


class ProgressFormat(StrEnum):
    """Output formats of `ichinv progress`."""

    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


def render_text(result: ProgressResult, names: Mapping[str, str] | None = None) -> str:
    """The bars and counts as plain lines (for a pipe): no table lines, nothing wrapped."""
    from ichinv.render.terminal import console as terminal

    return terminal.to_text(terminal.progress(result, plain=True, names=names), TEXT_WIDTH)


def _bar(line: ProvinceProgress) -> str:
    from ichinv.render.terminal.console import bar

    return bar(line.new, line.target, 10)


def render_markdown(result: ProgressResult, names: Mapping[str, str] | None = None) -> str:
    lines = [
        f"## New elements since {result.since}, by focus province",
        "",
        "| Province | New | Target | Progress |",
        "| --- | ---: | ---: | --- |",
    ]
    for line in (*result.provinces, result.total):
        name = (
            f"{line.id} {md(line.name)}" if line is not result.total else "**All focus provinces**"
        )
        target = "—" if line.target is None else str(line.target)
        percent = "" if line.percent is None else f" {line.percent}%"
        lines.append(f"| {name} | {line.new} | {target} | `{_bar(line)}`{percent} |")
    domains = list(result.total.by_domain)
    consent = list(result.total.by_consent)
    lines += [
        "",
        "### By domain and consent",
        "",
        "| Province | "
        + " | ".join(
            [
                *(md(named(names, "domain", d)) for d in domains),
                *(f"consent: {md(named(names, 'consent', c))}" for c in consent),
            ]
        )
        + " |",
        "| --- |" + " ---: |" * (len(domains) + len(consent)),
    ]
    for line in (*result.provinces, result.total):
        cells = [str(line.by_domain.get(d, 0)) for d in domains]
        cells += [str(line.by_consent.get(c, 0)) for c in consent]
        label = line.id if line is not result.total else "**total**"
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "An element in several domains counts in each; one practised in several focus provinces "
        "counts in each province and once in the total. New: active elements that entered the "
        f"inventory after {result.since}.",
    ]
    if result.total.not_counted:
        lines.append(
            "Not counted (new, but since retired or merged): "
            + ", ".join(result.total.not_counted)
            + "."
        )
    return "\n".join(lines) + "\n"


def _province_json(line: ProvinceProgress) -> dict[str, Any]:
    return {
        "id": line.id,
        "name": line.name,
        "target": line.target,
        "new": line.new,
        "percent": line.percent,
        "by_domain": dict(line.by_domain),
        "by_consent": dict(line.by_consent),
        "elements": [
            {
                "id": e.id,
                "name": e.name,
                "entered": e.entered,
                "domains": list(e.domains),
                "consent": e.consent,
            }
            for e in line.elements
        ],
        "not_counted": list(line.not_counted),
    }


def render_json(result: ProgressResult, names: Mapping[str, str] | None = None) -> str:
    """The figures for tools: vocabulary values as codes (`names` are not used)."""
    total = _province_json(result.total)
    del total["id"], total["name"]
    return dumps(
        {
            "since": result.since,
            "provinces": [_province_json(p) for p in result.provinces],
            "total": total,
        }
    )


RENDERERS: dict[ProgressFormat, Callable[[ProgressResult, Mapping[str, str] | None], str]] = {
    ProgressFormat.TEXT: render_text,
    ProgressFormat.MARKDOWN: render_markdown,
    ProgressFormat.JSON: render_json,
}
