"""Renderers of `ichinv progress`: bars for the terminal, a Markdown table, JSON."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from ichinv.core.i18n import _
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
        "## " + _("New elements since {date}, by focus province").format(date=result.since),
        "",
        "| " + " | ".join((_("Province"), _("New"), _("Target"), _("Progress"))) + " |",
        "| --- | ---: | ---: | --- |",
    ]
    for line in (*result.provinces, result.total):
        name = f"{line.id} {md(line.name)}" if line is not result.total else f"**{md(line.name)}**"
        target = "—" if line.target is None else str(line.target)
        percent = "" if line.percent is None else f" {line.percent}%"
        lines.append(f"| {name} | {line.new} | {target} | `{_bar(line)}`{percent} |")
    lines += _counts_md(
        result, _("Domain"), _("### By domain"), "domain", lambda p: p.by_domain, names
    )
    lines += _counts_md(
        result, _("Consent"), _("### By consent"), "consent", lambda p: p.by_consent, names
    )
    lines += [
        "",
        _(
            "An element in several domains counts in each; one practised in several focus "
            "provinces counts in each province and once in the total. New: active elements "
            "that entered the inventory after {date}."
        ).format(date=result.since),
    ]
    if result.total.not_counted:
        lines.append(
            _("Not counted (new, but since retired or merged): {ids}").format(
                ids=", ".join(result.total.not_counted)
            )
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


def _counts_md(
    result: ProgressResult,
    heading: str,
    title: str,
    group: str,
    counts: Callable[[ProvinceProgress], Mapping[str, int]],
    names: Mapping[str, str] | None,
) -> list[str]:
    """A count table: one row per value counted (named), one column per focus province and
    the total, so that it stays narrow however long the names are."""
    lines = [*result.provinces, result.total]
    head = [line.id if line is not result.total else _("total") for line in lines]
    rows = [
        "",
        title,
        "",
        f"| {heading} | " + " | ".join(head) + " |",
        "| --- |" + " ---: |" * len(head),
    ]
    for value in counts(result.total):
        cells = [str(counts(line).get(value, 0)) for line in lines]
        rows.append(f"| {md(named(names, group, value))} | " + " | ".join(cells) + " |")
    return rows


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
