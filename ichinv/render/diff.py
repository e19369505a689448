"""Diff reports: plain text for the terminal, Markdown for pull requests and packets, SPEC JSON."""

from __future__ import annotations

import json as _json
from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, Protocol

from ichinv.core.i18n import _, ngettext
from ichinv.core.model import Change, ChangeKind, DiffResult, ElementDiff, ElementStatus, Finding
from ichinv.render.diff_json import render_json
from ichinv.render.diff_words import (
    REMAP_ALONE,
    REMAP_NOTE,
    WITHHELD_NOTE,
    WORDS_LEGEND,
    against_words,
    baseline_words,
    change_word,
    diff_word,
    new_withheld_note,
    old_withheld_note,
    status_now,
    with_notes_worded,
)
from ichinv.render.findings import limits
from ichinv.render.findings.text import finding_line
from ichinv.render.markdown import escape as mdsafe
from ichinv.render.plain import one_line

DIFFERING = (
    ElementStatus.ADDED,
    ElementStatus.REVISED,
    ElementStatus.RETIRED,
    ElementStatus.MERGED,
    ElementStatus.REMOVED,
)
"""Statuses counted in the by-province and by-domain tables (unchanged elements are not)."""

_VALUE_WIDTH = 160


# --- shared --------------------------------------------------------------------------------------


def _compact(value: Any) -> str:
    return _json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _short(text: str, width: int = _VALUE_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _shown(result: DiffResult) -> list[ElementDiff]:
    """Elements worth a section: those that differ, and files moved without an edit."""
    return [e for e in result.elements if e.differs or e.old_path]


def _remapped(element: ElementDiff) -> bool:
    return any(c.remapped for c in element.changes)


def _tally(result: DiffResult, groups_of: str) -> list[tuple[str, Counter[str]]]:
    tally: dict[str, Counter[str]] = {}
    for element in result.elements:
        if not element.differs:
            continue
        groups = getattr(element, groups_of) or (_("(not known)"),)
        for group in groups:
            counter = tally.setdefault(group, Counter())
            if element.status in DIFFERING:
                counter[element.status.value] += 1
            if _remapped(element):
                counter["re-mapped"] += 1
    return sorted(tally.items())


_COLUMNS = [*(s.value for s in DIFFERING), "re-mapped"]


def _province_label(result: DiffResult, pid: str) -> str:
    name = result.province_names.get(pid)
    return f"{pid} {name}" if name else pid


# --- text ----------------------------------------------------------------------------------------


def _text_value(value: Any) -> str:
    return one_line(_short(_compact(with_notes_worded(value))))


def _text_words(words: Iterable[tuple[str, str]]) -> str:
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return one_line("".join(marks[op].format(text) for op, text in words))


_MARKS = ("{+", "+}", "[-", "-]")
"""What marks words added and removed in text: a text holding one of them is shown whole, old
→ new, so that no word of it reads as a change."""


def _marked(change: Change) -> bool:
    return any(mark in str(value) for value in (change.old, change.new) for mark in _MARKS)


def change_line(change: Change, where: str = "") -> str:
    """One change on one line: `POINTER: OLD → NEW`, `POINTER: added NEW`, and so on (`where`
    instead of the pointer, when given)."""
    pointer = one_line(where or change.pointer)
    if change.withheld:
        text = f"{change_word(change.kind)} ({_(WITHHELD_NOTE)})"
    elif change.old_withheld and change.kind is ChangeKind.REMOVED:
        text = f"{change_word(change.kind)} ({old_withheld_note(change.old_withheld)})"
    elif change.new_withheld and change.kind is ChangeKind.ADDED:
        text = f"{change_word(change.kind)} ({new_withheld_note(change.new_withheld)})"
    elif change.old_withheld or change.new_withheld:
        old = (
            f"({old_withheld_note(change.old_withheld)})"
            if change.old_withheld
            else _text_value(change.old)
        )
        new = (
            f"({new_withheld_note(change.new_withheld)})"
            if change.new_withheld
            else _text_value(change.new)
        )
        text = f"{old} → {new}"
    elif change.kind is ChangeKind.ADDED:
        text = _("added {value}").format(value=_text_value(change.new))
    elif change.kind is ChangeKind.REMOVED:
        text = _("removed {value}").format(value=_text_value(change.old))
    elif change.words and not _marked(change):
        text = _text_words(change.words)
    else:
        text = f"{_text_value(change.old)} → {_text_value(change.new)}"
    if change.remapped:
        text += f" ({_(REMAP_NOTE)})"
    return f"{pointer}: {text}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def _nothing(result: DiffResult) -> str:
    """What a report says when no element differs: that none differs, or, when the filters
    chose no element at all, that (never "no differences" for elements nobody compared)."""
    if result.filtered and not result.elements:
        return _("No element matches all the filters given, so nothing was compared.")
    return _("No differences.")


def _late(result: DiffResult) -> list[tuple[str, int]]:
    """How many elements are, since the baseline, `added, now retired` and the like."""
    counts = Counter(status_now(e) for e in result.elements if e.status_now != e.status.value)
    return sorted(counts.items())


def render_text(result: DiffResult, *, stat: bool = False) -> str:
    summary = result.summary()
    lines = [
        _("Compared {baseline} with {against}.").format(
            baseline=baseline_words(result), against=against_words(result)
        )
    ]
    if result.baseline_label:
        lines.append(_("Baseline: {label}").format(label=one_line(result.baseline_label)))
    lines += ["", _("Elements by status:")]
    lines += _table(
        [_("status"), _("elements")], [[diff_word(k), str(v)] for k, v in summary.items()]
    )
    late = _late(result)
    if late:
        lines.append("  (" + "; ".join(f"{n} {label}" for label, n in late) + ")")
    remapped = sum(1 for e in result.elements if _remapped(e))
    if remapped:
        lines.append(
            "  ("
            + _("{count} with provinces re-mapped to today's units; {note}").format(
                count=remapped, note=_(REMAP_ALONE)
            )
            + ")"
        )
    if not stat:
        for attribute in ("provinces", "domains"):
            tally = _tally(result, attribute)
            if not tally:
                continue
            title = _("province") if attribute == "provinces" else _("domain")
            lines += [
                "",
                _("Elements that differ, by province:")
                if attribute == "provinces"
                else _("Elements that differ, by domain:"),
            ]
            rows = [
                [_province_label(result, g) if attribute == "provinces" else g]
                + [str(c[col]) for col in _COLUMNS]
                for g, c in tally
            ]
            lines += _table([title, *(diff_word(c) for c in _COLUMNS)], rows)
        if any(c.words for e in _shown(result) for c in e.changes):
            lines += ["", _("Word-level changes: {{+added text+}} and [-removed text-].").format()]
        for element in _shown(result):
            lines.append("")
            head = f"{element.id}  {status_now(element)}"
            if element.name:
                head += f"  {one_line(element.name)}"
            lines.append(head)
            where = (
                _("{path} (was {old})").format(path=element.path, old=element.old_path)
                if element.old_path
                else element.path
            )
            lines.append(f"  {one_line(where)}")
            lines += [f"  {change_line(c)}" for c in element.changes]
            lines += [
                "  " + _("problem: {finding}").format(finding=finding_line(p))
                for p in element.problems
            ]
    if result.problems:
        lines += ["", _("Problems:")]
        lines += [f"  {finding_line(p)}" for p in result.problems]
    if not stat and not any(e.differs for e in result.elements) and not result.problems:
        lines += ["", _nothing(result)]
    return "\n".join(lines) + "\n"


# --- markdown ------------------------------------------------------------------------------------


def _md_value(value: Any) -> str:
    if value is None:
        return ""
    value = with_notes_worded(value)
    return mdsafe.cell(_short(value if isinstance(value, str) else _compact(value), 500))


def change_row(change: Change) -> str:
    """A Markdown table row: | field | change | before | after |."""
    kind = change_word(change.kind) + (f" ({_(REMAP_NOTE)})" if change.remapped else "")
    if change.withheld:
        before = after = "*" + _("withheld") + "*"
    elif change.old_withheld or change.new_withheld:
        before = (
            "*" + old_withheld_note(change.old_withheld) + "*"
            if change.old_withheld
            else _md_value(change.old)
        )
        after = (
            "*" + new_withheld_note(change.new_withheld) + "*"
            if change.new_withheld
            else _md_value(change.new)
        )
    elif change.words:
        before, after = "*" + _("word diff →") + "*", mdsafe.word_diff(change.words)
    else:
        before, after = _md_value(change.old), _md_value(change.new)
    return f"| `{change.pointer.replace('`', '')}` | {kind} | {before} | {after} |"


COMMENT_LIMIT = 65_536
"""Characters a GitHub pull-request comment holds: the default size of the Markdown report."""


def render_markdown(result: DiffResult, *, stat: bool = False, max_chars: int = 0) -> str:
    """The report for a pull-request comment or a packet. With `max_chars` (0: no limit), the
    elements that do not fit are left out, and a note at the end names them and says how to
    get the whole report."""
    head = _markdown_head(result, stat)
    blocks: list[list[str]] = []
    if not stat:
        shown = _shown(result)
        if not shown:
            head += ["", _nothing(result)]
        elif any(c.words for e in shown for c in e.changes):
            head += ["", f"*{_(WORDS_LEGEND)}*"]
        blocks = [_markdown_element(element) for element in shown]
    tail: list[str] = []
    for problem in result.problems:
        tail += ["", _problem_md(problem)]
    text = "\n".join(head + [line for block in blocks for line in block] + tail) + "\n"
    if not max_chars or len(text) <= max_chars:
        return text
    return _shortened(result, head, blocks, tail, max_chars)


def _markdown_head(result: DiffResult, stat: bool) -> list[str]:
    lines = [
        _("## Inventory changes since baseline {name}").format(
            name=mdsafe.cell(result.baseline_name)
        )
        if result.baseline_name
        else _("## Inventory changes since the baseline"),
        "",
    ]
    against = _("the working tree") if result.against_rev is None else f"`{result.against[:12]}`"
    source = _("{rev} (commit {commit})").format(
        rev=f"`{mdsafe.cell(result.baseline_rev)}`", commit=f"`{result.baseline_commit[:12]}`"
    )
    label = f" — {mdsafe.cell(result.baseline_label)}" if result.baseline_label else ""
    lines += [
        _("Baseline {source}{label}, compared with {against}.").format(
            source=source, label=label, against=against
        ),
        "",
    ]
    status, elements = _("Status"), _("Elements")  # not in the f-string: extracted so
    lines += [f"| {status} | {elements} |", "| --- | ---: |"]
    lines += [f"| {diff_word(k)} | {v} |" for k, v in result.summary().items()]
    late = _late(result)
    if late:
        lines += [
            "",
            _("Of these: {counts}.").format(counts="; ".join(f"{label}: {n}" for label, n in late)),
        ]
    remapped = sum(1 for e in result.elements if _remapped(e))
    if remapped:
        lines += [
            "",
            ngettext(
                "{count} element with provinces re-mapped to today's units; {note}.",
                "{count} elements with provinces re-mapped to today's units; {note}.",
                remapped,
            ).format(count=remapped, note=_(REMAP_ALONE)),
        ]
    if stat:
        return lines
    for attribute in ("provinces", "domains"):
        tally = _tally(result, attribute)
        if not tally:
            continue
        heading, column = (
            (_("### Elements that differ, by province"), _("Province"))
            if attribute == "provinces"
            else (_("### Elements that differ, by domain"), _("Domain"))
        )
        lines += ["", heading, ""]
        lines.append(f"| {column} | " + " | ".join(diff_word(c) for c in _COLUMNS) + " |")
        lines.append("| --- |" + " ---: |" * len(_COLUMNS))
        for group, counter in tally:
            label_text = _province_label(result, group) if attribute == "provinces" else group
            cells = " | ".join(str(counter[c]) for c in _COLUMNS)
            lines.append(f"| {mdsafe.cell(label_text)} | {cells} |")
    return lines


def _markdown_element(element: ElementDiff) -> list[str]:
    name = f" · {mdsafe.cell(element.name)}" if element.name else ""
    lines = ["", f"### {mdsafe.cell(element.id)}{name} — {status_now(element)}", ""]
    where: str = mdsafe.name(element.path)
    if element.old_path:
        where = _("{path} (was {old})").format(path=where, old=mdsafe.name(element.old_path))
    lines.append(where)
    if element.changes:
        header = (_("Field"), _("Change"), _("Before"), _("After"))
        lines += ["", "| " + " | ".join(header) + " |", "| --- | --- | --- | --- |"]
        lines += [change_row(c) for c in element.changes]
    for problem in element.problems:
        lines += ["", _problem_md(problem)]
    return lines


def _problem_md(problem: Finding) -> str:
    return "> " + _("**Problem:** {finding}").format(finding=mdsafe.cell(finding_line(problem)))


def _shortened(
    result: DiffResult,
    head: list[str],
    blocks: list[list[str]],
    tail: list[str],
    max_chars: int,
) -> str:
    """The report cut to `max_chars`: whole element sections while they fit, then a note
    naming the elements left out."""
    ids = [e.id for e in _shown(result)]

    def note(kept: int) -> list[str]:
        left = ids[kept:]
        named = ", ".join(f"`{mdsafe.cell(i)}`" for i in left[:20])
        if len(left) > 20:
            named = _("{names} and {count} more").format(names=named, count=len(left) - 20)
        return [
            "",
            "> "
            + _(
                "**Shortened to {limit:,} characters:** {left} of {count} elements that differ "
                "are not shown: {names}. Run the same command with `--max-chars 0` for the "
                "whole report (in CI: the run's artifact holds it)."
            ).format(limit=max_chars, left=len(left), count=len(ids), names=named),
        ]

    used = len("\n".join(head + tail)) + len("\n".join(note(0))) + 2
    kept = 0
    for block in blocks:
        size = len("\n".join(block)) + 1
        if used + size > max_chars:
            break
        used += size
        kept += 1
    lines = head + [line for block in blocks[:kept] for line in block] + tail + note(kept)
    text = "\n".join(lines) + "\n"
    if len(text) <= max_chars:
        return text
    # Even the summary does not fit: cut between lines, and say so.
    return limits.cut(
        text,
        max_chars,
        "> "
        + _(
            "**Shortened to {limit:,} characters:** {{lines}} lines are not shown. Run the same "
            "command with `--max-chars 0` for the whole report."
        ).format(limit=max_chars),
    )


class DiffFormat(StrEnum):
    """Output formats of `ichinv diff` and `ichinv diff-2013`."""

    TEXT = "text"
    MARKDOWN = "markdown"
    JSON = "json"


class DiffRenderer(Protocol):
    """`result -> str`; with `stat=True`, the counts only."""

    def __call__(self, result: DiffResult, *, stat: bool = False) -> str: ...


def _diff_text(result: DiffResult, *, stat: bool = False) -> str:
    return render_text(result, stat=stat)


def _diff_markdown(result: DiffResult, *, stat: bool = False) -> str:
    return render_markdown(result, stat=stat)


def _diff_json(result: DiffResult, *, stat: bool = False) -> str:
    return render_json(result, stat=stat)


RENDERERS: dict[DiffFormat, DiffRenderer] = {
    DiffFormat.TEXT: _diff_text,
    DiffFormat.MARKDOWN: _diff_markdown,
    DiffFormat.JSON: _diff_json,
}
